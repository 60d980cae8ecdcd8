import Foundation
import Tensors

/// One Gaussian per class fitted to training data — JEM++'s informative start for SGLD
/// chains (Yang & Ji 2021): x ~ N(μ_y, Σ_y), clamped to the data range. Σ_y is the full
/// sample covariance plus a small ridge, sampled through its Cholesky factor.
public struct ClassGaussians: Sendable {
    /// d: the values per sample, the product of the data's per-example shape.
    public let dimension: Int
    /// Per class: the mean (dimension values).
    public let means: [[Double]]
    /// Per class: the lower Cholesky factor of the covariance, row-major (dimension²).
    public let choleskyFactors: [[Double]]
    /// When set, each sampled value is clamped to this range (−1…1 by default, the data range); nil for none.
    public let clampRange: ClosedRange<Float>?

    /// Fits the Gaussians: `data` [N, …] with `labels`, `classes` classes.
    public init(
        fitting data: Tensor, labels: [Int], classes: Int, ridge: Double = 1e-4,
        clampRange: ClosedRange<Float>? = -1...1
    ) {
        precondition(
            data.shape.first == labels.count, "ClassGaussians: \(labels.count) labels for data of shape \(data.shape)")
        let n = labels.count
        let d = n == 0 ? 0 : data.scalarCount / n
        var means = [[Double]](repeating: [Double](repeating: 0, count: d), count: classes)
        var factors: [[Double]] = []
        let values = data.scalars
        for c in 0..<classes {
            let rows = labels.indices.filter { labels[$0] == c }
            precondition(
                rows.count >= 2, "ClassGaussians: class \(c) has \(rows.count) examples; at least 2 are needed")
            var covariance: [Double]
            (means[c], covariance) = SampleMoments.meanAndCovariance(values, rows: rows, dimension: d)
            for i in 0..<d { covariance[i * d + i] += ridge }
            // The ridge keeps every pivot positive; `Cholesky` guards anyway against rounding on flat pixels.
            factors.append(Cholesky.factor(covariance, dimension: d))
        }
        dimension = d
        self.means = means
        choleskyFactors = factors
        self.clampRange = clampRange
    }

    /// One sample per label, shaped [labels.count] + `shape`.
    public func sample(labels: [Int], shape: [Int], using generator: inout some RandomNumberGenerator) -> Tensor {
        precondition(
            shape.reduce(1, *) == dimension, "ClassGaussians: sample shape \(shape) does not hold \(dimension) values")
        let d = dimension
        let z = Tensor(randomNormal: [labels.count, d], using: &generator).scalars
        return Tensor(shape: [labels.count] + shape) { out in
            for (row, label) in labels.enumerated() {
                precondition(means.indices.contains(label), "ClassGaussians: label \(label) outside 0..<\(means.count)")
                let l = choleskyFactors[label]
                for i in 0..<d {
                    var value = means[label][i]
                    for j in 0...i { value += l[i * d + j] * Double(z[row * d + j]) }
                    var x = Float(value)
                    if let range = clampRange { x = min(max(x, range.lowerBound), range.upperBound) }
                    out[row * d + i] = x
                }
            }
        }
    }
}
