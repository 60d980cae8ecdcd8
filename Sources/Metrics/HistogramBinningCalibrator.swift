/// Histogram binning (Zadrozny & Elkan, 2001) of the top-label confidence: the confidence
/// max_k softmax(z)_k is replaced by the validation accuracy of its equal-width bin.
///
/// Bins follow `CalibrationBinning.equalWidth`: bin b of B covers (b/B, (b+1)/B], the
/// first closed at 0. Fitting sets bin b's calibrated confidence to the fraction of
/// validation samples in the bin whose argmax was the label, or to the bin's midpoint
/// (b + ½)/B when no validation sample fell in it. Applying it, the predicted class gets
/// the calibrated confidence c and the other classes share 1 − c in proportion to their
/// softmax probabilities (equally if those are all 0), so rows sum to 1; the argmax
/// changes only when c falls below another class's share.
public struct HistogramBinningCalibrator: TopLabelCalibrator, Codable, Sendable, Equatable {
    /// The calibrated confidence of each equal-width bin, lowest bin first; the number of
    /// bins is its count.
    public var binConfidences: [Double]

    /// The number of equal-width bins B.
    public var bins: Int { binConfidences.count }

    /// A calibrator with the given calibrated confidence per bin (at least one, each in
    /// [0, 1]).
    public init(binConfidences: [Double]) {
        precondition(!binConfidences.isEmpty, "histogram binning needs at least one bin")
        precondition(
            binConfidences.allSatisfy { (0...1).contains($0) },
            "bin confidences must lie in [0, 1]: \(binConfidences)")
        self.binConfidences = binConfidences
    }

    /// Fits on validation top-label `confidences` (each in [0, 1]) and whether each
    /// prediction was `correct`, with `bins` equal-width bins.
    ///
    /// Throws `MetricsError` when there are no samples or a confidence is NaN, infinite
    /// or outside [0, 1]; mismatched counts and `bins` < 1 are preconditions.
    public static func fit(
        confidences: [Double], correct: [Bool],
        bins: Int = 15
    ) throws -> HistogramBinningCalibrator {
        precondition(bins >= 1, "histogram binning needs at least one bin, got \(bins)")
        let metrics = try CalibrationMetrics.compute(
            confidences: confidences, correct: correct,
            binning: .equalWidth(bins: bins))
        return HistogramBinningCalibrator(
            binConfidences: metrics.bins.map { bin in
                bin.accuracy ?? (bin.lower + bin.upper) / 2
            })
    }

    /// Fits on validation `logits` and `labels`: confidence = max_k softmax(z)_k, correct
    /// = (argmax == label), lowest index on a tie.
    ///
    /// Throws `MetricsError` when there are no samples or a logit is NaN or infinite;
    /// mismatched counts, ragged rows and labels outside 0..<K are preconditions.
    public static func fit(
        logits: [[Double]], labels: [Int],
        bins: Int = 15
    ) throws -> HistogramBinningCalibrator {
        let (confidences, correct) = try topLabelOutcomes(logits: logits, labels: labels)
        return try fit(confidences: confidences, correct: correct, bins: bins)
    }

    /// The calibrated confidence of a top-label `confidence` in [0, 1] (clamped into it
    /// first); NaN stays NaN.
    public func calibratedConfidence(_ confidence: Double) -> Double {
        guard !confidence.isNaN else { return .nan }
        let clamped = min(max(confidence, 0), 1)
        return binConfidences[CalibrationBinning.equalWidthBin(of: clamped, bins: bins)]
    }

    /// Decodes a stored calibrator, refusing one without bins or with a bin confidence
    /// outside [0, 1].
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let binConfidences = try container.decode([Double].self, forKey: .binConfidences)
        guard !binConfidences.isEmpty, binConfidences.allSatisfy({ (0...1).contains($0) }) else {
            throw DecodingError.dataCorruptedError(
                forKey: .binConfidences, in: container,
                debugDescription: "need at least one bin confidence, each in [0, 1]")
        }
        self.binConfidences = binConfidences
    }
}
