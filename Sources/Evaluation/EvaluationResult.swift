import Metrics
import Uncertainty

/// One OOD set against the in-distribution set under one score.
public struct OODResult: Codable, Sendable, Equatable {
    /// The OOD set's name as `OODSet.name` writes it (`mnist-5k`, `uniform`, `png:<folder>`, ...).
    public var dataset: String
    /// near, far or user.
    public var group: String
    /// The name of the OOD score used, as `OODScore.name` writes it (`log-px`, `max-softmax`, ...).
    public var score: String
    /// Area under the ROC curve, P(s_in > s_out) + ½ P(s_in = s_out): 1 perfect, 0.5 chance, below 0.5 reversed.
    public var auroc: Double
    /// Average precision with in-distribution samples as the positive class.
    public var auprIn: Double
    /// Average precision with OOD samples as the positive class and the scores negated.
    public var auprOut: Double
    /// The OOD false-positive rate at the largest threshold that keeps 95% of in-distribution scores (FPR@95).
    public var fpr95: Double
    /// The minimum over thresholds of ½(1 − TPR) + ½ FPR.
    public var detectionError: Double
    /// The number of in-distribution samples scored.
    public var inCount: Int
    /// The number of OOD samples scored.
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
    /// The identifier of the run the checkpoint belongs to.
    public var runID: String
    /// The checkpoint file evaluated, and the training step its weights are from.
    public var checkpoint: String
    /// The optimiser step at which the checkpoint was written.
    public var checkpointStep: Int?
    /// The in-distribution set ("test", or "validation" for datasets without a test split).
    public var inDistribution: String
    /// The number of in-distribution images evaluated (after `EvaluationSettings.limit`).
    public var count: Int
    /// Classification and calibration on the in-distribution set; nil for a model without
    /// a classifier head.
    public var accuracy: Double?
    /// Mean negative log-likelihood −log p(y | x), with p clamped below at 1e-12; nil without a classifier head.
    public var nll: Double?
    /// Multi-class Brier score: Σ over classes of (p_k − 1[k = y])², averaged over samples (range 0–2); nil
    /// without a classifier head.
    public var brier: Double?
    /// Expected calibration error, Σ_b (n_b / N)|acc_b − conf_b| over the reliability bins;
    /// nil without a classifier head.
    public var ece: Double?
    /// Maximum calibration error, max_b |acc_b − conf_b| over the non-empty reliability bins;
    /// nil without a classifier head.
    public var mce: Double?
    /// Root-mean-square calibration error, √Σ_b (n_b / N)(acc_b − conf_b)²; nil without a classifier head.
    public var rmsCalibrationError: Double?
    /// The reliability-diagram bins behind ECE, MCE and RMS-CE; nil without a classifier head.
    public var reliability: [ReliabilityBin]?
    /// How confidences were binned for calibration, e.g. "15 equal-width bins".
    public var binning: String
    /// The calibrator applied before measuring, when the run has one.
    public var calibrator: String?
    /// The score fit in use (`StoredScoreFit.description`): statistics, thresholds' validation values.
    public var scoreFit: String?
    /// One detection result for each pair of OOD set and score, in set order, then score order.
    public var ood: [OODResult]
    /// The typicality test (Nalisnick et al. 2019), which scores batches, not inputs: one result for each OOD
    /// set and batch size M (score `typicality@M`; counts are batches).
    public var typicality: [OODResult] = []
    /// The calibrator's conformal prediction sets on the in-distribution set: coverage and set sizes.
    public var conformal: [ConformalMeasure] = []
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
        case reliability, binning, calibrator, ood, scores, typicality, conformal
        case scoreFit = "score_fit"
        case conventions, warnings
        case measurementID = "measurement_id"
    }
}
