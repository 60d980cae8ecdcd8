import Metrics

/// A run's per-sample evaluation outputs (what `joule evaluate` stores), from which the
/// report draws reliability diagrams and score histograms.
public struct ReportEvaluationSamples: Sendable {
    /// The in-distribution set's name ("test").
    public var inDistribution: String
    /// The top-class probability of each in-distribution sample.
    public var confidences: [Double]
    /// Whether each in-distribution prediction was right.
    public var correct: [Bool]
    /// Score name → dataset name → the score of each sample (higher = more in-distribution).
    public var scores: [String: [String: [Double]]]
    /// The bins the evaluation used, which the reliability diagram reuses.
    public var binning: CalibrationBinning
    /// Score name → dataset name → the measurement the scores come from (each dataset's
    /// newest may be another measurement), for the histograms' legends.
    public var measurements: [String: [String: Int]]

    /// Creates the samples; `confidences` and `correct` must have the same length (one entry per in-distribution
    /// sample), else it traps.
    public init(
        inDistribution: String, confidences: [Double], correct: [Bool], scores: [String: [String: [Double]]],
        binning: CalibrationBinning = .standard, measurements: [String: [String: Int]] = [:]
    ) {
        precondition(
            confidences.count == correct.count,
            "ReportEvaluationSamples: \(confidences.count) confidences for \(correct.count) outcomes")
        self.inDistribution = inDistribution
        self.confidences = confidences
        self.correct = correct
        self.scores = scores
        self.binning = binning
        self.measurements = measurements
    }
}
