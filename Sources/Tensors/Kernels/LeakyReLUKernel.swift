import CDNNL

/// LeakyReLU and its backward scaling on large tensors through oneDNN's eltwise primitive
/// (AVX-512 code on the OpenMP pool, which a Swift loop thread would otherwise fight);
/// small tensors stay in a plain loop, where a primitive call costs more than the work.
enum LeakyReLUKernel {
    /// Below this many elements the Swift loop wins.
    static let primitiveThreshold = 1 << 15

    private enum Direction: Hashable { case forward, backward }
    private struct Key: Hashable {
        let count: Int
        let slopeBits: UInt32
        let direction: Direction
    }

    nonisolated(unsafe) private static var plans: [Key: FlatPlan] = [:]

    /// `x > 0 ? x : αx`.
    static func forward(_ x: Tensor, slope: Float) -> Tensor {
        guard x.scalarCount >= primitiveThreshold else {
            return ElementwiseKernel.map(x) { $0 > 0 ? $0 : $0 * slope }
        }
        return run(.forward, slope: slope, inputs: [x], shape: x.shape)
    }

    /// `x > 0 ? g : αg` — the cotangent scaled by the slope at `x` (or at the output, which
    /// has the same sign).
    static func backward(_ g: Tensor, at x: Tensor, slope: Float) -> Tensor {
        guard g.scalarCount >= primitiveThreshold else {
            return ElementwiseKernel.zip(g, x, op: "leakyReLU backward") { g, v in v > 0 ? g : g * slope }
        }
        return run(.backward, slope: slope, inputs: [x, g], shape: g.shape)
    }

    /// Elementwise work is indifferent to layout: when every input holds its values in the
    /// same oneDNN layout, the primitive runs over those twins and the result stays in that
    /// layout too; otherwise over the plain buffers.
    private static func run(_ direction: Direction, slope: Float, inputs: [Tensor], shape: [Int]) -> Tensor {
        let out = Tensor.uninitialized(shape)
        DNNL.lock.withLock {
            var pointers: [UnsafeMutableRawPointer]
            var count = out.scalarCount
            var outputTwin: LayoutTwin?
            if let first = inputs[0].storage.twin,
                inputs.allSatisfy({ $0.storage.twin.map { $0.matches(first.descriptor) } ?? false })
            {
                outputTwin = LayoutTwin(descriptor: first.descriptor)
                pointers = inputs.map { $0.storage.twin!.buffer } + [outputTwin!.buffer]
                count = first.byteCount / 4
            } else {
                pointers =
                    inputs.map { UnsafeMutableRawPointer($0.storage.pointer) } + [
                        UnsafeMutableRawPointer(out.storage.pointer)
                    ]
            }
            let key = Key(count: count, slopeBits: slope.bitPattern, direction: direction)
            // Memory-bound: count it as a few operations per element.
            Threading.prepareForDNNL(work: 8 * Double(count))
            let plan = plans[key] ?? makePlan(key)
            plans[key] = plan
            plan.run(pointers, what: "LeakyReLU")
            if let outputTwin { out.storage.attach(outputTwin) }
        }
        return out
    }

    private static func makePlan(_ key: Key) -> FlatPlan {
        var data = DNNL.plainDescriptor([key.count])
        let slope = Float(bitPattern: key.slopeBits)
        var desc = dnnl_eltwise_desc_t()
        var pd: dnnl_primitive_desc_t?
        let engine = DNNL.handles.engine
        var operands: [(arg: Int32, operand: DNNLOperand)]
        func operand(_ isInput: Bool) -> DNNLOperand { DNNLOperand(plain: data, primitive: &data, isInput: isInput) }
        switch key.direction {
        case .forward:
            DNNL.check(
                dnnl_eltwise_forward_desc_init(&desc, dnnl_forward_inference, dnnl_eltwise_relu, &data, slope, 0),
                "describe LeakyReLU")
            DNNL.check(dnnl_primitive_desc_create(&pd, &desc, DNNL.attributes, engine, nil), "plan LeakyReLU")
            operands = [(DNNL_ARG_SRC, operand(true)), (DNNL_ARG_DST, operand(false))]
        case .backward:
            // oneDNN wants the forward plan as a hint.
            var forwardDesc = dnnl_eltwise_desc_t()
            var hint: dnnl_primitive_desc_t?
            DNNL.check(
                dnnl_eltwise_forward_desc_init(&forwardDesc, dnnl_forward_training, dnnl_eltwise_relu, &data, slope, 0),
                "describe LeakyReLU")
            DNNL.check(dnnl_primitive_desc_create(&hint, &forwardDesc, nil, engine, nil), "plan LeakyReLU")
            defer { dnnl_primitive_desc_destroy(hint) }
            DNNL.check(
                dnnl_eltwise_backward_desc_init(&desc, dnnl_eltwise_relu, &data, &data, slope, 0),
                "describe LeakyReLU backward")
            DNNL.check(dnnl_primitive_desc_create(&pd, &desc, DNNL.attributes, engine, hint), "plan LeakyReLU backward")
            operands = [
                (DNNL_ARG_SRC, operand(true)), (DNNL_ARG_DIFF_DST, operand(true)), (DNNL_ARG_DIFF_SRC, operand(false)),
            ]
        }
        defer { dnnl_primitive_desc_destroy(pd) }
        return FlatPlan(primitive: DNNL.createPrimitive(pd, "LeakyReLU"), operands: operands)
    }
}
