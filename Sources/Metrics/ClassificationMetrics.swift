#if canImport(Glibc)
    import Glibc
#else
    import Foundation
#endif

/// Accuracy, negative log-likelihood and Brier score of predicted class probabilities.
///
/// For N samples with probability rows p_i over K classes and labels y_i:
/// - accuracy = (1/N) Σ_i 1[argmax_k p_ik = y_i], the argmax taking the lowest index on
///   a tie;
/// - nll = (1/N) Σ_i −log max(p_{i,y_i}, 10⁻¹²), the clamp (`probabilityFloor`) keeping a
///   zero probability finite;
/// - brier = (1/N) Σ_i Σ_k (p_ik − 1[k = y_i])², the multi-class Brier score summed over
///   classes and averaged over samples, so it lies in [0, 2] (not divided by K).
public struct ClassificationMetrics: Codable, Sendable, Equatable {
    /// The number of samples N.
    public var count: Int
    /// The fraction of samples whose argmax (lowest index on a tie) is the label.
    public var accuracy: Double
    /// The mean of −log p_y, with p_y clamped below at `probabilityFloor`.
    public var nll: Double
    /// The mean over samples of Σ_k (p_k − 1[k = y])², in [0, 2].
    public var brier: Double

    /// The smallest probability the NLL takes the logarithm of: −log 10⁻¹² ≈ 27.63 is the
    /// largest loss one sample can contribute.
    public static let probabilityFloor = 1e-12

    /// The metrics from their values, for decoding or tests.
    public init(count: Int, accuracy: Double, nll: Double, brier: Double) {
        self.count = count
        self.accuracy = accuracy
        self.nll = nll
        self.brier = brier
    }

    /// The metrics of `probabilities` (one row of K class probabilities per sample)
    /// against `labels` (one class in 0..<K per sample).
    ///
    /// Rows are taken as given: they are not renormalised, but every entry must be
    /// finite and in [0, 1]. Throws `MetricsError` for no samples or a bad entry (naming
    /// the sample and class); mismatched counts, ragged rows and labels outside 0..<K are
    /// preconditions.
    public static func compute(probabilities: [[Double]], labels: [Int]) throws -> ClassificationMetrics {
        try requireRows(probabilities, named: "probabilities", unitInterval: true)
        requireLabelled(probabilities, labels: labels, rowName: "probabilities")
        var correct = 0
        var nllSum = 0.0
        var brierSum = 0.0
        for (row, label) in zip(probabilities, labels) {
            if argmax(row) == label { correct += 1 }
            nllSum -= log(max(row[label], probabilityFloor))
            for (k, p) in row.enumerated() {
                let target: Double = k == label ? 1 : 0
                brierSum += (p - target) * (p - target)
            }
        }
        let n = Double(probabilities.count)
        return ClassificationMetrics(
            count: probabilities.count, accuracy: Double(correct) / n,
            nll: nllSum / n, brier: brierSum / n)
    }

    /// Class probabilities softmax(z / T) of each row of `logits`, computed stably by
    /// subtracting the row's largest scaled logit before exponentiating.
    ///
    /// `temperature` T divides the logits (T > 1 flattens, T < 1 sharpens) and must be
    /// finite and positive. A row holding NaN or +∞, or only −∞, gives a row of NaN,
    /// which `compute` then rejects; −∞ entries otherwise get probability 0.
    public static func probabilities(fromLogits logits: [[Double]], temperature: Double = 1) -> [[Double]] {
        precondition(
            temperature.isFinite && temperature > 0,
            "temperature \(temperature) must be finite and positive")
        return logits.map { softmax($0, temperature: temperature) }
    }
}
