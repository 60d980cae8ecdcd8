import Metrics
import Uncertainty

/// What `joule evaluate` measures and how.
public struct EvaluationSettings: Sendable {
    /// OOD sets to detect against the in-distribution test set.
    public var oodSets: [OODSet] = OODSet.defaults
    /// Whether the user named the sets: then a set that cannot be loaded is an error;
    /// a default set that is missing or does not fit the model is skipped with a warning.
    public var oodSetsExplicit = false
    /// Scores to compute for every set (higher = more in-distribution).
    public var scores: [OODScore] = OODScore.defaults
    /// Whether the user named the scores: then a score the model cannot give is an error;
    /// from the defaults, an energy without a classifier head keeps those it supports.
    public var scoresExplicit = false
    /// Reliability-diagram binning for ECE, MCE and RMS-CE.
    public var binning: CalibrationBinning = .standard
    /// Images in each synthetic OOD set.
    public var syntheticCount = 5_000
    /// Measure on the validation hold-out instead of the test set: for choosing scores and settings without
    /// looking at the test set.
    public var onValidation = false
    /// Evaluate on at most this many in-distribution images (all when nil); for quick checks.
    public var limit: Int?
    /// Images per forward pass.
    public var batchSize = 256
    /// Seeds the synthetic sets, the SGLD-refinement noise and the typicality test's batches.
    public var seed: UInt64 = 0
    /// The likelihood ratio's background model, a checkpoint file; nil to use the stored fit's.
    public var background: String?
    /// Fit the scores' statistics and thresholds again even when a stored fit covers them.
    public var refitScores = false
    /// Batch sizes M of the typicality test (scored when log-px is among the scores).
    public var typicalityBatchSizes = [5, 25]

    /// The default settings: the default OOD sets and scores, 15 equal-width bins, 5,000 synthetic images each.
    public init() {}
}
