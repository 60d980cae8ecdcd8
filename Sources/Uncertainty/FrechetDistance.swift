import Tensors

/// The Fréchet distance between Gaussians fitted to two sets of feature vectors (Heusel et
/// al. 2017's FID when the features are Inception's; here whatever network the caller names):
///
///     d² = ‖μ₁ − μ₂‖² + tr Σ₁ + tr Σ₂ − 2 tr (Σ₁^½ Σ₂ Σ₁^½)^½
///
/// with unbiased covariances (n − 1), in Double. The trace term is the one FID
/// implementations take through a non-symmetric matrix square root; here both square roots
/// are of symmetric positive semi-definite matrices (LAPACK's dsyevd), and eigenvalues that
/// rounding makes negative count as 0.
public enum FrechetDistance {
    /// Mean and unbiased covariance of `rows` vectors of length `d` (row-major).
    public struct Moments: Sendable, Equatable {
        /// μ, length d.
        public var mean: [Double]
        /// Σ, d × d row-major.
        public var covariance: [Double]
        /// d.
        public var dimension: Int

        /// The moments of `features` (`count` rows of `dimension` values each); needs two rows or more.
        public init(_ features: [Float], dimension d: Int) {
            let n = d == 0 ? 0 : features.count / d
            precondition(n >= 2 && n * d == features.count, "FrechetDistance: needs two or more rows of \(d) values")
            let (mean, covariance) = SampleMoments.meanAndCovariance(features, rows: Array(0..<n), dimension: d)
            self.init(mean: mean, covariance: covariance, dimension: d)
        }

        /// Moments given directly (a test's closed form).
        public init(mean: [Double], covariance: [Double], dimension: Int) {
            precondition(mean.count == dimension && covariance.count == dimension * dimension)
            self.mean = mean
            self.covariance = covariance
            self.dimension = dimension
        }
    }

    /// d² between the Gaussians of `a` and `b`.
    public static func squared(_ a: Moments, _ b: Moments) -> Double {
        precondition(a.dimension == b.dimension, "FrechetDistance: \(a.dimension) against \(b.dimension) features")
        let d = a.dimension
        var meanTerm = 0.0
        for j in 0..<d { meanTerm += (a.mean[j] - b.mean[j]) * (a.mean[j] - b.mean[j]) }
        var traces = 0.0
        for j in 0..<d { traces += a.covariance[j * d + j] + b.covariance[j * d + j] }
        let root = squareRoot(a.covariance, dimension: d)
        let middle = multiply(multiply(root, b.covariance, d), root, d)
        let values = SymmetricEigen.decompose(middle, dimension: d).values
        let crossTrace = values.reduce(0) { $0 + max($1, 0).squareRoot() }
        return max(meanTerm + traces - 2 * crossTrace, 0)
    }

    /// The symmetric square root V diag(√λ) Vᵀ of a positive semi-definite matrix.
    static func squareRoot(_ a: [Double], dimension d: Int) -> [Double] {
        let (values, vectors) = SymmetricEigen.decompose(a, dimension: d)
        let roots = values.map { max($0, 0).squareRoot() }
        var result = [Double](repeating: 0, count: d * d)
        for k in 0..<d where roots[k] > 0 {
            for i in 0..<d {
                let vik = vectors[i * d + k] * roots[k]
                if vik == 0 { continue }
                for j in 0..<d { result[i * d + j] += vik * vectors[j * d + k] }
            }
        }
        return result
    }

    /// A · B for d × d row-major matrices.
    static func multiply(_ a: [Double], _ b: [Double], _ d: Int) -> [Double] {
        var c = [Double](repeating: 0, count: d * d)
        for i in 0..<d {
            for k in 0..<d {
                let aik = a[i * d + k]
                if aik == 0 { continue }
                for j in 0..<d { c[i * d + j] += aik * b[k * d + j] }
            }
        }
        return c
    }
}
