import Tensors

/// Class-conditional Gaussians with one shared ("tied") covariance on a classifier's
/// penultimate features, Lee et al. (2018): μ_c the mean feature of class c, Σ the
/// within-class covariance, and the Mahalanobis score −min_c (φ(x) − μ_c)ᵀ Σ⁻¹ (φ(x) − μ_c)
/// (higher = more in-distribution).
///
/// Held whitened: with Σ + ridge = L Lᵀ, W = L⁻¹ and m_c = W μ_c, the distance is
/// ‖W φ(x) − m_c‖², one matrix product per batch.
public struct FeatureGaussians: Sendable {
    /// W = L⁻¹ [D, D], lower triangular.
    public let whitening: Tensor
    /// m_c = W μ_c [classes, D].
    public let whitenedMeans: Tensor

    /// Feature size D.
    public var dimension: Int { whitening.shape[1] }
    /// Number of classes.
    public var classes: Int { whitenedMeans.shape[0] }

    /// The relative ridge added to Σ's diagonal: 1e-6 of its mean variance, so that a feature that never
    /// varies (a dead unit) does not make Σ singular, while low-variance directions, where OOD inputs stand
    /// out, keep their weight.
    public static let relativeRidge = 1e-6

    /// Fits the Gaussians to `features` [N, D] with `labels` in 0..<`classes`; every class needs an example.
    public init(fitting features: Tensor, labels: [Int], classes: Int) throws {
        guard features.rank == 2, features.shape[0] == labels.count, labels.count > 1 else {
            throw FittedScoreError("features of shape \(features.shape) for \(labels.count) labels")
        }
        let (n, d) = (features.shape[0], features.shape[1])
        var counts = [Int](repeating: 0, count: classes)
        var means = [Double](repeating: 0, count: classes * d)
        let values = features.scalars
        for (row, label) in labels.enumerated() {
            guard (0..<classes).contains(label) else { throw FittedScoreError("label \(label) outside 0..<\(classes)") }
            counts[label] += 1
            for j in 0..<d { means[label * d + j] += Double(values[row * d + j]) }
        }
        if let empty = counts.firstIndex(of: 0) { throw FittedScoreError("class \(empty) has no example to fit") }
        for c in 0..<classes { for j in 0..<d { means[c * d + j] /= Double(counts[c]) } }
        // Σ = (1/N) Σ_i (φ_i − μ_{y_i})(φ_i − μ_{y_i})ᵀ, accumulated in Double: with fewer examples than features
        // Σ is singular, and Float rounding would leave the null directions below the ridge (negative pivots).
        var covariance = [Double](repeating: 0, count: d * d)
        var centred = [Double](repeating: 0, count: d)
        for (row, label) in labels.enumerated() {
            for j in 0..<d { centred[j] = Double(values[row * d + j]) - means[label * d + j] }
            covariance.withUnsafeMutableBufferPointer { c in
                for i in 0..<d where centred[i] != 0 {
                    let ci = centred[i]
                    for j in 0...i { c[i * d + j] += ci * centred[j] }
                }
            }
        }
        for i in 0..<d {
            for j in 0...i {
                covariance[i * d + j] /= Double(n)
                covariance[j * d + i] = covariance[i * d + j]
            }
        }
        let meanVariance = (0..<d).reduce(0.0) { $0 + covariance[$1 * d + $1] } / Double(d)
        for j in 0..<d { covariance[j * d + j] += Self.relativeRidge * max(meanVariance, 1e-12) }
        let inverse = Cholesky.lowerInverse(Cholesky.factor(covariance, dimension: d), dimension: d)
        var whitened = [Float](repeating: 0, count: classes * d)
        for c in 0..<classes {
            for i in 0..<d {
                var sum = 0.0
                for k in 0...i { sum += inverse[i * d + k] * means[c * d + k] }
                whitened[c * d + i] = Float(sum)
            }
        }
        try self.init(
            whitening: Tensor(inverse.map(Float.init), shape: [d, d]),
            whitenedMeans: Tensor(whitened, shape: [classes, d]))
    }

    /// Gaussians from stored tensors, checked: W square, the means as wide as W, every value finite.
    public init(whitening: Tensor, whitenedMeans: Tensor) throws {
        guard whitening.rank == 2, whitening.shape[0] == whitening.shape[1], whitenedMeans.rank == 2,
            whitenedMeans.shape[1] == whitening.shape[1], whitenedMeans.shape[0] >= 1
        else {
            throw FittedScoreError(
                "whitening of shape \(whitening.shape) and means of shape \(whitenedMeans.shape) do not fit together")
        }
        guard whitening.scalars.allSatisfy(\.isFinite), whitenedMeans.scalars.allSatisfy(\.isFinite) else {
            throw FittedScoreError("the Gaussians hold values that are not finite")
        }
        self.whitening = whitening
        self.whitenedMeans = whitenedMeans
    }

    /// min_c ‖W φ − m_c‖² per row of `features` [N, D] → [N], differentiable (input pre-processing follows
    /// its gradient).
    public func minimumDistance(_ features: Tensor) -> Tensor {
        let w = matmul(features, whitening, transposeB: true)
        let squaredNorms = (w * w).sum(squeezingAxes: [1]).reshaped(to: [w.shape[0], 1])
        let meanNorms = (whitenedMeans * whitenedMeans).sum(squeezingAxes: [1]).reshaped(to: [1, classes])
        let distances = squaredNorms - 2 * matmul(w, whitenedMeans, transposeB: true) + meanNorms
        return -((-distances).max(squeezingAxes: [1]))
    }

    /// The Mahalanobis score of each row of `features` [N, D]: −min_c distance (higher = in-distribution).
    public func scores(_ features: Tensor) -> [Double] {
        withoutRecording { minimumDistance(features) }.scalars.map { -Double($0) }
    }
}

/// A fitted score's statistics that cannot be used: wrong shapes, too few examples, values that are not finite.
public struct FittedScoreError: Error, CustomStringConvertible {
    /// What is wrong.
    public let description: String
    /// An error saying `description`.
    public init(_ description: String) { self.description = description }
}
