import Datasets
import Foundation
import Metrics
import Runs
import Uncertainty

/// `joule evaluate`: a trained run's classification, calibration and OOD detection.
///
/// The in-distribution set is the run's test split (its validation hold-out for datasets
/// without one). Every OOD set is scored with every score; detection treats in-distribution
/// as positive and scores as higher = more in-distribution.
public struct RunEvaluation {
    /// What to measure and how: OOD sets, scores, binning, limits and seeds.
    public var settings: EvaluationSettings

    /// An evaluation that measures what `settings` asks for.
    public init(settings: EvaluationSettings) { self.settings = settings }

    /// The scored sets (in-distribution first) and the measured result.
    ///
    /// - Parameters:
    ///   - calibrator: applied to the in-distribution probabilities before measuring
    ///     calibration, when the run has one.
    ///   - mnist5k: where MNIST-5k's file is.
    ///   - log: progress lines for the terminal.
    public func run(
        _ checkpoint: TrainingCheckpoint, path: String, calibrator: StoredCalibrator? = nil, mnist5k: URL,
        log: (String) -> Void = { _ in }
    ) throws -> (result: EvaluationResult, sets: [ScoredSet]) {
        let bareModel = try checkpoint.scoringModel(path: path)
        var settings = settings
        if !settings.scoresExplicit {
            // An energy without a classifier head (or features) gets the default scores it supports.
            settings.scores = settings.scores.filter(bareModel.canFit)
        }
        guard !settings.scores.isEmpty else { throw EvaluationError.invalid("no scores to compute") }
        for score in settings.scores where !bareModel.canFit(score) {
            throw EvaluationError.invalid(
                Self.cannotGive(score, model: bareModel, objective: checkpoint.configuration.core.objective))
        }
        let fitted = try FittedScoring.prepare(
            checkpoint, url: URL(fileURLWithPath: path), model: bareModel, scores: settings.scores,
            background: settings.background.map { URL(fileURLWithPath: $0) }, refit: settings.refitScores,
            batchSize: settings.batchSize, log: log)
        let scoringModel = fitted.model
        let data = try TrainingData.load(checkpoint.configuration)
        let testSet = settings.onValidation ? nil : data.test.map { ("test", $0) }
        guard let (inName, fullInSet) = testSet ?? data.validation.map({ ("validation", $0) }) else {
            throw EvaluationError.invalid(
                settings.onValidation
                    ? "the run has no validation hold-out to evaluate on"
                    : "the run's dataset has neither a test split nor a validation hold-out")
        }
        let inSet = settings.limit.map { fullInSet.subset(Array(0..<min($0, fullInSet.count))) } ?? fullInSet

        var scoring = DatasetScoring(scores: settings.scores)
        scoring.batchSize = settings.batchSize
        scoring.seed = settings.seed
        func score(_ set: ImageDataset, as name: String) -> ScoredSet {
            let started = Date()
            var scored = scoring.run(set, name: name, model: scoringModel)
            // Calibrated probabilities replace the raw ones (confidences, the reliability
            // diagram); the OOD scores stay the model's own.
            if let calibrator, let logits = scored.logits {
                scored.probabilities = calibrator.calibrator.calibrated(logits: logits)
            }
            log("scored \(name): \(set.count) images in \(String(format: "%.1f", Date().timeIntervalSince(started))) s")
            return scored
        }
        // Every OOD set is read (or made) before anything is scored, so a bad file fails fast.
        var oodImages: [(set: OODSet, images: ImageDataset)] = []
        for (k, oodSet) in settings.oodSets.enumerated() {
            do {
                oodImages.append(
                    (
                        oodSet,
                        try oodSet.make(
                            like: fullInSet, count: settings.syntheticCount,
                            seed: settings.seed &+ UInt64(k) &+ 1, mnist5k: mnist5k)
                    ))
            } catch  where !settings.oodSetsExplicit {
                log("skipping the default OOD set \(oodSet.name): \(error)")
            }
        }
        let inScored = try Self.checkedFinite(score(inSet, as: inName))
        var conformalValues: [String: [Double]] = [:]
        var sets = [inScored]
        var ood: [OODResult] = []
        for (oodSet, images) in oodImages {
            let scored = try Self.checkedFinite(score(images, as: oodSet.name))
            sets.append(scored)
            for s in settings.scores {
                let detection = try DetectionMetrics.compute(
                    inDistribution: inScored.scores[s] ?? [],
                    outOfDistribution: scored.scores[s] ?? [])
                ood.append(
                    OODResult(
                        dataset: oodSet.name, group: oodSet.group.rawValue, score: s.name,
                        auroc: detection.auroc, auprIn: detection.auprIn, auprOut: detection.auprOut,
                        fpr95: detection.fpr95, detectionError: detection.detectionError,
                        inCount: detection.inCount, outCount: detection.outCount))
            }
        }
        let typicality = fitted.fit.typicality.map { test in
            Self.typicality(test, sets: sets, batchSizes: settings.typicalityBatchSizes, seed: settings.seed)
        }
        var result = EvaluationResult(
            runID: checkpoint.progress.runID, checkpoint: path, checkpointStep: checkpoint.progress.step,
            inDistribution: inName,
            count: inSet.count,
            binning: Self.describe(settings.binning), ood: ood,
            scores: Dictionary(uniqueKeysWithValues: settings.scores.map { ($0.name, $0.meaning) }),
            conventions: Self.conventions(settings.binning))
        result.calibrator = calibrator?.description
        result.scoreFit = fitted.fit.description
        result.typicality = typicality ?? []
        result.warnings = MeasurementWarnings.inverted(
            ood.filter { MeasurementWarnings.isInverted(auroc: $0.auroc, inCount: $0.inCount, outCount: $0.outCount) }
                .map { ($0.score, $0.dataset, $0.auroc) }, inDataset: inName)
        if let probabilities = inScored.probabilities {
            let classification = try ClassificationMetrics.compute(
                probabilities: probabilities, labels: inScored.labels)
            let calibration = try CalibrationMetrics.compute(
                probabilities: probabilities, labels: inScored.labels,
                binning: settings.binning)
            result.accuracy = classification.accuracy
            result.nll = classification.nll
            result.brier = classification.brier
            result.ece = calibration.ece
            result.mce = calibration.mce
            result.rmsCalibrationError = calibration.rmsCalibrationError
            result.reliability = calibration.bins
            if let calibrator, inScored.labels.allSatisfy({ $0 >= 0 }) {
                result.conformal = calibrator.conformal.map {
                    ConformalMeasure($0, probabilities: probabilities, labels: inScored.labels)
                }
                for predictor in calibrator.conformal {
                    let sets = probabilities.map(predictor.predictionSet)
                    let key = "conformal:\(predictor.method.rawValue)"
                    conformalValues[key + ":size"] = sets.map { Double($0.count) }
                    conformalValues[key + ":covered"] = zip(sets, inScored.labels).map { $0.contains($1) ? 1 : 0 }
                }
            }
        }
        sets[0].sampleValues = conformalValues
        return (result, sets)
    }

