import Foundation

extension RunStore {
    private static let measurementColumns = """
        id, run_id, kind, created_at, checkpoint, checkpoint_step, calibrator, in_dataset, in_count, settings, migrated
        """

    /// The run's measurements, oldest first.
    public func measurements(of runID: String) throws -> [MeasurementRecord] {
        try db.query("SELECT \(Self.measurementColumns) FROM measurements WHERE run_id = ? ORDER BY id", [.text(runID)])
            .map(measurement(from:))
    }

    /// The measurement with this id.
    public func measurement(_ id: Int) throws -> MeasurementRecord {
        guard
            let row = try db.query(
                "SELECT \(Self.measurementColumns) FROM measurements WHERE id = ?", [.integer(Int64(id))]
            ).first
        else { throw RunStoreError(path: path, message: "no measurement with id \(id)") }
        return try measurement(from: row)
    }

    /// The run's evaluation values: by default, for each (dataset, score), those of the
    /// newest measurement that has it; each value carries its measurement's id.
    public func evaluations(of runID: String, selection: MeasurementSelection = .latest) throws -> [EvaluationRecord] {
        let rows: [[SQLiteValue]]
        switch selection {
        case .latest:
            rows = try db.query(
                """
                SELECT v.dataset, v.score, v.metric, v.value, v.settings, v.measurement_id
                FROM measurement_values v JOIN measurements m ON m.id = v.measurement_id
                WHERE m.run_id = ?1 AND v.measurement_id = (
                    SELECT max(v2.measurement_id) FROM measurement_values v2 JOIN measurements m2 ON m2.id = v2.measurement_id
                    WHERE m2.run_id = ?1 AND v2.dataset = v.dataset AND v2.score = v.score)
                ORDER BY v.dataset, v.score, v.metric
                """, [.text(runID)])
        case .only(let id):
            try requireMeasurement(id, of: runID)
            rows = try db.query(
                """
                SELECT dataset, score, metric, value, settings, measurement_id FROM measurement_values
                WHERE measurement_id = ? ORDER BY dataset, score, metric
                """, [.integer(Int64(id))])
        }
        return rows.map { row in
            EvaluationRecord(
                dataset: row[0].string ?? "", score: row[1].string ?? "", metric: row[2].string ?? "",
                value: row[3].double ?? .nan, settings: row[4].string, measurementID: row[5].int)
        }
    }

    /// The run's per-sample scores, optionally of one dataset: by default, for each
    /// (dataset, score), those of the newest measurement that scored it.
    public func sampleScores(of runID: String, dataset: String? = nil, selection: MeasurementSelection = .latest) throws
        -> [SampleScoreRecord]
    {
        var groups: [(measurement: Int, dataset: String, score: String)] = []
        switch selection {
        case .latest:
            var sql = """
                SELECT max(s.measurement_id), s.dataset, s.score FROM measurement_samples s
                WHERE s.measurement_id IN (SELECT id FROM measurements WHERE run_id = ?)
                """
            var bindings: [SQLiteValue] = [.text(runID)]
            if let dataset {
                sql += " AND s.dataset = ?"
                bindings.append(.text(dataset))
            }
            groups = try db.query(sql + " GROUP BY s.dataset, s.score", bindings).compactMap { row in
                guard let id = row[0].int, let set = row[1].string, let score = row[2].string else { return nil }
                return (id, set, score)
            }
        case .only(let id):
            try requireMeasurement(id, of: runID)
            var sql = "SELECT DISTINCT dataset, score FROM measurement_samples WHERE measurement_id = ?"
            var bindings: [SQLiteValue] = [.integer(Int64(id))]
            if let dataset {
                sql += " AND dataset = ?"
                bindings.append(.text(dataset))
            }
            groups = try db.query(sql, bindings).compactMap { row in
                guard let set = row[0].string, let score = row[1].string else { return nil }
                return (id, set, score)
            }
        }
        var result: [SampleScoreRecord] = []
        for group in groups {
            result += try db.query(
                """
                SELECT sample_index, label, prediction, confidence, value FROM measurement_samples
                WHERE measurement_id = ? AND dataset = ? AND score = ? ORDER BY sample_index
                """, [.integer(Int64(group.measurement)), .text(group.dataset), .text(group.score)]
            ).map { row in
                SampleScoreRecord(
                    dataset: group.dataset, index: row[0].int ?? 0, label: row[1].int, prediction: row[2].int,
                    confidence: row[3].double, score: group.score, value: row[4].double ?? .nan,
                    measurementID: group.measurement)
            }
        }
        // Measurement, dataset, sample, score: the rows of one measurement's sample together.
        return result.sorted {
            ($0.measurementID ?? 0, $0.dataset, $0.index, $0.score) < (
                $1.measurementID ?? 0, $1.dataset, $1.index, $1.score
            )
        }
    }

    private func requireMeasurement(_ id: Int, of runID: String) throws {
        let owner = try measurement(id).runID
        guard owner == runID else {
            throw RunStoreError(path: path, message: "measurement \(id) belongs to run \(owner), not to \(runID)")
        }
    }

    private func measurement(from row: [SQLiteValue]) throws -> MeasurementRecord {
        guard let id = row[0].int, let runID = row[1].string,
            let kind = row[2].string.flatMap(MeasurementKind.init(rawValue:)),
            let created = Self.date(row[3])
        else {
            throw RunStoreError(path: path, message: "a measurement row is malformed (id \(row[0]))")
        }
        return MeasurementRecord(
            id: id, runID: runID, kind: kind, createdAt: created, checkpoint: row[4].string,
            checkpointStep: row[5].int, calibrator: row[6].string, inDataset: row[7].string,
            inCount: row[8].int, settings: row[9].string, migrated: row[10].int == 1)
    }
}
