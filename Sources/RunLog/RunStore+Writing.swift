import Foundation

extension RunStore {
    /// Records a new run as RUNNING, with its params and tags, owned by this process.
    public func createRun(_ run: NewRun, startTime: Date = Date()) throws {
        try db.transaction {
            let existing = try db.query("SELECT 1 FROM runs WHERE id = ?", [.text(run.id)])
            guard existing.isEmpty else {
                throw RunStoreError(path: path, message: "a run with id '\(run.id)' already exists")
            }
            let experimentID = try run.experiment.map(experimentID(named:))
            try db.execute(
                """
                INSERT INTO runs (id, name, experiment_id, status, start_time, seed, objective, model, dataset, config,
                                  code_version, host, pid, heartbeat_time, folder)
                VALUES (?, ?, ?, 'RUNNING', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """,
                [
                    .text(run.id), .text(run.name), SQLiteValue(experimentID), Self.seconds(startTime),
                    SQLiteValue(run.seed),
                    SQLiteValue(run.objective), SQLiteValue(run.model), SQLiteValue(run.dataset),
                    SQLiteValue(run.config),
                    SQLiteValue(run.codeVersion), .text(ProcessInfo.processInfo.hostName),
                    .integer(Int64(ProcessInfo.processInfo.processIdentifier)), Self.seconds(startTime),
                    SQLiteValue(run.folder),
                ])
            try setParams(run.params, for: run.id)
            try setTags(run.tags, for: run.id)
        }
    }

    /// Marks an existing run RUNNING again in this process (resuming), and forgets metrics
    /// logged after `step` — the resumed run logs those steps again, so no row is doubled.
    /// `folder`, when given, is where the run's files are now.
    public func resumeRun(id: String, fromStep step: Int, folder: String? = nil) throws {
        try db.transaction {
            try requireRun(id)
            try db.execute(
                """
                UPDATE runs SET status = 'RUNNING', status_reason = NULL, end_time = NULL, host = ?, pid = ?, heartbeat_time = ?,
                    folder = coalesce(?, folder)
                WHERE id = ?
                """,
                [
                    .text(ProcessInfo.processInfo.hostName), .integer(Int64(ProcessInfo.processInfo.processIdentifier)),
                    Self.seconds(Date()), SQLiteValue(folder), .text(id),
                ])
            try db.execute("DELETE FROM metrics WHERE run_id = ? AND step > ?", [.text(id), .integer(Int64(step))])
            try rebuildLatestMetrics(for: id)
        }
    }

    /// Ends a run with `status` and, for failures, the reason.
    public func endRun(id: String, status: RunStatus, reason: String? = nil, endTime: Date = Date()) throws {
        try db.transaction {
            try requireRun(id)
            try db.execute(
                "UPDATE runs SET status = ?, status_reason = ?, end_time = ?, heartbeat_time = ? WHERE id = ?",
                [.text(status.rawValue), SQLiteValue(reason), Self.seconds(endTime), Self.seconds(endTime), .text(id)])
        }
    }

    /// Sets params (replacing values of the same keys). Numeric values are also kept as
    /// numbers so filters compare them as numbers.
    public func setParams(_ params: [String: String], for runID: String) throws {
        try db.transaction {
            for (key, value) in params.sorted(by: { $0.key < $1.key }) {
                try db.execute(
                    "INSERT OR REPLACE INTO params (run_id, key, value, number) VALUES (?, ?, ?, ?)",
                    [
                        .text(runID), .text(key), .text(value),
                        SQLiteValue(Double(value).flatMap { $0.isFinite ? $0 : nil }),
                    ])
            }
        }
    }

    /// Sets tags (replacing values of the same keys).
    public func setTags(_ tags: [String: String], for runID: String) throws {
        try db.transaction {
            for (key, value) in tags.sorted(by: { $0.key < $1.key }) {
                try db.execute(
                    "INSERT OR REPLACE INTO tags (run_id, key, value) VALUES (?, ?, ?)",
                    [.text(runID), .text(key), .text(value)])
            }
        }
    }

