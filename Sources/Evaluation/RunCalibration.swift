import Datasets
import Foundation
import Metrics
import Runs
import Uncertainty

/// `joule calibrate`: fits a calibrator on the calibration half of the run's validation
/// hold-out (and, when asked, conformal prediction sets on its other half) and measures the
/// test set before and after it.
public struct RunCalibration {
    /// Classification and calibration numbers of one set under one set of probabilities.
    public struct Measures: Codable, Sendable {
        public var accuracy, nll, brier, ece, mce, rmsCalibrationError: Double

        enum CodingKeys: String, CodingKey {
            case accuracy, nll, brier, ece, mce
            case rmsCalibrationError = "rms_calibration_error"
        }

        init(probabilities: [[Double]], labels: [Int], binning: CalibrationBinning) throws {
            let c = try ClassificationMetrics.compute(probabilities: probabilities, labels: labels)
            let k = try CalibrationMetrics.compute(probabilities: probabilities, labels: labels, binning: binning)
            (accuracy, nll, brier, ece, mce, rmsCalibrationError) = (
                c.accuracy, c.nll, c.brier, k.ece, k.mce, k.rmsCalibrationError
            )
        }
    }

    /// What `joule calibrate` prints with `--json`.
    public struct Outcome: Codable, Sendable {
        /// The identifier of the run the checkpoint belongs to.
        public var runID: String
        /// The checkpoint file calibrated, and the training step its weights are from.
        public var checkpoint: String
        /// The optimiser step at which the checkpoint was written.
        public var checkpointStep: Int
        /// The calibration method fitted: `temperature`, `histogram` or `isotonic`.
        public var method: String
        /// The calibrator, described with its file once written (`StoredCalibrator.description`).
        public var calibrator: String
        /// The file it was written to (set by whoever writes it).
        public var calibratorFile: String?
        /// The set the calibrator was fitted on: "validation", the run's hold-out.
        public var fittedOn: String
        /// The number of images the calibrator was fitted on.
        public var fittedCount: Int
        /// The set measured before and after calibration: "test", or "validation" when the dataset has no test split.
        public var measuredOn: String
        /// The number of images measured.
        public var measuredCount: Int
        /// How confidences were binned for ECE, MCE and RMS-CE, e.g. "15 equal-width bins".
        public var binning: String
        /// The measured set's numbers under the model's own softmax probabilities.
        public var before: Measures
        /// The measured set's numbers under the calibrated probabilities.
        public var after: Measures
        /// Measures the calibrator made worse (ECE or NLL higher after than before).
        public var warnings: [String]
        /// The measurement the store recorded this as (nil when not stored).
        public var measurementID: Int?
        /// The conformal predictors (when fitted) on the measured set: coverage and set sizes.
        public var conformal: [ConformalMeasure] = []

        enum CodingKeys: String, CodingKey {
            case runID = "run_id"
            case checkpoint
            case checkpointStep = "checkpoint_step"
            case method, calibrator
            case calibratorFile = "calibrator_file"
            case fittedOn = "fitted_on"
            case fittedCount = "fitted_count"
            case measuredOn = "measured_on"
            case measuredCount = "measured_count"
            case binning, before, after, warnings, conformal
            case measurementID = "measurement_id"
        }

        /// Recomputes `warnings` from the measures (after the calibrator's description changed).
        mutating func judge() {
            let values = { (m: Measures) in ["ece": m.ece, "nll": m.nll] }
            warnings = MeasurementWarnings.worseAfterCalibration(
                calibrator: calibrator, dataset: measuredOn, before: values(before),
                after: values(after))
        }

        /// Names the calibrator by the file it was written to, as version `stored.version`.
        public mutating func written(_ stored: StoredCalibrator, to file: URL) {
            calibrator = stored.description
            calibratorFile = file.path
            judge()
        }
    }

