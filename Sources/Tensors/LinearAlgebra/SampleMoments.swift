/// The mean and unbiased covariance of rows of values, in Double on plain row-major arrays:
/// what the class Gaussians of SGLD's informative start and the Fréchet distance's Gaussians
/// are fitted with.
public enum SampleMoments {
    /// μ and Σ (d × d row-major, both triangles, divided by n − 1) of the `rows` of `values`
    /// (row r holds `values[r·d ..< (r + 1)·d]`); needs two rows or more.
    public static func meanAndCovariance(_ values: [Float], rows: [Int], dimension d: Int) -> (
        mean: [Double], covariance: [Double]
    ) {
        precondition(rows.count >= 2, "SampleMoments: \(rows.count) rows; at least 2 are needed")
        var mean = [Double](repeating: 0, count: d)
        for r in rows { for j in 0..<d { mean[j] += Double(values[r * d + j]) } }
        for j in 0..<d { mean[j] /= Double(rows.count) }
        var covariance = [Double](repeating: 0, count: d * d)
        var centred = [Double](repeating: 0, count: d)
        for r in rows {
            for j in 0..<d { centred[j] = Double(values[r * d + j]) - mean[j] }
            // The lower triangle, mirrored below: half the products.
            for i in 0..<d where centred[i] != 0 {
                let ci = centred[i]
                for j in 0...i { covariance[i * d + j] += ci * centred[j] }
            }
        }
        for i in 0..<d {
            for j in 0...i {
                let value = covariance[i * d + j] / Double(rows.count - 1)
                covariance[i * d + j] = value
                covariance[j * d + i] = value
            }
        }
        return (mean, covariance)
    }
}
