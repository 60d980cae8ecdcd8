#if canImport(Glibc)
    import Glibc
#else
    import Foundation
#endif

/// Temperature scaling (Guo et al., 2017): calibrated probabilities softmax(z / T) with
/// one temperature T > 0 fitted on validation logits.
///
/// T minimises the validation NLL (1/N) Σ_i [logsumexp(z_i / T) − z_{i,y_i} / T] (exact
/// log-softmax, no probability clamp). That NLL is convex in 1/T, hence unimodal in
/// log T, so golden-section search over log T in [log 0.01, log 100] finds its minimum,
/// to a relative precision of about 10⁻⁹ in T, or the nearer bound when the minimum lies
/// outside. The search's T is kept only if its NLL is strictly below the NLL at T = 1,
/// else T = 1, so a set whose NLL does not depend on T (rows of equal logits) keeps its
/// logits. Fitting is deterministic. T > 1 softens over-confident predictions; the argmax
/// never changes.
public struct TemperatureScaling: Codable, Sendable, Equatable {
    /// The temperature T dividing the logits.
    public var temperature: Double

    /// The range T is fitted in.
    public static let temperatureRange: ClosedRange<Double> = 0.01...100

    /// Scaling by `temperature`, which must be finite and positive.
    public init(temperature: Double) {
        precondition(
            temperature.isFinite && temperature > 0,
            "temperature \(temperature) must be finite and positive")
        self.temperature = temperature
    }

    /// The temperature minimising the NLL of `labels` under softmax(`logits` / T).
    ///
    /// Throws `MetricsError` when there are no samples or a logit is NaN or infinite
    /// (naming the sample and class); mismatched counts, ragged rows and labels outside
    /// 0..<K are preconditions.
    public static func fit(logits: [[Double]], labels: [Int]) throws -> TemperatureScaling {
        try requireRows(logits, named: "logits", unitInterval: false)
        requireLabelled(logits, labels: labels, rowName: "logits")
        func loss(_ temperature: Double) -> Double {
            negativeLogLikelihood(logits: logits, labels: labels, temperature: temperature)
        }
        let (lower, upper) = (log(temperatureRange.lowerBound), log(temperatureRange.upperBound))
        let logTemperature = goldenSectionMinimum(of: { loss(exp($0)) }, in: lower, upper, tolerance: 1e-9)
        // exp(log 0.01) need not round back to 0.01; a minimum on the bound is the bound.
        let temperature =
            logTemperature <= lower
            ? temperatureRange.lowerBound
            : logTemperature >= upper ? temperatureRange.upperBound : exp(logTemperature)
        // Where T makes no difference (a flat NLL), leave the logits alone rather than
        // report whichever end the search drifted to.
        return TemperatureScaling(temperature: loss(temperature) < loss(1) ? temperature : 1)
    }

    /// The mean negative log-likelihood (1/N) Σ_i −log softmax(z_i / T)_{y_i}, computed
    /// in log space; `logits` must be finite and non-empty, labels in range.
    public static func negativeLogLikelihood(logits: [[Double]], labels: [Int], temperature: Double) -> Double {
        precondition(
            !logits.isEmpty && logits.count == labels.count,
            "\(logits.count) rows of logits and \(labels.count) labels; need equal and non-zero")
        var total = 0.0
        for (row, label) in zip(logits, labels) {
            total += negativeLogSoftmax(row, label: label, temperature: temperature)
        }
        return total / Double(logits.count)
    }

    /// Decodes a stored scaling, refusing a temperature that is not finite and positive.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let temperature = try container.decode(Double.self, forKey: .temperature)
        guard temperature.isFinite && temperature > 0 else {
            throw DecodingError.dataCorruptedError(
                forKey: .temperature, in: container,
                debugDescription: "temperature \(temperature) must be finite and positive")
        }
        self.temperature = temperature
    }

    /// Probabilities softmax(z / T) of each row of `logits`; a row holding NaN or +∞, or
    /// only −∞, gives a row of NaN.
    public func calibrated(logits: [[Double]]) -> [[Double]] {
        logits.map { softmax($0, temperature: temperature) }
    }
}
