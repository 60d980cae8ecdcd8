import CDNNL
import Foundation

/// Sizes of one 2-D convolution (square stride and symmetric padding).
struct ConvolutionGeometry: Hashable, Sendable {
    var batch, inChannels, height, width: Int
    var outChannels, kernelHeight, kernelWidth: Int
    var stride, padding: Int

    var outHeight: Int { (height + 2 * padding - kernelHeight) / stride + 1 }
    var outWidth: Int { (width + 2 * padding - kernelWidth) / stride + 1 }
    var inputShape: [Int] { [batch, inChannels, height, width] }
    var weightShape: [Int] { [outChannels, inChannels, kernelHeight, kernelWidth] }
    var outputShape: [Int] { [batch, outChannels, outHeight, outWidth] }
    /// Multiply-adds of one pass, ×2.
    var flops: Double {
        2 * Double(batch * outChannels * outHeight * outWidth * inChannels * kernelHeight * kernelWidth)
    }
}

/// Convolution forward, backward-data and backward-weights through oneDNN, each planned
/// once per geometry: the primitive picks its layout (blocked for most layers), and the
/// operands reorder between that and the engine's plain NCHW / OIHW.
enum ConvolutionKernel {
    enum Direction: Hashable {
        /// Forward pass, optionally with bias and a fused LeakyReLU (its negative slope's bits).
        case forward(bias: Bool, leakyReLUSlopeBits: UInt32?)
        case backwardData
        /// Weight gradient, and the bias gradient from the same pass when `bias`.
        case backwardWeights(bias: Bool)
    }

    private struct Key: Hashable {
        let geometry: ConvolutionGeometry
        let direction: Direction
        let algorithm: Algorithm
        let precision: ConvolutionPrecision
    }

    /// A planned primitive and its operands, in execution-argument order.
    final class Plan {
        let primitive: dnnl_primitive_t
        /// Inputs in order, then the output.
        let operands: [(arg: Int32, operand: DNNLOperand, isInput: Bool)]
        let implementation: String
        /// LeakyReLU run in place on the output after the convolution, where it could not be fused.
        let leakyReLU: dnnl_primitive_t?
        /// Multiply-adds ×2 of the direct algorithm, whichever algorithm runs.
        let flops: Double
        init(
            primitive: dnnl_primitive_t, operands: [(Int32, DNNLOperand, Bool)], implementation: String,
            leakyReLU: dnnl_primitive_t? = nil, flops: Double
        ) {
            self.primitive = primitive
            self.operands = operands.map { (arg: $0.0, operand: $0.1, isInput: $0.2) }
            self.implementation = implementation
            self.leakyReLU = leakyReLU
            self.flops = flops
        }
        var isWinograd: Bool { implementation.contains("wino") }
        /// Whether an implementation multiplies in bfloat16 on the CPU's own instructions
        /// (AVX512_BF16 or AMX), not oneDNN's emulation of them. oneDNN 2.6 names them
        /// `jit_bf16:avx512_core_bf16`, `…:avx512_core_amx_bf16`; later versions call the AMX
        /// ISA `avx512_core_amx`. Only asked of bfloat16 plans.
        static func nativeBFloat16(_ implementation: String) -> Bool {
            implementation.contains("avx512_core_bf16") || implementation.contains("amx")
        }
    }

    nonisolated(unsafe) private static var plans: [Key: Plan] = [:]

    /// How convolutions are computed: oneDNN's direct algorithm, or Winograd F(4×4, 3×3) for
    /// the 3×3 stride-1 layers where oneDNN implements it (AVX-512), direct for the rest.
    enum Algorithm: String, Sendable { case direct, winograd }

    /// The algorithm for plans made from now on: `JOULE_CONV_ALGORITHM` (direct or winograd),
    /// else winograd. Plans already made keep theirs.
    nonisolated(unsafe) static var algorithm: Algorithm =
        Algorithm(rawValue: ProcessInfo.processInfo.environment["JOULE_CONV_ALGORITHM"] ?? "") ?? .winograd

