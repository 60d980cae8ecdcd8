import Foundation
import Metrics
import RunLog

extension ReportRun {
    /// The report's view of a stored run: its settings (the params), tags, metric
    /// histories, evaluations (the newest per dataset and score, or one measurement's) with
    /// the counts and checkpoint behind each, its measurements, and the PNG images it
    /// recorded as artifacts.
    public init(_ record: RunRecord, in store: RunStore, selection: MeasurementSelection = .latest) throws {
        let histories = try store.metricHistory(of: record.id)
        let images = try store.artifacts(of: record.id).filter {
            $0.kind.hasPrefix("image") && $0.path.hasSuffix(".png")
        }
        .compactMap { artifact in
            FileManager.default.contents(atPath: artifact.path).map {
                ReportImage(title: (artifact.path as NSString).lastPathComponent, pngData: $0)
            }
        }
        let evaluations = try store.evaluations(of: record.id, selection: selection)
        let measurements = Dictionary(uniqueKeysWithValues: try store.measurements(of: record.id).map { ($0.id, $0) })
        self.init(
            id: record.id, name: record.name, status: record.displayStatus(), statusReason: record.statusReason,
            experiment: record.experiment, startTime: record.startTime, endTime: record.endTime, seed: record.seed,
            objective: record.objective, model: record.model, dataset: record.dataset, codeVersion: record.codeVersion,
            config: try store.params(of: record.id), tags: try store.tags(of: record.id),
            latestMetrics: try store.latestMetrics(of: record.id).mapValues(\.value),
            metricHistory: histories.mapValues { $0.map { MetricPoint(step: $0.step, value: $0.value) } },
            evaluations: evaluations.map { value in
                let measurement = value.measurementID.flatMap { measurements[$0] }
                let settings = Self.settings(value.settings)
                return ReportEvaluation(
                    dataset: value.dataset, score: value.score, metric: value.metric, value: value.value,
                    group: settings["group"] as? String,
                    inCount: Self.count(settings["in_count"]) ?? measurement?.inCount,
                    outCount: Self.count(settings["out_count"]), measurement: value.measurementID,
                    checkpoint: measurement?.checkpoint.map { ($0 as NSString).lastPathComponent },
                    checkpointStep: measurement?.checkpointStep)
            },
            images: images,
            evaluationSamples: Self.evaluationSamples(
                try store.sampleScores(of: record.id, selection: selection), evaluations: evaluations),
            measurements: measurements.values.sorted { $0.id < $1.id }.map {
                ReportMeasurement(
                    id: $0.id, kind: $0.kind.rawValue, createdAt: $0.createdAt, checkpoint: $0.checkpointDescription,
                    calibrator: $0.calibrator, inDataset: $0.inDataset, inCount: $0.inCount, migrated: $0.migrated)
            })
    }

    /// An evaluation's settings JSON as an object (empty when absent or malformed).
    static func settings(_ text: String?) -> [String: Any] {
        guard let data = text?.data(using: .utf8) else { return [:] }
        return (try? JSONSerialization.jsonObject(with: data) as? [String: Any]) ?? [:]
    }

    /// A count written as a number or as text.
    static func count(_ value: Any?) -> Int? { (value as? Int) ?? (value as? String).flatMap(Int.init) }

    /// The stored per-sample scores as the report's plain values; the in-distribution set is
    /// the one with classifier metrics ("test" when none has).
    static func evaluationSamples(_ rows: [SampleScoreRecord], evaluations: [EvaluationRecord])
        -> ReportEvaluationSamples?
    {
        guard !rows.isEmpty else { return nil }
        let classifierRow = evaluations.first { $0.score == "classifier" }
        let inDistribution = classifierRow?.dataset ?? "test"
        var scores: [String: [String: [Double]]] = [:]
        var outcome: [Int: (confidence: Double, correct: Bool)] = [:]
        // The reliability diagram reads one measurement: the newest that scored the set.
        let newest = rows.filter { $0.dataset == inDistribution }.compactMap(\.measurementID).max()
        var sources: [String: [String: Int]] = [:]
        for row in rows {
            scores[row.score, default: [:]][row.dataset, default: []].append(row.value)
            if let id = row.measurementID { sources[row.score, default: [:]][row.dataset] = id }
            if row.dataset == inDistribution, row.measurementID == newest, let confidence = row.confidence,
                let prediction = row.prediction, let label = row.label
            {
                outcome[row.index] = (confidence, prediction == label)
            }
        }
        let ordered = outcome.keys.sorted().compactMap { outcome[$0] }
        return ReportEvaluationSamples(
            inDistribution: inDistribution, confidences: ordered.map(\.confidence),
            correct: ordered.map(\.correct), scores: scores,
            binning: binning(fromSettings: classifierRow?.settings) ?? .standard, measurements: sources)
    }

    /// The binning `joule evaluate` describes in its settings ("20 equal-mass bins").
    static func binning(fromSettings settings: String?) -> CalibrationBinning? {
        guard let data = settings?.data(using: .utf8),
            let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
            let words = (object["binning"] as? String)?.split(separator: " "), words.count == 3,
            let bins = Int(words[0]), bins >= 1, bins <= 1_000
        else { return nil }
        switch words[1] {
        case "equal-width": return .equalWidth(bins: bins)
        case "equal-mass": return .equalMass(bins: bins)
        default: return nil
        }
    }

    /// The OOD group `joule evaluate` writes into an evaluation's settings JSON, if any.
    static func group(fromSettings settings: String?) -> String? {
        guard let data = settings?.data(using: .utf8),
            let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any]
        else { return nil }
        return object["group"] as? String
    }
}