    /// Appends metric observations in one transaction and refreshes the latest values. A
    /// step logged twice for a key keeps the newer value (one row per key and step).
    public func logMetrics(_ metrics: [MetricRecord], for runID: String) throws {
        guard !metrics.isEmpty else { return }
        // Only the newest value of each key in the batch can become its latest value.
        var newest: [String: MetricRecord] = [:]
        for metric in metrics where metric.step >= newest[metric.key]?.step ?? .min { newest[metric.key] = metric }
        try db.transaction {
            for metric in metrics {
                try db.execute(
                    """
                    INSERT INTO metrics (run_id, key, step, timestamp, value, finite) VALUES (?, ?, ?, ?, ?, ?)
                    ON CONFLICT (run_id, key, step) DO UPDATE SET timestamp = excluded.timestamp,
                        value = excluded.value, finite = excluded.finite
                    """, Self.bindings(metric, runID))
            }
            for metric in newest.values.sorted(by: { $0.key < $1.key }) {
                try db.execute(
                    """
                    INSERT INTO latest_metrics (run_id, key, step, timestamp, value, finite) VALUES (?, ?, ?, ?, ?, ?)
                    ON CONFLICT (run_id, key) DO UPDATE SET step = excluded.step, timestamp = excluded.timestamp,
                        value = excluded.value, finite = excluded.finite
                    WHERE excluded.step >= latest_metrics.step
                    """, Self.bindings(metric, runID))
            }
            try db.execute("UPDATE runs SET heartbeat_time = ? WHERE id = ?", [Self.seconds(Date()), .text(runID)])
        }
    }

    private static func bindings(_ metric: MetricRecord, _ runID: String) -> [SQLiteValue] {
        [
            .text(runID), .text(metric.key), .integer(Int64(metric.step)), seconds(metric.timestamp),
            .real(metric.value),
            .integer(metric.value.isFinite ? 1 : 0),
        ]
    }

    /// Records a file the run produced, without a checksum yet — for files rewritten as the
    /// run goes (checkpoints), whose checksum `addArtifact` takes once they are final.
    public func noteArtifact(kind: String, path artifactPath: String, for runID: String) throws {
        try db.execute(
            """
            INSERT INTO artifacts (run_id, kind, path, sha256, bytes, created_at) VALUES (?, ?, ?, NULL, NULL, ?)
            ON CONFLICT (run_id, path) DO UPDATE SET kind = excluded.kind, sha256 = NULL, bytes = NULL,
                created_at = excluded.created_at
            """, [.text(runID), .text(kind), .text(artifactPath), Self.seconds(Date())])
    }

    /// Records a file the run produced, with its SHA-256 and size (computed here when the
    /// file exists). Recording the same path again updates it.
    public func addArtifact(kind: String, path artifactPath: String, for runID: String) throws {
        let data = FileManager.default.contents(atPath: artifactPath)
        try db.transaction {
            try db.execute(
                """
                INSERT INTO artifacts (run_id, kind, path, sha256, bytes, created_at) VALUES (?, ?, ?, ?, ?, ?)
                ON CONFLICT (run_id, path) DO UPDATE SET kind = excluded.kind, sha256 = excluded.sha256,
                    bytes = excluded.bytes, created_at = excluded.created_at
                """,
                [
                    .text(runID), .text(kind), .text(artifactPath), SQLiteValue(data.map(Checksum.sha256)),
                    SQLiteValue(data?.count), Self.seconds(Date()),
                ])
        }
    }

