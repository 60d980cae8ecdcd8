import COpenBLAS

/// Matrix product op(a)·op(b) of rank-2 tensors through `cblas_sgemm`, where op transposes
/// when asked (no copy is made). The derivatives are matrix products again:
/// d op(a) = g·op(b)ᵀ and d op(b) = op(a)ᵀ·g.
public func matmul(_ a: Tensor, _ b: Tensor, transposeA: Bool = false, transposeB: Bool = false) -> Tensor {
    precondition(a.rank == 2 && b.rank == 2, "matmul: needs rank-2 tensors, got shapes \(a.shape) and \(b.shape)")
    let (m, k) = transposeA ? (a.shape[1], a.shape[0]) : (a.shape[0], a.shape[1])
    let (kb, n) = transposeB ? (b.shape[1], b.shape[0]) : (b.shape[0], b.shape[1])
    precondition(k == kb, "matmul: inner extents differ: shapes \(a.shape)\(transposeA ? "ᵀ" : "") and \(b.shape)\(transposeB ? "ᵀ" : "")")
    let out = Tensor.uninitialized([m, n])
    GemmKernel.multiply(a.storage.pointer, rows: a.shape[0], columns: a.shape[1], transposed: transposeA,
                        b.storage.pointer, rows: b.shape[0], columns: b.shape[1], transposed: transposeB,
                        into: out.storage.pointer)
    return Tensor.record(out, operation: "matmul", inputs: [a, b]) { g, needed in
        let da: Tensor? = needed[0]
            ? (transposeA ? matmul(b, g, transposeA: transposeB, transposeB: true)
                          : matmul(g, b, transposeB: !transposeB))
            : nil
        let db: Tensor? = needed[1]
            ? (transposeB ? matmul(g, a, transposeA: true, transposeB: transposeA)
                          : matmul(a, g, transposeA: !transposeA))
            : nil
        return [da, db]
    }
}

/// The GEMM call behind `matmul`.
enum GemmKernel {
    /// C[m×n] = op(A)·op(B), row-major, each operand stored as `rows × columns`.
    static func multiply(_ a: UnsafePointer<Float>, rows ra: Int, columns ca: Int, transposed ta: Bool,
                         _ b: UnsafePointer<Float>, rows rb: Int, columns cb: Int, transposed tb: Bool,
                         into c: UnsafeMutablePointer<Float>) {
        let m = ta ? ca : ra, k = ta ? ra : ca, n = tb ? rb : cb
        guard m > 0 && n > 0 else { return }
        guard k > 0 else { c.update(repeating: 0, count: m * n); return }
        Threading.prepareForBLAS()
        cblas_sgemm(CblasRowMajor, ta ? CblasTrans : CblasNoTrans, tb ? CblasTrans : CblasNoTrans,
                    Int32(m), Int32(n), Int32(k), 1, a, Int32(max(ca, 1)), b, Int32(max(cb, 1)), 0, c, Int32(n))
    }
}
