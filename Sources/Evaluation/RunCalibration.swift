import Datasets
import Foundation
import Metrics
import Training
import Uncertainty

/// `joule calibrate`: fits a calibrator on the run's validation hold-out and measures the
/// test set before and after it.
public struct RunCalibration {
    /// Classification and calibration numbers of one set under one set of probabilities.
    public struct Measures: Codable, Sendable {
        public var accuracy, nll, brier, ece, mce, rmsCalibrationError: Double

        enum CodingKeys: String, CodingKey {
            case accuracy, nll, brier, ece, mce, rmsCalibrationError = "rms_calibration_error"
        }

        init(probabilities: [[Double]], labels: [Int], binning: CalibrationBinning) throws {
            let c = try ClassificationMetrics.compute(probabilities: probabilities, labels: labels)
            let k = try CalibrationMetrics.compute(probabilities: probabilities, labels: labels, binning: binning)
            (accuracy, nll, brier, ece, mce, rmsCalibrationError) = (c.accuracy, c.nll, c.brier, k.ece, k.mce, k.rmsCalibrationError)
        }
    }

    /// What `joule calibrate` prints with `--json`.
    public struct Outcome: Codable, Sendable {
        public var runID: String
        public var method: String
        public var calibrator: String
        public var fittedOn: String
        public var fittedCount: Int
        public var measuredOn: String
        public var measuredCount: Int
        public var binning: String
        public var before: Measures
        public var after: Measures

        enum CodingKeys: String, CodingKey {
            case runID = "run_id", method, calibrator, fittedOn = "fitted_on", fittedCount = "fitted_count"
            case measuredOn = "measured_on", measuredCount = "measured_count", binning, before, after
        }
    }

    public var method: CalibrationMethod
    public var binning: CalibrationBinning = .standard
    public var batchSize = 256

    public init(method: CalibrationMethod) { self.method = method }

    /// Fits on validation logits, measures on the test set (on validation itself when the
    /// dataset has no test split, and says so).
    public func run(_ checkpoint: TrainingCheckpoint, url: URL, log: (String) -> Void = { _ in })
        throws -> (stored: StoredCalibrator, outcome: Outcome) {
        guard !checkpoint.configuration.isScoreMatching else {
            throw EvaluationError.invalid("\(url.path): a \(checkpoint.configuration.objective) energy has no class probabilities to calibrate")
        }
        let (model, _, _) = try checkpoint.makeModel(path: url.path)
        let data = try TrainingData.load(checkpoint.configuration)
        guard let validation = data.validation else {
            throw EvaluationError.invalid("the run has no validation hold-out to fit a calibrator on (validation-size 0?)")
        }
        var scoring = DatasetScoring(scores: [])
        scoring.batchSize = batchSize
        let scoringModel = ScoringModel(classifier: model)
        let fitted = scoring.run(validation, name: "validation", model: scoringModel)
        let measured = data.test.map { scoring.run($0, name: "test", model: scoringModel) } ?? fitted
        if data.test == nil { log("no test split: measuring on the validation hold-out the calibrator was fitted on") }
        guard let fitLogits = fitted.logits, let testLogits = measured.logits, let rawProbabilities = measured.probabilities else {
            throw EvaluationError.invalid("the model has no classifier head to calibrate")
        }
        let calibrator = try Calibrator.fit(method: method, logits: fitLogits, labels: fitted.labels)
        let stored = StoredCalibrator(calibrator: calibrator, fittedOn: "validation", count: fitted.count,
                                      checkpoint: url.lastPathComponent, step: checkpoint.progress.step)
        let outcome = Outcome(
            runID: checkpoint.progress.runID, method: method.rawValue, calibrator: stored.summary, fittedOn: "validation",
            fittedCount: fitted.count, measuredOn: measured.name, measuredCount: measured.count,
            binning: RunEvaluation.describe(binning),
            before: try Measures(probabilities: rawProbabilities, labels: measured.labels, binning: binning),
            after: try Measures(probabilities: calibrator.calibrated(logits: testLogits), labels: measured.labels, binning: binning))
        return (stored, outcome)
    }
}