    /// Records one measurement (an evaluation or a calibration) with its values, per-sample
    /// scores and files, in one transaction (a failure part-way leaves the store as it was).
    /// Nothing recorded before is changed: each measurement keeps its own values.
    ///
    /// - Returns: the measurement's id.
    @discardableResult
    public func recordMeasurement(
        _ measurement: NewMeasurement, values: [EvaluationRecord], sampleScores: [SampleScoreRecord] = [],
        artifacts: [(kind: String, path: String)] = [], for runID: String
    ) throws -> Int {
        try db.transaction {
            try requireRun(runID)
            try db.execute(
                """
                INSERT INTO measurements (run_id, kind, created_at, checkpoint, checkpoint_step, calibrator, in_dataset, in_count, settings)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                """,
                [
                    .text(runID), .text(measurement.kind.rawValue), Self.seconds(Date()),
                    SQLiteValue(measurement.checkpoint),
                    SQLiteValue(measurement.checkpointStep), SQLiteValue(measurement.calibrator),
                    SQLiteValue(measurement.inDataset),
                    SQLiteValue(measurement.inCount), SQLiteValue(measurement.settings),
                ])
            guard let id = try db.query("SELECT last_insert_rowid()").first?.first?.int else {
                throw RunStoreError(path: path, message: "cannot record a measurement of run '\(runID)'")
            }
            for e in values {
                try db.execute(
                    """
                    INSERT INTO measurement_values (measurement_id, dataset, score, metric, value, settings) VALUES (?, ?, ?, ?, ?, ?)
                    ON CONFLICT (measurement_id, dataset, score, metric) DO UPDATE SET value = excluded.value, settings = excluded.settings
                    """,
                    [
                        .integer(Int64(id)), .text(e.dataset), .text(e.score), .text(e.metric), .real(e.value),
                        SQLiteValue(e.settings),
                    ])
            }
            for s in sampleScores {
                try db.execute(
                    """
                    INSERT OR REPLACE INTO measurement_samples
                        (measurement_id, dataset, sample_index, label, prediction, confidence, score, value)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                    [
                        .integer(Int64(id)), .text(s.dataset), .integer(Int64(s.index)), SQLiteValue(s.label),
                        SQLiteValue(s.prediction),
                        SQLiteValue(s.confidence), .text(s.score), .real(s.value),
                    ])
            }
            for artifact in artifacts { try addArtifact(kind: artifact.kind, path: artifact.path, for: runID) }
            return id
        }
    }

    /// Replaces the run's resolved configuration and its params (a resumed run whose
    /// settings changed records the values it now runs with; params no longer set go).
    public func updateSettings(of runID: String, config: String?, params: [String: String]) throws {
        try db.transaction {
            try requireRun(runID)
            if let config { try db.execute("UPDATE runs SET config = ? WHERE id = ?", [.text(config), .text(runID)]) }
            try db.execute("DELETE FROM params WHERE run_id = ?", [.text(runID)])
            try setParams(params, for: runID)
        }
    }

    /// Deletes a run and everything recorded for it. Returns whether it existed.
    @discardableResult
    public func deleteRun(id: String) throws -> Bool {
        try db.transaction {
            try db.execute("DELETE FROM runs WHERE id = ?", [.text(id)])
            return db.changes > 0
        }
    }

    func requireRun(_ id: String) throws {
        guard try !db.query("SELECT 1 FROM runs WHERE id = ?", [.text(id)]).isEmpty else {
            throw RunStoreError(path: path, message: "no run with id '\(id)'")
        }
    }

    private func experimentID(named name: String) throws -> Int {
        try db.execute(
            "INSERT OR IGNORE INTO experiments (name, created_at) VALUES (?, ?)", [.text(name), Self.seconds(Date())])
        guard let id = try db.query("SELECT id FROM experiments WHERE name = ?", [.text(name)]).first?.first?.int else {
            throw RunStoreError(path: path, message: "cannot record experiment '\(name)'")
        }
        return id
    }

    private func rebuildLatestMetrics(for runID: String) throws {
        try db.execute("DELETE FROM latest_metrics WHERE run_id = ?", [.text(runID)])
        // The row with the highest step per key (SQLite's bare-column rule for max()).
        try db.execute(
            """
            INSERT INTO latest_metrics (run_id, key, step, timestamp, value, finite)
            SELECT run_id, key, max(step), timestamp, value, finite FROM metrics WHERE run_id = ? GROUP BY key
            """, [.text(runID)])
    }
}
