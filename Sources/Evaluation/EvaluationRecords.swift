import Foundation
import Metrics
import RunLog
import Uncertainty

extension EvaluationResult {
    /// The score name under which classification and calibration metrics are stored.
    public static let classifierScore = "classifier"

    /// The result as run-store rows: (in-distribution set, "classifier", accuracy / nll /
    /// brier / ece / mce / rms_ce) and (OOD set, score, auroc / aupr_in / aupr_out / fpr95 /
    /// detection_error); the settings column holds the conventions and counts as JSON.
    public var records: [EvaluationRecord] {
        var rows: [EvaluationRecord] = []
        let calibrationSettings = jsonText([
            "group": "in-distribution", "binning": binning, "in_count": String(count),
            "calibrator": calibrator ?? "none", "checkpoint": checkpoint,
        ])
        let classifier: [(String, Double?)] = [
            ("accuracy", accuracy), ("nll", nll), ("brier", brier), ("ece", ece),
            ("mce", mce), ("rms_ce", rmsCalibrationError),
        ]
        for case (let metric, let value?) in classifier {
            rows.append(
                EvaluationRecord(
                    dataset: inDistribution, score: Self.classifierScore, metric: metric,
                    value: value, settings: calibrationSettings))
        }
        rows += conformal.flatMap { $0.records(dataset: inDistribution, checkpoint: checkpoint) }
        for row in ood + typicality {
            var fields = [
                "group": row.group, "in_dataset": inDistribution, "in_count": String(row.inCount),
                "out_count": String(row.outCount), "checkpoint": checkpoint,
                "direction": "higher = in-distribution; in-distribution positive",
            ]
            if row.score.hasPrefix("typicality@") { fields["unit"] = "batches of \(row.score.dropFirst(11)) inputs" }
            let settings = jsonText(fields)
            for (metric, value) in [
                ("auroc", row.auroc), ("aupr_in", row.auprIn), ("aupr_out", row.auprOut),
                ("fpr95", row.fpr95), ("detection_error", row.detectionError),
            ] {
                rows.append(
                    EvaluationRecord(
                        dataset: row.dataset, score: row.score, metric: metric, value: value, settings: settings))
            }
        }
        return rows
    }

    /// The measurement this evaluation is, with the request's `settings` beside it.
    public func measurement(settings: EvaluationSettings) -> NewMeasurement {
        NewMeasurement(
            kind: .evaluation, checkpoint: checkpoint, checkpointStep: checkpointStep, calibrator: calibrator,
            inDataset: inDistribution, inCount: count, settings: jsonText(settings.recordedSettings))
    }
}

extension EvaluationSettings {
    /// The request as the store keeps it: what a later reader needs to know the numbers
    /// were measured on.
    var recordedSettings: [String: String] {
        [
            "ood_sets": oodSets.map(\.name).joined(separator: ","), "scores": scores.map(\.name).joined(separator: ","),
            "binning": RunEvaluation.describe(binning), "synthetic_count": String(syntheticCount),
            "limit": limit.map(String.init) ?? "none", "seed": String(seed), "batch_size": String(batchSize),
            "typicality_batch_sizes": typicalityBatchSizes.map(String.init).joined(separator: ","),
            "background": background ?? "none", "in_distribution": onValidation ? "validation" : "test",
        ]
    }
}

extension RunCalibration.Outcome {
    /// The before/after numbers as rows: ("uncalibrated" and "calibrated:METHOD", accuracy /
    /// nll / brier / ece / mce / rms_ce) on the set measured.
    public var records: [EvaluationRecord] {
        let settings = jsonText([
            "group": "in-distribution", "calibrator": calibrator, "fitted_on": fittedOn, "binning": binning,
            "in_count": String(measuredCount), "checkpoint": checkpoint,
        ])
        var rows: [EvaluationRecord] = []
        for (score, m) in [("uncalibrated", before), ("calibrated:\(method)", after)] {
            for (metric, value) in [
                ("accuracy", m.accuracy), ("nll", m.nll), ("brier", m.brier), ("ece", m.ece), ("mce", m.mce),
                ("rms_ce", m.rmsCalibrationError),
            ] {
                rows.append(
                    EvaluationRecord(
                        dataset: measuredOn, score: score, metric: metric, value: value, settings: settings))
            }
        }
        rows += conformal.flatMap { $0.records(dataset: measuredOn, checkpoint: checkpoint) }
        return rows
    }