    /// y = conv(x, w) + b, then LeakyReLU with `leakyReLUSlope` when given (fused into the
    /// convolution as a oneDNN post-op: no extra pass over the output). In the caller's
    /// `ConvolutionPrecision`.
    static func forward(
        _ g: ConvolutionGeometry, input: Tensor, weight: Tensor, bias: Tensor?,
        leakyReLUSlope: Float?, output: Tensor
    ) {
        let precision = ConvolutionPrecision.current
        DNNL.lock.withLock {
            let plan = self.plan(
                g, .forward(bias: bias != nil, leakyReLUSlopeBits: leakyReLUSlope?.bitPattern), precision)
            var inputs: [(TensorStorage, Bool)] = [(input.storage, false), (weight.storage, true)]
            if let bias { inputs.append((bias.storage, false)) }
            execute(plan, inputs: inputs, output: output.storage)
        }
    }

    /// dx = convᵀ(dy, w): the adjoint of the forward pass in its input, in the caller's
    /// `ConvolutionPrecision`.
    static func backwardData(_ g: ConvolutionGeometry, outputGradient: Tensor, weight: Tensor, inputGradient: Tensor) {
        let precision = ConvolutionPrecision.current
        DNNL.lock.withLock {
            execute(
                plan(g, .backwardData, precision), inputs: [(outputGradient.storage, false), (weight.storage, true)],
                output: inputGradient.storage)
        }
    }

    /// dw = the adjoint of the forward pass in its weight, applied to dy.
    /// With `biasGradient`, also db = Σ dy over batch and space, in the same pass. Always
    /// float32: weight gradients are the training update's.
    static func backwardWeights(
        _ g: ConvolutionGeometry, input: Tensor, outputGradient: Tensor, weightGradient: Tensor,
        biasGradient: Tensor? = nil
    ) {
        DNNL.lock.withLock {
            execute(
                plan(g, .backwardWeights(bias: biasGradient != nil)),
                inputs: [(input.storage, false), (outputGradient.storage, false)],
                outputs: [weightGradient.storage] + (biasGradient.map { [$0.storage] } ?? []))
        }
    }

    /// Runs a plan: inputs (storage, whether its reorder may be cached) in order, then the output.
    private static func execute(_ plan: Plan, inputs: [(TensorStorage, Bool)], output: TensorStorage) {
        execute(plan, inputs: inputs, outputs: [output])
    }

    /// Runs a plan: inputs (storage, whether its reorder may be cached) in order, then the outputs.
    private static func execute(_ plan: Plan, inputs: [(TensorStorage, Bool)], outputs: [TensorStorage]) {
        // The team was sized for this geometry by `plan(_:_:)`, just before.
        for (slot, (storage, cacheable)) in zip(plan.operands, inputs) {
            slot.operand.bindInput(storage, cacheable: cacheable)
        }
        let twins = zip(plan.operands.dropFirst(inputs.count), outputs).map { $0.operand.bindOutput($1) }
        let recorder = ConvolutionProfile.recorder
        let start = recorder == nil ? 0 : DispatchTime.now().uptimeNanoseconds
        DNNL.execute(
            plan.primitive, plan.operands.map { dnnl_exec_arg_t(arg: $0.arg, memory: $0.operand.memory) },
            "a convolution", wait: false)
        if let recorder {
            DNNL.check(dnnl_stream_wait(DNNL.handles.stream), "wait for a convolution")
            recorder.summary.add(
                seconds: Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9,
                flops: plan.flops, winograd: plan.isWinograd)
        }
        if let leakyReLU = plan.leakyReLU, let output = plan.operands.last?.operand.memory {
            DNNL.execute(
                leakyReLU,
                [
                    dnnl_exec_arg_t(arg: DNNL_ARG_SRC, memory: output),
                    dnnl_exec_arg_t(arg: DNNL_ARG_DST, memory: output),
                ],
                "a convolution's LeakyReLU", wait: false)
        }
        DNNL.check(dnnl_stream_wait(DNNL.handles.stream), "wait for a convolution")
        for (twin, output) in zip(twins, outputs) { if let twin { output.attach(twin) } }
    }

