import Foundation

extension RunStore {
    private static let runColumns = """
        runs.id, runs.name, (SELECT e.name FROM experiments e WHERE e.id = runs.experiment_id), runs.status,
        runs.status_reason, runs.start_time, runs.end_time, runs.seed, runs.objective, runs.model, runs.dataset,
        runs.config, runs.code_version, runs.host, runs.pid, runs.heartbeat_time, runs.folder
        """

    /// The run with this id, or the only run whose id starts with it.
    public func run(_ idOrPrefix: String) throws -> RunRecord {
        if let exact = try db.query("SELECT \(Self.runColumns) FROM runs WHERE id = ?", [.text(idOrPrefix)]).first {
            return try record(from: exact)
        }
        guard !idOrPrefix.isEmpty else { throw RunStoreError(path: path, message: "an empty run id names no run") }
        // A case-sensitive prefix match (LIKE would ignore case and treat % and _ as wildcards).
        let rows = try db.query(
            "SELECT \(Self.runColumns) FROM runs WHERE substr(id, 1, length(?1)) = ?1 ORDER BY id LIMIT 6",
            [.text(idOrPrefix)])
        switch rows.count {
        case 1: return try record(from: rows[0])
        case 0: throw RunStoreError(path: path, message: "no run with id '\(idOrPrefix)'")
        default:
            let ids = try rows.prefix(5).map { try record(from: $0).id }.joined(separator: ", ")
            throw RunStoreError(
                path: path, message: "'\(idOrPrefix)' matches several runs: \(ids)\(rows.count > 5 ? ", …" : "")")
        }
    }

    /// Runs matching `filter`, in `ordering`, at most `limit`.
    public func runs(
        where filter: RunFilter? = nil, orderedBy ordering: RunOrdering = .newestFirst,
        limit: Int? = nil
    ) throws -> [RunRecord] {
        var sql = "SELECT \(Self.runColumns) FROM runs"
        var bindings: [SQLiteValue] = []
        if let filter {
            let condition = filter.sql()
            sql += " WHERE \(condition.text)"
            bindings += condition.bindings
        }
        let order = ordering.sql()
        sql += " ORDER BY \(order.text)"
        bindings += order.bindings
        if let limit {
            sql += " LIMIT ?"
            bindings.append(.integer(Int64(max(0, limit))))
        }
        return try db.query(sql, bindings).map(record(from:))
    }

    /// Every key some run has in `namespace` (attribute names for `.attributes`), sorted:
    /// what a filter can name.
    public func knownKeys(in namespace: RunField.Namespace) throws -> [String] {
        let sql: String
        switch namespace {
        case .params: sql = "SELECT DISTINCT key FROM params ORDER BY key"
        case .metrics: sql = "SELECT DISTINCT key FROM latest_metrics ORDER BY key"
        case .tags: sql = "SELECT DISTINCT key FROM tags ORDER BY key"
        case .attributes: return RunField.Attribute.allCases.map(\.rawValue)
        }
        return try db.query(sql).compactMap { $0.first?.string }
    }

    /// The run's params.
    public func params(of runID: String) throws -> [String: String] {
        try keyValues("SELECT key, value FROM params WHERE run_id = ?", runID)
    }

    /// The run's tags.
    public func tags(of runID: String) throws -> [String: String] {
        try keyValues("SELECT key, value FROM tags WHERE run_id = ?", runID)
    }

    /// The latest value of each metric of the run (NaN and ±Inf as logged).
    public func latestMetrics(of runID: String) throws -> [String: MetricPointRecord] {
        var result: [String: MetricPointRecord] = [:]
        for row in try db.query(
            "SELECT key, step, timestamp, value FROM latest_metrics WHERE run_id = ?", [.text(runID)])
        {
            guard let key = row[0].string else { continue }
            result[key] = Self.point(row[1], row[2], row[3])
        }
        return result
    }

    /// The history of each metric (or of `key` alone), in step order.
    public func metricHistory(of runID: String, key: String? = nil) throws -> [String: [MetricPointRecord]] {
        var result: [String: [MetricPointRecord]] = [:]
        let rows =
            if let key {
                try db.query(
                    "SELECT key, step, timestamp, value FROM metrics WHERE run_id = ? AND key = ? ORDER BY step",
                    [.text(runID), .text(key)])
            } else {
                try db.query(
                    "SELECT key, step, timestamp, value FROM metrics WHERE run_id = ? ORDER BY key, step",
                    [.text(runID)])
            }
        for row in rows {
            guard let key = row[0].string else { continue }
            result[key, default: []].append(Self.point(row[1], row[2], row[3]))
        }
        return result
    }

    /// Number of metric rows of the run.
    public func metricRowCount(of runID: String) throws -> Int {
        try db.query("SELECT count(*) FROM metrics WHERE run_id = ?", [.text(runID)]).first?.first?.int ?? 0
    }

    /// The files the run produced.
    public func artifacts(of runID: String) throws -> [ArtifactRecord] {
        try db.query(
            "SELECT kind, path, sha256, bytes, created_at FROM artifacts WHERE run_id = ? ORDER BY created_at, path",
            [.text(runID)]
        ).map { row in
            ArtifactRecord(
                kind: row[0].string ?? "", path: row[1].string ?? "", sha256: row[2].string, bytes: row[3].int,
                createdAt: Self.date(row[4]) ?? Date(timeIntervalSince1970: 0))
        }
    }

    private func keyValues(_ sql: String, _ runID: String) throws -> [String: String] {
        var result: [String: String] = [:]
        for row in try db.query(sql, [.text(runID)]) {
            if let key = row[0].string, let value = row[1].string { result[key] = value }
        }
        return result
    }

    private static func point(_ step: SQLiteValue, _ timestamp: SQLiteValue, _ value: SQLiteValue) -> MetricPointRecord
    {
        // NULL is how SQLite keeps NaN.
        MetricPointRecord(
            step: step.int ?? 0, value: value.double ?? .nan,
            timestamp: date(timestamp) ?? Date(timeIntervalSince1970: 0))
    }

    private func record(from row: [SQLiteValue]) throws -> RunRecord {
        guard let id = row[0].string, let statusText = row[3].string, let status = RunStatus(rawValue: statusText),
            let start = Self.date(row[5])
        else {
            throw RunStoreError(path: path, message: "a run row is malformed (id \(row[0]))")
        }
        return RunRecord(
            id: id, name: row[1].string ?? id, experiment: row[2].string, status: status, statusReason: row[4].string,
            startTime: start, endTime: Self.date(row[6]), seed: row[7].int, objective: row[8].string,
            model: row[9].string, dataset: row[10].string, config: row[11].string, codeVersion: row[12].string,
            host: row[13].string, pid: row[14].int, heartbeatTime: Self.date(row[15]), folder: row[16].string)
    }
}
