import CDNNL

/// Matrix products through oneDNN's matmul primitive, planned once per shape and
/// transposition and cached. Transposes are strides in the memory descriptors (`ba`
/// layout), so no operand is copied.
///
/// Measured on this machine (2 threads): at the shapes the models use (batch 64 against
/// 784×512 and 512×512 weights) the primitive's brgemm kernels take 0.14–0.28 ms where
/// OpenBLAS 0.3.21's `cblas_sgemm` takes 0.23–0.49 ms, and they are level at large square
/// sizes. Running on oneDNN's OpenMP pool also keeps a second (OpenBLAS) pool from
/// spinning against it. `joule bench` still times raw `cblas_sgemm` as the reference.
enum MatmulKernel {
    private struct Key: Hashable {
        let m, n, k: Int
        let transposeA, transposeB: Bool
        let packsB: Bool
    }

    private final class Plan {
        let primitive: dnnl_primitive_t
        let a, b, c: DNNLOperand
        init(primitive: dnnl_primitive_t, a: DNNLOperand, b: DNNLOperand, c: DNNLOperand) {
            (self.primitive, self.a, self.b, self.c) = (primitive, a, b, c)
        }
    }

    nonisolated(unsafe) private static var plans: [Key: Plan] = [:]

    /// C[m×n] = op(A)·op(B), row-major, with A stored [m, k] (or [k, m] when transposed)
    /// and B stored [k, n] (or [n, k]).
    static func multiply(
        _ a: Tensor, transposeA: Bool, _ b: Tensor, transposeB: Bool,
        m: Int, n: Int, k: Int, into c: Tensor
    ) {
        guard m > 0 && n > 0 else { return }
        guard k > 0 else {
            c.storage.pointer.update(repeating: 0, count: m * n)
            return
        }
        DNNL.lock.withLock {
            // A right operand that carries no derivative is usually a layer's weight held
            // constant (SGLD, evaluation): let oneDNN keep it in its packed layout, reordered
            // only when the storage changes.
            let packsB = b.node == nil
            let key = Key(m: m, n: n, k: k, transposeA: transposeA, transposeB: transposeB, packsB: packsB)
            Threading.prepareForDNNL(work: 2 * Double(m) * Double(n) * Double(k))
            let plan = plans[key] ?? makePlan(key)
            plans[key] = plan
            plan.a.bindInput(a.storage)
            plan.b.bindInput(b.storage, cacheable: packsB)
            _ = plan.c.bindOutput(c.storage)  // plain layouts: no twin
            DNNL.execute(
                plan.primitive,
                [
                    dnnl_exec_arg_t(arg: DNNL_ARG_SRC, memory: plan.a.memory),
                    dnnl_exec_arg_t(arg: DNNL_ARG_WEIGHTS, memory: plan.b.memory),
                    dnnl_exec_arg_t(arg: DNNL_ARG_DST, memory: plan.c.memory),
                ], "a matmul")
        }
    }

    private static func makePlan(_ key: Key) -> Plan {
        var a = DNNL.plainDescriptor([key.m, key.k], transposed: key.transposeA)
        let b = DNNL.plainDescriptor([key.k, key.n], transposed: key.transposeB)
        var bChoice = key.packsB ? DNNL.anyDescriptor([key.k, key.n]) : b
        var c = DNNL.plainDescriptor([key.m, key.n])
        var desc = dnnl_matmul_desc_t()
        DNNL.check(dnnl_matmul_desc_init(&desc, &a, &bChoice, nil, &c), "describe a matmul \(key)")
        var pd: dnnl_primitive_desc_t?
        DNNL.check(
            dnnl_primitive_desc_create(&pd, &desc, DNNL.attributes, DNNL.handles.engine, nil), "plan a matmul \(key)")
        defer { dnnl_primitive_desc_destroy(pd) }
        let primitive = DNNL.createPrimitive(pd, "a matmul \(key)")
        guard let packed = dnnl_primitive_desc_query_md(pd, dnnl_query_weights_md, 0) else {
            preconditionFailure("oneDNN: no weights layout for a matmul \(key)")
        }
        return Plan(
            primitive: primitive,
            a: DNNLOperand(plain: a, primitive: &a, isInput: true),
            b: DNNLOperand(plain: b, primitive: packed, isInput: true),
            c: DNNLOperand(plain: c, primitive: &c, isInput: false))
    }
}