    /// The measurement this calibration is.
    public var measurement: NewMeasurement {
        NewMeasurement(
            kind: .calibration, checkpoint: checkpoint, checkpointStep: checkpointStep, calibrator: calibrator,
            inDataset: measuredOn, inCount: measuredCount,
            settings: jsonText([
                "method": method, "fitted_on": fittedOn, "fitted_count": String(fittedCount),
                "binning": binning,
            ]))
    }
}

extension ConformalMeasure {
    /// Rows (dataset, "conformal:METHOD", coverage / mean_set_size / target_coverage), the size counts in the
    /// settings.
    func records(dataset: String, checkpoint: String) -> [EvaluationRecord] {
        let settings = jsonText([
            "group": "in-distribution", "checkpoint": checkpoint, "calibration_count": String(calibrationCount),
            "in_count": String(count), "size_counts": sizeCounts.map(String.init).joined(separator: ","),
            "threshold": String(threshold),
        ])
        return [("coverage", coverage), ("mean_set_size", meanSize), ("target_coverage", targetCoverage)].map {
            EvaluationRecord(dataset: dataset, score: "conformal:\(method)", metric: $0, value: $1, settings: settings)
        }
    }
}

extension ToyEvaluation {
    /// The MMD² values as run-store rows (dataset: the density, score: "samples").
    public var records: [EvaluationRecord] {
        let settings = jsonText([
            "bandwidth": String(bandwidth), "count": String(count), "in_count": String(count),
            "sampler": sampler, "checkpoint": checkpoint,
        ])
        let values: [(String, Double?)] = [
            ("mmd2", mmd2), ("mmd2_untrained", mmd2Untrained), ("mmd2_sampler", mmd2Sampler),
            ("mmd2_sampler_untrained", mmd2SamplerUntrained), ("mmd2_data", mmd2Data),
        ]
        return values.compactMap { name, value in
            value.map {
                EvaluationRecord(
                    dataset: "toy:\(density)", score: "samples", metric: name, value: $0, settings: settings)
            }
        }
    }

    /// The measurement this evaluation is, of the checkpoint at training step `step`.
    public func measurement(step: Int) -> NewMeasurement {
        NewMeasurement(
            kind: .evaluation, checkpoint: checkpoint, checkpointStep: step, inDataset: "toy:\(density)",
            inCount: count,
            settings: jsonText(["bandwidth": String(bandwidth), "count": String(count), "sampler": sampler]))
    }
}

extension ScoredSet {
    /// One run-store row per sample and score: dataset, index, label (nil when unlabelled),
    /// prediction and confidence (nil without a classifier head), score name and value.
    public var sampleRecords: [SampleScoreRecord] {
        let predictions = self.predictions
        let confidences = self.confidences
        var rows: [SampleScoreRecord] = []
        rows.reserveCapacity(count * scores.count)
        let ordered = (scores.map { ($0.key.name, $0.value) } + sampleValues.map { ($0.key, $0.value) })
            .sorted { $0.0 < $1.0 }
        for i in 0..<count {
            for (score, values) in ordered {
                rows.append(
                    SampleScoreRecord(
                        dataset: name, index: i, label: labels[i] >= 0 ? labels[i] : nil,
                        prediction: predictions?[i], confidence: confidences?[i],
                        score: score, value: values[i]))
            }
        }
        return rows
    }
}

/// Sorted, compact JSON text of string values.
func jsonText(_ values: [String: String]) -> String {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
    return (try? encoder.encode(values)).flatMap { String(data: $0, encoding: .utf8) } ?? "{}"
}
