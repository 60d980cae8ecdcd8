import Foundation

/// A stored run as one flat record of strings for tables, and as JSON.
public struct RunDescription {
    /// The run as stored.
    public let record: RunRecord
    /// The run's params by key.
    public let params: [String: String]
    /// The run's tags by key.
    public let tags: [String: String]
    /// The latest value of each of the run's metrics, by key.
    public let metrics: [String: MetricPointRecord]
    /// The evaluation values shown (the newest per dataset and score unless one measurement
    /// was selected), and every measurement of the run by id.
    public let evaluations: [EvaluationRecord]
    /// Every measurement of the run by id; empty unless `evaluations` was asked for.
    public let measurements: [Int: MeasurementRecord]
    /// The attribute values by name, as text, in display order.
    public let attributes: [(String, String)]

    /// Reads what `store` holds for `record`: params, tags, latest metrics and, when `evaluations` is set, its
    /// evaluation values (`selection`: the newest per dataset and score, or one measurement's) and measurements.
    public init(
        _ record: RunRecord, in store: RunStore, evaluations: Bool = false, selection: MeasurementSelection = .latest
    ) throws {
        self.record = record
        params = try store.params(of: record.id)
        tags = try store.tags(of: record.id)
        metrics = try store.latestMetrics(of: record.id)
        self.evaluations = evaluations ? try store.evaluations(of: record.id, selection: selection) : []
        measurements =
            evaluations
            ? Dictionary(uniqueKeysWithValues: try store.measurements(of: record.id).map { ($0.id, $0) }) : [:]
        attributes = Self.attributes(of: record)
    }

    /// Seconds from the run's start to its end, or to its last write to the store when it has not ended; nil when
    /// neither is known.
    public var duration: Double? { Self.duration(of: record) }

    /// The attribute's text ("" when the run has none).
    public func attribute(_ name: String) -> String { attributes.first { $0.0 == name }?.1 ?? "" }

    private static func duration(of record: RunRecord) -> Double? {
        guard let end = record.endTime ?? record.heartbeatTime else { return nil }
        return end.timeIntervalSince(record.startTime)
    }

    private static func attributes(of r: RunRecord) -> [(String, String)] {
        let seconds = duration(of: r)
        return [
            ("id", r.id), ("name", r.name), ("experiment", r.experiment ?? ""), ("status", r.displayStatus()),
            ("status_reason", r.statusReason ?? ""), ("start_time", RunTime.format(r.startTime)),
            ("end_time", r.endTime.map(RunTime.format) ?? ""),
            ("duration", seconds.map { String(format: "%.1f s", $0) } ?? ""),
            ("seed", r.seed.map(String.init) ?? ""), ("objective", r.objective ?? ""), ("model", r.model ?? ""),
            ("dataset", r.dataset ?? ""), ("code_version", r.codeVersion ?? ""), ("folder", r.folder ?? ""),
        ]
    }

    /// The value of a field as text ("" when the run lacks it).
    public func value(of field: RunField) -> String {
        switch field.namespace {
        case .metrics: metrics[field.key].map { MetricText.format($0.value) } ?? ""
        case .params: params[field.key] ?? ""
        case .tags: tags[field.key] ?? ""
        case .attributes: attribute(field.key)
        }
    }

    /// What an evaluation value was measured on: "n 10000 · best.safetensors @ step 860 · #3"
    /// (for OOD values "n 10000 in / 5000 out").
    public func provenance(of value: EvaluationRecord) -> String {
        let measurement = value.measurementID.flatMap { measurements[$0] }
        let counts = Self.counts(of: value, measurement: measurement)
        var parts: [String] = []
        switch counts {
        case (let n?, let out?): parts.append("n \(n) in / \(out) out")
        case (let n?, nil): parts.append("n \(n)")
        default: break
        }
        if let measurement {
            parts.append(measurement.checkpointDescription)
            parts.append("#\(measurement.id)" + (measurement.migrated ? " (migrated)" : ""))
        }
        return parts.joined(separator: " · ")
    }

    /// The in-distribution and OOD counts behind a value: its own settings, else its measurement's.
    public static func counts(of value: EvaluationRecord, measurement: MeasurementRecord?) -> (
        inCount: Int?, outCount: Int?
    ) {
        let settings =
            value.settings.flatMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] } ?? [:]
        let number = { (key: String) in (settings[key] as? String).flatMap(Int.init) ?? settings[key] as? Int }
        return (number("in_count") ?? measurement?.inCount, number("out_count"))
    }

    /// The run as a JSON object for `joule runs list` and `joule runs show`: the non-empty attributes, the seed as a
    /// number, `duration_seconds`, the parsed configuration, params, tags, latest metrics and their steps, and any
    /// evaluations (with counts and checkpoint) and measurements.
    public var json: [String: Any] {
        var object: [String: Any] = [:]
        for (key, value) in attributes where !value.isEmpty { object[key] = value }
        object["seed"] = record.seed
        object["duration_seconds"] = duration
        object["config"] = record.config.flatMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) }
        object["params"] = params
        object["tags"] = tags
        object["metrics"] = metrics.mapValues { MetricText.json($0.value) }
        object["metric_steps"] = metrics.mapValues(\.step)
        if !evaluations.isEmpty {
            object["evaluations"] = evaluations.map { value -> [String: Any] in
                let measurement = value.measurementID.flatMap { measurements[$0] }
                let counts = Self.counts(of: value, measurement: measurement)
                var row: [String: Any] = [
                    "dataset": value.dataset, "score": value.score, "metric": value.metric,
                    "value": MetricText.json(value.value),
                ]
                row["n"] = counts.inCount
                row["out_count"] = counts.outCount
                row["measurement"] = value.measurementID
                row["checkpoint"] = measurement?.checkpoint
                row["checkpoint_step"] = measurement?.checkpointStep
                row["measured_at"] = measurement.map { RunTime.format($0.createdAt) }
                return row
            }
        }
        if !measurements.isEmpty {
            object["measurements"] = measurements.values.sorted { $0.id < $1.id }.map(Self.json)
        }
        return object
    }

    /// One measurement as a JSON object: id, kind, time, checkpoint and step, calibrator, in-distribution set and
    /// count (`n`), the parsed settings, and whether it was migrated.
    public static func json(_ m: MeasurementRecord) -> [String: Any] {
        var row: [String: Any] = [
            "id": m.id, "kind": m.kind.rawValue, "measured_at": RunTime.format(m.createdAt), "migrated": m.migrated,
        ]
        row["checkpoint"] = m.checkpoint
        row["checkpoint_step"] = m.checkpointStep
        row["calibrator"] = m.calibrator
        row["in_dataset"] = m.inDataset
        row["n"] = m.inCount
        row["settings"] = m.settings.flatMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) }
        return row
    }

    /// One line per measurement: "#3 evaluation 2026-12-07 14:00:03 · best.safetensors @ step
    /// 860 · test n 10000 · calibrator: none".
    public static func line(_ m: MeasurementRecord) -> String {
        var parts = ["\(m.kind.rawValue) \(RunTime.format(m.createdAt))", m.checkpointDescription]
        if let set = m.inDataset { parts.append("\(set)" + (m.inCount.map { " n \($0)" } ?? "")) }
        if m.kind == .evaluation {
            parts.append("calibrator: \(m.calibrator ?? "none")")
        } else if let c = m.calibrator {
            parts.append(c)
        }
        if m.migrated { parts.append("migrated from an older store") }
        return parts.joined(separator: " · ")
    }
}
