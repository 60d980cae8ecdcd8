import Foundation
import Metrics
import RunLog

extension ReportRun {
    /// The report's view of a stored run: its settings (the params), tags, metric
    /// histories, evaluations, and the PNG images it recorded as artifacts.
    public init(_ record: RunRecord, in store: RunStore) throws {
        let histories = try store.metricHistory(of: record.id)
        let images = try store.artifacts(of: record.id).filter { $0.kind.hasPrefix("image") && $0.path.hasSuffix(".png") }
            .compactMap { artifact in
                FileManager.default.contents(atPath: artifact.path).map {
                    ReportImage(title: (artifact.path as NSString).lastPathComponent, pngData: $0)
                }
            }
        let evaluations = try store.evaluations(of: record.id)
        self.init(
            id: record.id, name: record.name, status: record.displayStatus(), statusReason: record.statusReason,
            experiment: record.experiment, startTime: record.startTime, endTime: record.endTime, seed: record.seed,
            objective: record.objective, model: record.model, dataset: record.dataset, codeVersion: record.codeVersion,
            config: try store.params(of: record.id), tags: try store.tags(of: record.id),
            latestMetrics: try store.latestMetrics(of: record.id).mapValues(\.value),
            metricHistory: histories.mapValues { $0.map { MetricPoint(step: $0.step, value: $0.value) } },
            evaluations: evaluations.map {
                ReportEvaluation(dataset: $0.dataset, score: $0.score, metric: $0.metric, value: $0.value,
                                 group: Self.group(fromSettings: $0.settings))
            },
            images: images,
            evaluationSamples: Self.evaluationSamples(try store.sampleScores(of: record.id), evaluations: evaluations))
    }

    /// The stored per-sample scores as the report's plain values; the in-distribution set is
    /// the one with classifier metrics ("test" when none has).
    static func evaluationSamples(_ rows: [SampleScoreRecord], evaluations: [EvaluationRecord]) -> ReportEvaluationSamples? {
        guard !rows.isEmpty else { return nil }
        let classifierRow = evaluations.first { $0.score == "classifier" }
        let inDistribution = classifierRow?.dataset ?? "test"
        var scores: [String: [String: [Double]]] = [:]
        var outcome: [Int: (confidence: Double, correct: Bool)] = [:]
        for row in rows {
            scores[row.score, default: [:]][row.dataset, default: []].append(row.value)
            if row.dataset == inDistribution, let confidence = row.confidence, let prediction = row.prediction, let label = row.label {
                outcome[row.index] = (confidence, prediction == label)
            }
        }
        let ordered = outcome.keys.sorted().compactMap { outcome[$0] }
        return ReportEvaluationSamples(inDistribution: inDistribution, confidences: ordered.map(\.confidence),
                                       correct: ordered.map(\.correct), scores: scores,
                                       binning: binning(fromSettings: classifierRow?.settings) ?? .standard)
    }

    /// The binning `joule evaluate` describes in its settings ("20 equal-mass bins").
    static func binning(fromSettings settings: String?) -> CalibrationBinning? {
        guard let data = settings?.data(using: .utf8),
              let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
              let words = (object["binning"] as? String)?.split(separator: " "), words.count == 3,
              let bins = Int(words[0]), bins >= 1, bins <= 1_000 else { return nil }
        switch words[1] {
        case "equal-width": return .equalWidth(bins: bins)
        case "equal-mass": return .equalMass(bins: bins)
        default: return nil
        }
    }

    /// The OOD group `joule evaluate` writes into an evaluation's settings JSON, if any.
    static func group(fromSettings settings: String?) -> String? {
        guard let data = settings?.data(using: .utf8),
              let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else { return nil }
        return object["group"] as? String
    }
}