    /// The set, once every score and probability is finite; otherwise an error naming the
    /// set, the score and the first bad sample (a diverged model's outputs overflow).
    static func checkedFinite(_ set: ScoredSet) throws -> ScoredSet {
        for (score, values) in set.scores.sorted(by: { $0.key.name < $1.key.name }) {
            if let bad = values.firstIndex(where: { !$0.isFinite }) {
                throw EvaluationError.invalid(
                    "\(set.name): score \(score.name) of sample \(bad) is \(values[bad]) "
                        + "(\(values.count { !$0.isFinite }) of \(values.count) not finite)")
            }
        }
        if let rows = set.logits, let bad = rows.firstIndex(where: { !$0.allSatisfy(\.isFinite) }) {
            throw EvaluationError.invalid("\(set.name): the logits of sample \(bad) are not finite")
        }
        return set
    }

    /// "15 equal-width bins" or "15 equal-mass bins".
    public static func describe(_ binning: CalibrationBinning) -> String {
        switch binning {
        case .equalWidth(let bins): return "\(bins) equal-width bins"
        case .equalMass(let bins): return "\(bins) equal-mass bins"
        }
    }

    /// The definitions behind every number, stated in the output (peers disagree on them).
    public static func conventions(_ binning: CalibrationBinning) -> [String: String] {
        [
            "positive_class": "in-distribution samples are the positive class of AUROC, AUPR-in and FPR@95",
            "score_direction": "every score is oriented so that higher means more in-distribution",
            "auroc": "exact Mann–Whitney statistic; tied in/out pairs count one half",
            "aupr": "average precision (scikit-learn's step-wise sum over distinct thresholds, no interpolation); "
                + "AUPR-in: in-distribution positive; AUPR-out: OOD positive with scores negated",
            "fpr95":
                "the largest threshold t with at least 95% of in-distribution scores ≥ t; FPR = share of OOD scores ≥ t",
            "detection_error": "min over thresholds of ½(1 − TPR) + ½ FPR",
            "brier": "Σ over classes of (p_k − 1[k = y])², averaged over samples (range 0–2)",
            "nll": "mean −log p(y | x), with p clamped below at 1e-12",
            "calibration":
                "ECE = Σ_b (n_b / N)|acc_b − conf_b|, MCE = max_b |acc_b − conf_b|, RMS = √Σ_b (n_b / N)(acc_b − conf_b)², "
                + "confidence = top-class probability, \(describe(binning))",
        ]
    }
}

/// Evaluation requests that cannot be carried out.
public enum EvaluationError: Error, CustomStringConvertible {
    case invalid(String)
    /// The problem, in words for the terminal.
    public var description: String {
        switch self {
        case .invalid(let problem): return problem
        }
    }
}
