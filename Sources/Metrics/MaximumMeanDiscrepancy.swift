import Glibc

/// The maximum mean discrepancy between two samples under a Gaussian kernel
/// k(a, b) = exp(−‖a − b‖² / (2h²)) (Gretton et al. 2012): zero exactly when the
/// distributions agree (the kernel is characteristic), larger the further apart they are.
public enum MaximumMeanDiscrepancy {
    /// The unbiased estimate of MMD²:
    ///
    ///     1/(m(m−1)) Σ_{i≠j} k(xᵢ, xⱼ) + 1/(n(n−1)) Σ_{i≠j} k(yᵢ, yⱼ) − 2/(mn) Σ_{i,j} k(xᵢ, yⱼ)
    ///
    /// It can be slightly negative when the samples come from one distribution.
    ///
    /// - Parameters:
    ///   - x, y: points of equal dimension, at least two of each.
    ///   - bandwidth: h > 0.
    /// - Throws: `MetricsError` for an empty or single-point sample or a non-finite coordinate.
    public static func squared(_ x: [[Double]], _ y: [[Double]], bandwidth h: Double) throws -> Double {
        precondition(h > 0 && h.isFinite, "MaximumMeanDiscrepancy: bandwidth \(h) must be positive")
        for (name, sample) in [("first sample", x), ("second sample", y)] {
            guard sample.count >= 2 else { throw MetricsError.empty(values: "\(name) (needs at least two points)") }
            if let bad = sample.firstIndex(where: { !$0.allSatisfy(\.isFinite) }) {
                throw MetricsError.nonFinite(values: name, index: bad)
            }
        }
        let dimension = x[0].count
        precondition(
            (x + y).allSatisfy { $0.count == dimension }, "MaximumMeanDiscrepancy: points of different dimensions")
        let scale = -1 / (2 * h * h)
        func kernel(_ a: [Double], _ b: [Double]) -> Double {
            var d = 0.0
            for k in 0..<dimension { d += (a[k] - b[k]) * (a[k] - b[k]) }
            return Glibc.exp(d * scale)
        }
        func within(_ s: [[Double]]) -> Double {
            var total = 0.0
            for i in s.indices { for j in (i + 1)..<s.count { total += kernel(s[i], s[j]) } }
            return 2 * total / Double(s.count * (s.count - 1))
        }
        var across = 0.0
        for a in x { for b in y { across += kernel(a, b) } }
        return within(x) + within(y) - 2 * across / Double(x.count * y.count)
    }
}
