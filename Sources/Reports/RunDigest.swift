import Metrics

/// The few numbers that decide between runs, read off a run's evaluations: accuracy, NLL
/// and ECE before and after calibration, the best OOD AUROC per set with its score, a toy
/// density's MMD², and the warnings a reader must not miss.
struct RunDigest {
    /// In-distribution accuracy (the newest evaluation's).
    var accuracy: ReportEvaluation?
    /// NLL and ECE of the model's own probabilities, and after the newest calibrator.
    var nll: ReportEvaluation?
    var ece: ReportEvaluation?
    var calibratedNLL: ReportEvaluation?
    var calibratedECE: ReportEvaluation?
    /// The Brier score, before and after the calibrator.
    var brier: ReportEvaluation?
    var calibratedBrier: ReportEvaluation?
    /// Sample quality (`joule sample --evaluate`), by metric: conditional_accuracy,
    /// frechet_distance, precision, recall.
    var sampleQuality: [String: ReportEvaluation] = [:]
    /// The calibration method behind `calibrated…` ("temperature").
    var calibrationMethod: String?
    /// For each OOD set, the AUROC of the score that separates it best.
    var bestAUROC: [String: ReportEvaluation] = [:]
    /// A toy density run: MMD² of its sampler's samples, and of a second data sample (the floor).
    var mmd: ReportEvaluation?
    var mmdFloor: ReportEvaluation?
    var warnings: [String] = []

    init(_ run: ReportRun) {
        let values = run.evaluations
        func find(_ score: String, _ metric: String) -> ReportEvaluation? {
            values.first { $0.score == score && $0.metric == metric && $0.group == "in-distribution" }
                ?? values.first { $0.score == score && $0.metric == metric }
        }
        accuracy = find("classifier", "accuracy")
        // The calibration measurement says both sides; an evaluation alone is the "before"
        // when no calibrator was applied to it.
        if let uncalibrated = find("uncalibrated", "ece") {
            ece = uncalibrated
            nll = find("uncalibrated", "nll")
            brier = find("uncalibrated", "brier")
            // The calibrator measured beside those numbers (one calibration measures one), else the newest.
            let fitted = values.filter { $0.score.hasPrefix("calibrated:") && $0.metric == "ece" }
            if let calibrated = fitted.first(where: {
                $0.measurement != nil && $0.measurement == uncalibrated.measurement
            })
                ?? fitted.max(by: { ($0.measurement ?? 0) < ($1.measurement ?? 0) })
            {
                calibrationMethod = String(calibrated.score.dropFirst("calibrated:".count))
                calibratedECE = calibrated
                calibratedNLL = values.first { $0.score == calibrated.score && $0.metric == "nll" }
                calibratedBrier = values.first { $0.score == calibrated.score && $0.metric == "brier" }
            }
        } else {
            ece = find("classifier", "ece")
            nll = find("classifier", "nll")
            brier = find("classifier", "brier")
        }
        for value in values where value.dataset == "class-samples" && value.score == "sample-quality" {
            if sampleQuality[value.metric] == nil { sampleQuality[value.metric] = value }
        }
        // The best score of a single input: the typicality test judges batches, so it is not one of them. A run
        // measured on its test set is summarised by those measurements, not by ones on its validation hold-out
        // (`evaluate --on-validation`, made to choose scores).
        let onTest = run.measurements.contains { $0.inDataset == "test" }
        let onValidation = Set(run.measurements.filter { $0.inDataset == "validation" }.map(\.id))
        for value in values
        where value.metric == "auroc" && value.group != "in-distribution" && !value.score.hasPrefix("typicality@")
            && !(onTest && value.measurement.map(onValidation.contains) == true)
        {
            if value.value > bestAUROC[value.dataset]?.value ?? -1 { bestAUROC[value.dataset] = value }
        }
        mmd = values.first { $0.score == "samples" && $0.metric == "mmd2_sampler" }
        mmdFloor = values.first { $0.score == "samples" && $0.metric == "mmd2_data" }
        warnings = Self.warnings(
            values, calibrationMethod: calibrationMethod, inDataset: accuracy?.dataset ?? ece?.dataset)
        if ["FAILED", "KILLED", "INTERRUPTED"].contains(run.status.uppercased()) {
            warnings.insert("the run is \(run.status)" + (run.statusReason.map { ": \($0)" } ?? ""), at: 0)
        }
    }

    /// Inverted scores and calibrators that made ECE or NLL worse.
    private static func warnings(_ values: [ReportEvaluation], calibrationMethod: String?, inDataset: String?)
        -> [String]
    {
        var result: [String] = []
        if let method = calibrationMethod {
            let pick = { (score: String) in
                Dictionary(
                    values.filter { $0.score == score }.map { ($0.metric, $0.value) }, uniquingKeysWith: { a, _ in a })
            }
            let dataset = values.first { $0.score == "uncalibrated" }?.dataset ?? inDataset ?? "the test set"
            result += MeasurementWarnings.worseAfterCalibration(
                calibrator: method, dataset: dataset, before: pick("uncalibrated"),
                after: pick("calibrated:\(method)"))
        }
        let inverted = values.filter { value in
            guard value.metric == "auroc", value.group != "in-distribution", let n = value.inCount,
                let out = value.outCount
            else { return false }
            return MeasurementWarnings.isInverted(auroc: value.value, inCount: n, outCount: out)
        }
        result += MeasurementWarnings.inverted(
            inverted.map { ($0.score, $0.dataset, $0.value) }, inDataset: inDataset ?? "the data")
        return result
    }
}
