import Foundation
import RunLog
import Uncertainty

extension EvaluationResult {
    /// The score name under which classification and calibration metrics are stored.
    public static let classifierScore = "classifier"

    /// The result as run-store rows: (in-distribution set, "classifier", accuracy / nll /
    /// brier / ece / mce / rms_ce) and (OOD set, score, auroc / aupr_in / aupr_out / fpr95 /
    /// detection_error); the settings column holds the conventions as JSON.
    public var records: [EvaluationRecord] {
        var rows: [EvaluationRecord] = []
        let calibrationSettings = Self.json(["group": "in-distribution", "binning": binning, "in_count": String(count),
                                              "calibrator": calibrator ?? "none", "checkpoint": checkpoint])
        let classifier: [(String, Double?)] = [("accuracy", accuracy), ("nll", nll), ("brier", brier), ("ece", ece),
                                               ("mce", mce), ("rms_ce", rmsCalibrationError)]
        for case let (metric, value?) in classifier {
            rows.append(EvaluationRecord(dataset: inDistribution, score: Self.classifierScore, metric: metric,
                                         value: value, settings: calibrationSettings))
        }
        for row in ood {
            let settings = Self.json(["group": row.group, "in_dataset": inDistribution, "in_count": String(row.inCount),
                                      "out_count": String(row.outCount), "checkpoint": checkpoint,
                                      "direction": "higher = in-distribution; in-distribution positive"])
            for (metric, value) in [("auroc", row.auroc), ("aupr_in", row.auprIn), ("aupr_out", row.auprOut),
                                    ("fpr95", row.fpr95), ("detection_error", row.detectionError)] {
                rows.append(EvaluationRecord(dataset: row.dataset, score: row.score, metric: metric, value: value, settings: settings))
            }
        }
        return rows
    }

    private static func json(_ values: [String: String]) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return (try? encoder.encode(values)).flatMap { String(data: $0, encoding: .utf8) } ?? "{}"
    }
}

extension ScoredSet {
    /// One run-store row per sample and score: dataset, index, label (nil when unlabelled),
    /// prediction and confidence (nil without a classifier head), score name and value.
    public var sampleRecords: [SampleScoreRecord] {
        let predictions = self.predictions, confidences = self.confidences
        var rows: [SampleScoreRecord] = []
        rows.reserveCapacity(count * scores.count)
        let ordered = scores.sorted { $0.key.name < $1.key.name }
        for i in 0..<count {
            for (score, values) in ordered {
                rows.append(SampleScoreRecord(dataset: name, index: i, label: labels[i] >= 0 ? labels[i] : nil,
                                              prediction: predictions?[i], confidence: confidences?[i],
                                              score: score.name, value: values[i]))
            }
        }
        return rows
    }
}
