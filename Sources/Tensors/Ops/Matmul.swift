/// Matrix product op(a)·op(b) of rank-2 tensors (oneDNN's matmul), where op transposes
/// when asked (no copy is made). The derivatives are matrix products again:
/// d op(a) = g·op(b)ᵀ and d op(b) = op(a)ᵀ·g.
public func matmul(_ a: Tensor, _ b: Tensor, transposeA: Bool = false, transposeB: Bool = false) -> Tensor {
    precondition(a.rank == 2 && b.rank == 2, "matmul: needs rank-2 tensors, got shapes \(a.shape) and \(b.shape)")
    let (m, k) = transposeA ? (a.shape[1], a.shape[0]) : (a.shape[0], a.shape[1])
    let (kb, n) = transposeB ? (b.shape[1], b.shape[0]) : (b.shape[0], b.shape[1])
    precondition(
        k == kb,
        "matmul: inner extents differ: shapes \(a.shape)\(transposeA ? "ᵀ" : "") and \(b.shape)\(transposeB ? "ᵀ" : "")"
    )
    let out = Tensor.uninitialized([m, n])
    MatmulKernel.multiply(
        a, transposeA: transposeA, b, transposeB: transposeB, m: m, n: n, k: k,
        into: out)
    return Tensor.record(out, operation: "matmul", inputs: [a, b]) { g, needed in
        let da: Tensor? =
            needed[0]
            ? (transposeA
                ? matmul(b, g, transposeA: transposeB, transposeB: true)
                : matmul(g, b, transposeB: !transposeB))
            : nil
        let db: Tensor? =
            needed[1]
            ? (transposeB
                ? matmul(g, a, transposeA: true, transposeB: transposeA)
                : matmul(a, g, transposeA: !transposeA))
            : nil
        return [da, db]
    }
}
