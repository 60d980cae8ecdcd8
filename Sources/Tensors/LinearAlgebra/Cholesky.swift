/// Cholesky factors of symmetric positive-definite matrices, in Double on plain row-major
/// arrays: small dense problems (covariances of features or pixels) that the samplers and
/// the OOD scores fit once, not per step.
public enum Cholesky {
    /// The lower factor L with A = L Lᵀ, read from the lower triangle of `a` (d × d, row-major). A pivot that
    /// rounding makes non-positive is taken as 1e-12, so a nearly singular matrix still factors; add a ridge
    /// to the diagonal first where that matters.
    public static func factor(_ a: [Double], dimension d: Int) -> [Double] {
        precondition(a.count == d * d, "Cholesky.factor: \(a.count) values for a \(d)×\(d) matrix")
        var l = [Double](repeating: 0, count: d * d)
        for j in 0..<d {
            var diagonal = a[j * d + j]
            for k in 0..<j { diagonal -= l[j * d + k] * l[j * d + k] }
            let root = max(diagonal, 1e-12).squareRoot()
            l[j * d + j] = root
            for i in (j + 1)..<max(j + 1, d) {
                var value = a[i * d + j]
                for k in 0..<j { value -= l[i * d + k] * l[j * d + k] }
                l[i * d + j] = value / root
            }
        }
        return l
    }

    /// L⁻¹ for a lower-triangular L (d × d, row-major), by forward substitution column by column. With
    /// A = L Lᵀ, ‖L⁻¹ v‖² = vᵀ A⁻¹ v: L⁻¹ whitens.
    public static func lowerInverse(_ l: [Double], dimension d: Int) -> [Double] {
        precondition(l.count == d * d, "Cholesky.lowerInverse: \(l.count) values for a \(d)×\(d) matrix")
        var inverse = [Double](repeating: 0, count: d * d)
        for column in 0..<d {
            inverse[column * d + column] = 1 / l[column * d + column]
            for i in (column + 1)..<max(column + 1, d) {
                var value = 0.0
                for k in column..<i { value -= l[i * d + k] * inverse[k * d + column] }
                inverse[i * d + column] = value / l[i * d + i]
            }
        }
        return inverse
    }
}
