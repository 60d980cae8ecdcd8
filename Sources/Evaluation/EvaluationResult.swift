import Metrics
import Uncertainty

/// One OOD set against the in-distribution set under one score.
public struct OODResult: Codable, Sendable, Equatable {
    public var dataset: String
    /// near, far or user.
    public var group: String
    public var score: String
    public var auroc: Double
    public var auprIn: Double
    public var auprOut: Double
    public var fpr95: Double
    public var detectionError: Double
    public var inCount: Int
    public var outCount: Int

    enum CodingKeys: String, CodingKey {
        case dataset, group, score, auroc, fpr95
        case auprIn = "aupr_in"
        case auprOut = "aupr_out"
        case detectionError = "detection_error"
        case inCount = "in_count"
        case outCount = "out_count"
    }
}

/// Everything `joule evaluate` measured, with the conventions it used (`--json` prints this).
public struct EvaluationResult: Codable, Sendable {
    public var runID: String
    /// The checkpoint file evaluated, and the training step its weights are from.
    public var checkpoint: String
    public var checkpointStep: Int?
    /// The in-distribution set ("test", or "validation" for datasets without a test split).
    public var inDistribution: String
    public var count: Int
    /// Classification and calibration on the in-distribution set; nil for a model without
    /// a classifier head.
    public var accuracy: Double?
    public var nll: Double?
    public var brier: Double?
    public var ece: Double?
    public var mce: Double?
    public var rmsCalibrationError: Double?
    public var reliability: [ReliabilityBin]?
    public var binning: String
    /// The calibrator applied before measuring, when the run has one.
    public var calibrator: String?
    public var ood: [OODResult]
    /// Each score's definition and direction.
    public var scores: [String: String]
    /// How the metrics are defined (positive class, FPR@95 rule, Brier normalisation, bins).
    public var conventions: [String: String]
    /// What a reader must not miss: scores whose direction is wrong for this model.
    public var warnings: [String] = []
    /// The measurement the store recorded this as (nil when not stored).
    public var measurementID: Int?

    enum CodingKeys: String, CodingKey {
        case runID = "run_id"
        case checkpoint
        case checkpointStep = "checkpoint_step"
        case inDistribution = "in_distribution"
        case count, accuracy
        case nll, brier, ece, mce
        case rmsCalibrationError = "rms_calibration_error"
        case reliability, binning, calibrator, ood, scores
        case conventions, warnings
        case measurementID = "measurement_id"
    }
}