    /// One line per planned convolution: geometry, direction and oneDNN's implementation.
    static func implementationReport() -> [String] {
        DNNL.lock.withLock {
            plans.map { key, plan in
                let g = key.geometry
                return
                    "conv \(g.batch)x\(g.inChannels)x\(g.height)x\(g.width) -> \(g.outChannels) k\(g.kernelHeight) s\(g.stride) p\(g.padding) \(key.direction) \(key.precision): \(plan.implementation)"
            }.sorted()
        }
    }

    private static func plan(
        _ g: ConvolutionGeometry, _ direction: Direction,
        _ precision: ConvolutionPrecision = .float32
    ) -> Plan {
        Threading.prepareForDNNL(work: g.flops)
        let key = Key(geometry: g, direction: direction, algorithm: algorithm, precision: precision)
        if let plan = plans[key] { return plan }
        let plan: Plan
        switch precision {
        case .float32:
            guard let made = makePlan(g, direction, reduced: false) else {
                preconditionFailure("oneDNN: cannot plan a convolution \(g) (\(direction))")
            }
            plan = made
        case .bfloat16:
            plan = reducedPlan(g, direction)
        }
        plans[key] = plan
        return plan
    }

    /// Whether a small convolution (16 channels) gets a native bfloat16 plan here. The probe's
    /// plan is not kept (it would show in `implementationReport`).
    static func hasNativeBFloat16() -> Bool {
        let g = ConvolutionGeometry(
            batch: 2, inChannels: 16, height: 8, width: 8, outChannels: 16,
            kernelHeight: 3, kernelWidth: 3, stride: 1, padding: 1)
        return DNNL.lock.withLock {
            Threading.prepareForDNNL(work: g.flops)
            return makePlan(g, .backwardData, reduced: true) != nil
        }
    }

    /// The bfloat16 plan where it pays (`ConvolutionPrecision`), else the float32 one. The
    /// Winograd layers too: alone, bfloat16's direct kernel beats float32 Winograd on three of
    /// cnn-s's four passes, and in the JEM iteration converting them all gave 351–363 ms
    /// against 391–401 ms converting the direct layers only (`jem_iteration.cnn-s.b64.bfloat16_sampler`).
    private static func reducedPlan(_ g: ConvolutionGeometry, _ direction: Direction) -> Plan {
        if case .backwardWeights = direction { return plan(g, direction) }
        guard g.inChannels >= 16, let reduced = makePlan(g, direction, reduced: true) else { return plan(g, direction) }
        return reduced
    }

    /// Attributes with one post-op, LeakyReLU (oneDNN's ReLU with a negative slope), and the
    /// engine's own scratchpad.
    private static func leakyReLUAttributes(slope: Float) -> dnnl_primitive_attr_t {
        let attributes = DNNL.makeAttributes()
        var postOps: dnnl_post_ops_t?
        DNNL.check(dnnl_post_ops_create(&postOps), "create post-ops")
        DNNL.check(dnnl_post_ops_append_eltwise(postOps, 1, dnnl_eltwise_relu, slope, 0), "append a LeakyReLU post-op")
        DNNL.check(dnnl_primitive_attr_set_post_ops(attributes, postOps), "attach post-ops")
        dnnl_post_ops_destroy(postOps)
        return attributes
    }

