import CDNNL

/// a + b for two same-shaped tensors whose values both live in the same oneDNN layout (two
/// convolutions' outputs: a residual block's sum, or two cotangents the backward pass adds
/// up): oneDNN's binary primitive over the twins, leaving the sum in that layout, so the
/// wide ResNet's additions need no reorders to plain and back. Elementwise work does not
/// care about layout, so the primitive sees the twins as flat arrays (padding included).
enum TwinAddKernel {
    /// Plans by flat element count.
    nonisolated(unsafe) private static var plans: [Int: FlatPlan] = [:]

    /// The sum, when both operands hold twins in one layout and are large enough for a
    /// primitive call to pay; nil otherwise (the caller adds the plain values).
    static func add(_ a: Tensor, _ b: Tensor) -> Tensor? {
        guard a.shape == b.shape, a.scalarCount >= LeakyReLUKernel.primitiveThreshold,
            a.storage.twin != nil, b.storage.twin != nil
        else { return nil }
        return DNNL.lock.withLock { () -> Tensor? in
            guard let twinA = a.storage.twin, let twinB = b.storage.twin, twinA.matches(twinB.descriptor) else {
                return nil
            }
            let out = Tensor.uninitialized(a.shape)
            let sum = LayoutTwin(descriptor: twinA.descriptor)
            let count = twinA.byteCount / 4
            Threading.prepareForDNNL(work: 8 * Double(count))
            let plan = plans[count] ?? makePlan(count: count)
            plans[count] = plan
            plan.run([twinA.buffer, twinB.buffer, sum.buffer], what: "an addition")
            out.storage.attach(sum)
            return out
        }
    }

    private static func makePlan(count: Int) -> FlatPlan {
        var data = DNNL.plainDescriptor([count])
        var desc = dnnl_binary_desc_t()
        DNNL.check(dnnl_binary_desc_init(&desc, dnnl_binary_add, &data, &data, &data), "describe an addition")
        var pd: dnnl_primitive_desc_t?
        DNNL.check(
            dnnl_primitive_desc_create(&pd, &desc, DNNL.attributes, DNNL.handles.engine, nil), "plan an addition")
        defer { dnnl_primitive_desc_destroy(pd) }
        func operand(_ isInput: Bool) -> DNNLOperand { DNNLOperand(plain: data, primitive: &data, isInput: isInput) }
        return FlatPlan(
            primitive: DNNL.createPrimitive(pd, "an addition"),
            operands: [
                (DNNL_ARG_SRC_0, operand(true)), (DNNL_ARG_SRC_1, operand(true)),
                (DNNL_ARG_DST, operand(false)),
            ])
    }
}
