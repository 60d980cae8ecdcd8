import COpenBLAS

/// Eigen-decompositions of small symmetric matrices (feature covariances), in Double on plain
/// row-major arrays, by LAPACK's divide-and-conquer `dsyevd` from OpenBLAS.
public enum SymmetricEigen {
    /// The eigenvalues, ascending, and the eigenvectors as the columns of a row-major d × d
    /// matrix (V with A = V diag(λ) Vᵀ). Only the upper triangle of `a` is read.
    public static func decompose(_ a: [Double], dimension d: Int) -> (values: [Double], vectors: [Double]) {
        precondition(a.count == d * d, "SymmetricEigen: \(a.count) values for a \(d)×\(d) matrix")
        guard d > 0 else { return ([], []) }
        // Row-major A is column-major Aᵀ = A; LAPACK returns V column-major, so the array read
        // row-major is Vᵀ, transposed back below.
        var matrix = a
        var values = [Double](repeating: 0, count: d)
        var n = Int32(d)
        var leading = Int32(d)
        var info: Int32 = 0
        var job = CChar(UInt8(ascii: "V"))
        var triangle = CChar(UInt8(ascii: "L"))  // column-major lower = row-major upper
        var workSize = 0.0
        var integerWorkSize: Int32 = 0
        var query: Int32 = -1
        var integerQuery: Int32 = -1
        dsyevd_(
            &job, &triangle, &n, &matrix, &leading, &values, &workSize, &query, &integerWorkSize, &integerQuery, &info,
            1, 1)
        precondition(info == 0, "SymmetricEigen: dsyevd's workspace query failed (info \(info))")
        var workCount = Int32(workSize.rounded(.up))
        var integerCount = max(integerWorkSize, 1)
        var work = [Double](repeating: 0, count: Int(workCount))
        var integerWork = [Int32](repeating: 0, count: Int(integerCount))
        dsyevd_(
            &job, &triangle, &n, &matrix, &leading, &values, &work, &workCount, &integerWork, &integerCount, &info, 1, 1
        )
        precondition(info == 0, "SymmetricEigen: dsyevd did not converge (info \(info))")
        var vectors = [Double](repeating: 0, count: d * d)
        for i in 0..<d { for j in 0..<d { vectors[i * d + j] = matrix[j * d + i] } }
        return (values, vectors)
    }
}