    /// The plan for `direction`; `reduced`: with bfloat16 inputs and float32 output, or nil
    /// where oneDNN has no native bfloat16 kernel for it.
    private static func makePlan(_ g: ConvolutionGeometry, _ direction: Direction, reduced: Bool) -> Plan? {
        let engine = DNNL.handles.engine
        let strides: [Int64] = [Int64(g.stride), Int64(g.stride)]
        let padding: [Int64] = [Int64(g.padding), Int64(g.padding)]
        let plainX = DNNL.plainDescriptor(g.inputShape)
        let plainW = DNNL.plainDescriptor(g.weightShape)
        let plainY = DNNL.plainDescriptor(g.outputShape)
        let plainB = DNNL.plainDescriptor([g.outChannels])
        // A single input channel runs faster in plain layout (platform notes: 0.6–2 ms against
        // 3–13 ms blocked for its backward passes).
        var x = g.inChannels == 1 && !reduced ? plainX : DNNL.anyDescriptor(g.inputShape)
        var y = DNNL.anyDescriptor(g.outputShape)
        // Reduced: what each pass reads (forward x and w, backward-data dy and w) in
        // bfloat16; what it writes (y, dx) stays float32.
        let inputType = reduced ? dnnl_bf16 : dnnl_f32
        var w = DNNL.anyDescriptor(g.weightShape, type: inputType)
        var forwardX = reduced ? DNNL.anyDescriptor(g.inputShape, type: inputType) : x
        var backwardY = reduced ? DNNL.anyDescriptor(g.outputShape, type: inputType) : y
        var b = plainB

        var hasBias = false
        var attributes: dnnl_primitive_attr_t?
        if case .forward(let bias, let slopeBits) = direction {
            hasBias = bias
            if let slopeBits { attributes = leakyReLUAttributes(slope: Float(bitPattern: slopeBits)) }
        }
        if case .backwardWeights(let bias) = direction { hasBias = bias }
        defer { if let attributes { dnnl_primitive_attr_destroy(attributes) } }

        // The direction's primitive descriptor under `algorithm`, or nil where oneDNN has no
        // implementation of it for this geometry.
        func describe(_ algorithm: dnnl_alg_kind_t, fused: Bool = true) -> dnnl_primitive_desc_t? {
            var forwardDesc = dnnl_convolution_desc_t()
            let forwardStatus = withUnsafePointer(to: &b) { biasPointer in
                dnnl_convolution_forward_desc_init(
                    &forwardDesc, dnnl_forward_training, algorithm,
                    &forwardX, &w, hasBias ? biasPointer : nil, &y, strides, padding, padding)
            }
            guard forwardStatus == dnnl_success else { return nil }
            var forwardPD: dnnl_primitive_desc_t?
            guard dnnl_primitive_desc_create(&forwardPD, &forwardDesc, nil, engine, nil) == dnnl_success else {
                return nil
            }
            defer { dnnl_primitive_desc_destroy(forwardPD) }
            var pd: dnnl_primitive_desc_t?
            let status: dnnl_status_t
            switch direction {
            case .forward:
                status = dnnl_primitive_desc_create(
                    &pd, &forwardDesc, fused ? attributes ?? DNNL.attributes : DNNL.attributes, engine, nil)
            case .backwardData:
                var desc = dnnl_convolution_desc_t()
                guard
                    dnnl_convolution_backward_data_desc_init(
                        &desc, algorithm, &x, &w, &backwardY, strides, padding, padding) == dnnl_success
                else { return nil }
                status = dnnl_primitive_desc_create(&pd, &desc, DNNL.attributes, engine, forwardPD)
            case .backwardWeights:
                var desc = dnnl_convolution_desc_t()
                let describeStatus = withUnsafePointer(to: &b) { biasPointer in
                    dnnl_convolution_backward_weights_desc_init(
                        &desc, algorithm, &x, &w, hasBias ? biasPointer : nil,
                        &y, strides, padding, padding)
                }
                guard describeStatus == dnnl_success else { return nil }
                status = dnnl_primitive_desc_create(&pd, &desc, DNNL.attributes, engine, forwardPD)
            }
            return status == dnnl_success ? pd : nil
        }
        // Winograd where it applies (3×3, stride 1, more than one input channel) and oneDNN
        // implements it; its forward cannot fuse a LeakyReLU with a slope, so that runs as a
        // second, in-place primitive (`separateLeakyReLU`). Direct otherwise.
        let winograd =
            !reduced && Self.algorithm == .winograd && g.kernelHeight == 3 && g.kernelWidth == 3 && g.stride == 1
            && g.inChannels > 1
        var separateLeakyReLU = false
        var chosen = winograd ? describe(dnnl_convolution_winograd) : nil
        if chosen == nil, winograd, attributes != nil {
            chosen = describe(dnnl_convolution_winograd, fused: false)
            separateLeakyReLU = chosen != nil
        }
        guard let pd = chosen ?? describe(dnnl_convolution_direct) else { return nil }
        defer { dnnl_primitive_desc_destroy(pd) }
        let implementation = DNNL.implementationName(pd)
        if reduced && !Plan.nativeBFloat16(implementation) { return nil }
        var layout: [(Int32, dnnl_memory_desc_t, dnnl_query_t, Bool)]
        switch direction {
        case .forward:
            layout = [
                (DNNL_ARG_SRC, plainX, dnnl_query_src_md, true),
                (DNNL_ARG_WEIGHTS, plainW, dnnl_query_weights_md, true),
            ]
            if hasBias { layout.append((DNNL_ARG_BIAS, plainB, dnnl_query_weights_md, true)) }
            layout.append((DNNL_ARG_DST, plainY, dnnl_query_dst_md, false))
        case .backwardData:
            layout = [
                (DNNL_ARG_DIFF_DST, plainY, dnnl_query_diff_dst_md, true),
                (DNNL_ARG_WEIGHTS, plainW, dnnl_query_weights_md, true),
                (DNNL_ARG_DIFF_SRC, plainX, dnnl_query_diff_src_md, false),
            ]
        case .backwardWeights:
            layout = [
                (DNNL_ARG_SRC, plainX, dnnl_query_src_md, true),
                (DNNL_ARG_DIFF_DST, plainY, dnnl_query_diff_dst_md, true),
                (DNNL_ARG_DIFF_WEIGHTS, plainW, dnnl_query_diff_weights_md, false),
            ]
            if hasBias { layout.append((DNNL_ARG_DIFF_BIAS, plainB, dnnl_query_diff_weights_md, false)) }
        }
        var operands: [(Int32, DNNLOperand, Bool)] = []
        for (index, (arg, plain, query, isInput)) in layout.enumerated() {
            // The bias is the second weights-like argument of the forward primitive.
            let queryIndex: Int32 = (arg == DNNL_ARG_BIAS || arg == DNNL_ARG_DIFF_BIAS) ? 1 : 0
            guard let chosen = dnnl_primitive_desc_query_md(pd, query, queryIndex) else {
                preconditionFailure("oneDNN: no layout for argument \(index) of a convolution \(g)")
            }
            operands.append((arg, DNNLOperand(plain: plain, primitive: chosen, isInput: isInput), isInput))
        }
        let primitive = DNNL.createPrimitive(pd, "a convolution \(g)")
        var leakyReLU: dnnl_primitive_t?
        if separateLeakyReLU, case .forward(_, let slopeBits?) = direction,
            var output = dnnl_primitive_desc_query_md(pd, dnnl_query_dst_md, 0)?.pointee
        {
            var desc = dnnl_eltwise_desc_t()
            var eltwisePD: dnnl_primitive_desc_t?
            DNNL.check(
                dnnl_eltwise_forward_desc_init(
                    &desc, dnnl_forward_training, dnnl_eltwise_relu, &output,
                    Float(bitPattern: slopeBits), 0), "describe a convolution's LeakyReLU")
            DNNL.check(
                dnnl_primitive_desc_create(&eltwisePD, &desc, DNNL.attributes, engine, nil),
                "plan a convolution's LeakyReLU")
            defer { dnnl_primitive_desc_destroy(eltwisePD) }
            leakyReLU = DNNL.createPrimitive(eltwisePD, "a convolution's LeakyReLU")
        }
        return Plan(
            primitive: primitive, operands: operands,
            implementation: implementation + (leakyReLU == nil ? "" : " + eltwise LeakyReLU"), leakyReLU: leakyReLU,
            flops: g.flops)
    }
}
