/// Calibration errors of top-label confidences, with the reliability table they come from.
///
/// With N samples grouped into bins b (see `CalibrationBinning`) holding n_b samples of
/// mean confidence conf_b and accuracy acc_b, and only non-empty bins counted:
/// - ECE = Σ_b (n_b / N) · |acc_b − conf_b|;
/// - MCE = max_b |acc_b − conf_b|;
/// - RMS calibration error = sqrt(Σ_b (n_b / N) · (acc_b − conf_b)²).
/// All three lie in [0, 1]; 0 means every bin's accuracy equals its mean confidence.
public struct CalibrationMetrics: Codable, Sendable, Equatable {
    /// The expected calibration error Σ_b (n_b / N) |acc_b − conf_b|.
    public var ece: Double
    /// The maximum calibration error: the largest |acc_b − conf_b| over non-empty bins.
    public var mce: Double
    /// The root-mean-square calibration error sqrt(Σ_b (n_b / N) (acc_b − conf_b)²).
    public var rmsCalibrationError: Double
    /// The reliability table, in increasing order of confidence.
    public var bins: [ReliabilityBin]
    /// How the samples were binned.
    public var binning: CalibrationBinning

    /// The metrics from their values, for decoding or tests.
    public init(
        ece: Double, mce: Double, rmsCalibrationError: Double,
        bins: [ReliabilityBin], binning: CalibrationBinning
    ) {
        self.ece = ece
        self.mce = mce
        self.rmsCalibrationError = rmsCalibrationError
        self.bins = bins
        self.binning = binning
    }

    /// The calibration of `confidences` (each in [0, 1]) whose predictions were right
    /// where `correct` is true, binned by `binning`.
    ///
    /// Throws `MetricsError` when there are no samples or a confidence is NaN, infinite
    /// or outside [0, 1] (naming the first such index). Mismatched counts and a binning
    /// with fewer than one bin are preconditions.
    public static func compute(
        confidences: [Double], correct: [Bool],
        binning: CalibrationBinning = .standard
    ) throws -> CalibrationMetrics {
        precondition(
            confidences.count == correct.count,
            "\(confidences.count) confidences but \(correct.count) correctness flags")
        precondition(binning.bins >= 1, "binning needs at least one bin, got \(binning.bins)")
        try requireUnitInterval(confidences, named: "confidences")
        let bins = ReliabilityBin.table(confidences: confidences, correct: correct, binning: binning)
        let total = Double(confidences.count)
        var ece = 0.0
        var mce = 0.0
        var squared = 0.0
        for bin in bins {
            guard let gap = bin.gap else { continue }
            let weight = Double(bin.count) / total
            ece += weight * abs(gap)
            mce = max(mce, abs(gap))
            squared += weight * gap * gap
        }
        return CalibrationMetrics(
            ece: ece, mce: mce, rmsCalibrationError: squared.squareRoot(),
            bins: bins, binning: binning)
    }

    /// The calibration of the top label of each row of `probabilities` against `labels`:
    /// confidence = max_k p_k, correct = (argmax_k p_k == label), the argmax taking the
    /// lowest index on a tie.
    ///
    /// Every probability must be finite and in [0, 1] (throws `MetricsError` naming the
    /// sample and class otherwise, or when there are no samples); mismatched counts,
    /// ragged rows and labels outside 0..<K are preconditions.
    public static func compute(
        probabilities: [[Double]], labels: [Int],
        binning: CalibrationBinning = .standard
    ) throws -> CalibrationMetrics {
        try requireRows(probabilities, named: "probabilities", unitInterval: true)
        requireLabelled(probabilities, labels: labels, rowName: "probabilities")
        let predictions = probabilities.map(argmax)
        return try compute(
            confidences: zip(probabilities, predictions).map { $0[$1] },
            correct: zip(predictions, labels).map { $0 == $1 },
            binning: binning)
    }
}