    /// The calibration method to fit on the validation logits.
    public var method: CalibrationMethod
    /// Reliability-diagram binning for ECE, MCE and RMS-CE (15 equal-width bins by default).
    public var binning: CalibrationBinning = .standard
    /// Images per forward pass.
    public var batchSize = 256
    /// The coverage of the conformal prediction sets to fit (LAC, APS and RAPS); nil for none.
    public var conformalCoverage: Double?
    /// RAPS's λ and k_reg.
    public var rapsPenalty = ConformalPredictor.defaultPenalty
    /// See `rapsPenalty`.
    public var rapsFreeRanks = ConformalPredictor.defaultFreeRanks

    /// A calibration fitting `method`, with the default binning and batch size.
    public init(method: CalibrationMethod) { self.method = method }

    /// Fits on the calibration half's logits, measures on the test set (on the hold-out's other half when the
    /// dataset has no test split, and says so; that half also fits the conformal sets, so their coverage is then
    /// measured on the data they were fitted on).
    public func run(_ checkpoint: TrainingCheckpoint, url: URL, log: (String) -> Void = { _ in })
        throws -> (stored: StoredCalibrator, outcome: Outcome)
    {
        guard !checkpoint.configuration.core.objective.isScoreMatching else {
            throw EvaluationError.invalid(
                "\(url.path): a \(checkpoint.configuration.core.objective) energy has no class probabilities to calibrate"
            )
        }
        let (model, _, _) = try checkpoint.makeModel(path: url.path)
        let data = try TrainingData.load(checkpoint.configuration)
        guard let validation = data.validation else {
            throw EvaluationError.invalid(
                "the run has no validation hold-out to fit a calibrator on (validation-size 0?)")
        }
        // The hold-out's calibration half fits the calibrator; its conformal half, disjoint from it, the sets.
        let halves = HoldOutPartition.split(count: validation.count)
        var scoring = DatasetScoring(scores: [])
        scoring.batchSize = batchSize
        let scoringModel = ScoringModel(classifier: model)
        let fitted = scoring.run(validation.subset(halves.calibration), name: "validation", model: scoringModel)
        let otherHalf = validation.subset(halves.conformal)
        let measured =
            data.test.map { scoring.run($0, name: "test", model: scoringModel) }
            ?? scoring.run(otherHalf, name: "validation (other half)", model: scoringModel)
        if data.test == nil {
            log("no test split: measuring on the hold-out's other half, which the calibrator did not see")
        }
        guard let fitLogits = fitted.logits, let testLogits = measured.logits,
            let rawProbabilities = measured.probabilities
        else {
            throw EvaluationError.invalid("the model has no classifier head to calibrate")
        }
        let calibrator = try Calibrator.fit(method: method, logits: fitLogits, labels: fitted.labels)
        let fittedOn = "validation (calibration half)"
        var stored = StoredCalibrator(
            calibrator: calibrator, fittedOn: fittedOn, count: fitted.count,
            checkpoint: url.lastPathComponent, step: checkpoint.progress.step, fittedAt: Date())
        let calibrated = calibrator.calibrated(logits: testLogits)
        var outcome = Outcome(
            runID: checkpoint.progress.runID, checkpoint: url.path, checkpointStep: checkpoint.progress.step,
            method: method.rawValue,
            calibrator: stored.summary, fittedOn: fittedOn, fittedCount: fitted.count, measuredOn: measured.name,
            measuredCount: measured.count, binning: RunEvaluation.describe(binning),
            before: try Measures(probabilities: rawProbabilities, labels: measured.labels, binning: binning),
            after: try Measures(probabilities: calibrated, labels: measured.labels, binning: binning),
            warnings: [])
        if let coverage = conformalCoverage {
            let conformalSet = scoring.run(otherHalf, name: "validation", model: scoringModel)
            let probabilities = calibrator.calibrated(logits: conformalSet.logits ?? [])
            stored.conformal = try ConformalPredictor.Method.allCases.map {
                try ConformalPredictor.fit(
                    method: $0, probabilities: probabilities, labels: conformalSet.labels, coverage: coverage,
                    penalty: rapsPenalty, freeRanks: rapsFreeRanks)
            }
            outcome.conformal = stored.conformal.map {
                ConformalMeasure($0, probabilities: calibrated, labels: measured.labels)
            }
        }
        outcome.judge()
        return (stored, outcome)
    }
}
