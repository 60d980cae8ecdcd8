import Foundation
import Testing

@testable import RunLog

/// Measurements (one `joule evaluate` or `joule calibrate` each) keep their own values: a
/// later one never deletes an earlier one, readers see the newest per (dataset, score), and
/// a store written before measurements existed migrates without losing a row.
@Suite struct MeasurementTests {
    static let fixture = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("Fixtures/store-19071f6.sqlite")

    static func samples(_ dataset: String, _ count: Int, score: String, measurement: Double) -> [SampleScoreRecord] {
        (0..<count).map {
            SampleScoreRecord(
                dataset: dataset, index: $0, label: 1, prediction: 1, confidence: 0.9, score: score,
                value: measurement * 100 + Double($0))
        }
    }

    @Test func aLaterMeasurementKeepsEveryEarlierOne() throws {
        let (store, folder) = try makeStore()
        defer { try? FileManager.default.removeItem(at: folder) }
        try store.createRun(NewRun(id: "r"))
        // The whole evaluation: the test set, MNIST and a user's folder.
        let full = try store.recordMeasurement(
            NewMeasurement(
                kind: .evaluation, checkpoint: "/x/r/best.safetensors", checkpointStep: 860, inDataset: "test",
                inCount: 10),
            values: [
                EvaluationRecord(dataset: "test", score: "classifier", metric: "accuracy", value: 0.9),
                EvaluationRecord(dataset: "mnist-5k", score: "log-px", metric: "auroc", value: 0.8),
                EvaluationRecord(dataset: "png:mine", score: "log-px", metric: "auroc", value: 0.7),
            ],
            sampleScores: Self.samples("test", 10, score: "log-px", measurement: 1)
                + Self.samples("mnist-5k", 6, score: "log-px", measurement: 1)
                + Self.samples("png:mine", 3, score: "log-px", measurement: 1),
            for: "r")
        // A quick one on 2 test images against uniform noise.
        let quick = try store.recordMeasurement(
            NewMeasurement(
                kind: .evaluation, checkpoint: "/x/r/best.safetensors", checkpointStep: 860, inDataset: "test",
                inCount: 2),
            values: [
                EvaluationRecord(dataset: "test", score: "classifier", metric: "accuracy", value: 0.5),
                EvaluationRecord(dataset: "uniform", score: "log-px", metric: "auroc", value: 0.99),
            ],
            sampleScores: Self.samples("test", 2, score: "log-px", measurement: 2)
                + Self.samples("uniform", 4, score: "log-px", measurement: 2),
            for: "r")
        #expect(quick > full)
        #expect(try store.measurements(of: "r").map(\.id) == [full, quick])
        #expect(try store.measurements(of: "r")[1].checkpointDescription == "best.safetensors @ step 860")

        let latest = try store.evaluations(of: "r")
        let byKey = Dictionary(uniqueKeysWithValues: latest.map { ("\($0.dataset)/\($0.score)/\($0.metric)", $0) })
        #expect(
            byKey["test/classifier/accuracy"]?.value == 0.5 && byKey["test/classifier/accuracy"]?.measurementID == quick
        )
        #expect(byKey["mnist-5k/log-px/auroc"]?.value == 0.8 && byKey["mnist-5k/log-px/auroc"]?.measurementID == full)
        #expect(byKey["png:mine/log-px/auroc"]?.measurementID == full)
        #expect(byKey["uniform/log-px/auroc"]?.measurementID == quick)
        #expect(latest.count == 4)
        #expect(try store.evaluations(of: "r", selection: .only(full)).map(\.value) == [0.8, 0.7, 0.9])

        let scores = try store.sampleScores(of: "r")
        #expect(scores.count == 2 + 6 + 3 + 4)
        #expect(Set(scores.filter { $0.dataset == "test" }.map(\.measurementID)) == [quick])
        #expect(Set(scores.filter { $0.dataset == "mnist-5k" }.map(\.measurementID)) == [full])
        #expect(try store.sampleScores(of: "r", dataset: "test", selection: .only(full)).count == 10)
        #expect(try store.db.query("SELECT count(*) FROM measurement_samples").first?.first?.int == 10 + 6 + 3 + 2 + 4)

        try store.createRun(NewRun(id: "other"))
        let error = try #require(throws: RunStoreError.self) {
            try store.evaluations(of: "other", selection: .only(full))
        }
        #expect(error.description.contains("belongs to run r"))
    }

    @Test func anOldStoreOpenedForReadingIsMigratedFirst() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
            "joule-migrate-ro-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer {
            chmod(folder.path, 0o755)
            try? FileManager.default.removeItem(at: folder)
        }
        let path = folder.appendingPathComponent("runs.sqlite").path
        try FileManager.default.copyItem(atPath: Self.fixture.path, toPath: path)
        // Reading commands (runs list, report) open read-only: the store is brought up to date first.
        let reader = try RunStore(path: path, readOnly: true)
        #expect(try reader.appliedMigrations() == RunStoreSchema.migrations.map(\.name))
        #expect(try reader.runs().count == 2 && reader.runs().allSatisfy { $0.folder != nil })

        // One that cannot be written there is refused with the reason, not misread.
        let archived = folder.appendingPathComponent("archive")
        try FileManager.default.createDirectory(at: archived, withIntermediateDirectories: true)
        try FileManager.default.copyItem(
            atPath: Self.fixture.path, toPath: archived.appendingPathComponent("runs.sqlite").path)
        chmod(archived.appendingPathComponent("runs.sqlite").path, 0o444)
        chmod(archived.path, 0o555)
        defer { chmod(archived.path, 0o755) }
        if getuid() != 0 {  // root writes anyway
            let error = try #require(throws: RunStoreError.self) {
                try RunStore(path: archived.appendingPathComponent("runs.sqlite").path, readOnly: true)
            }
            #expect(error.description.contains("written by an earlier Joule"))
        }
    }

    @Test func aStoreFromBeforeMeasurementsMigratesWithoutLoss() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("joule-migrate-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("runs.sqlite").path
        try FileManager.default.copyItem(atPath: Self.fixture.path, toPath: path)

        // What the old tables hold, read before the migration.
        let old = try SQLiteConnection(path: path, readOnly: true)
        #expect(try old.query("SELECT name FROM schema_migrations").compactMap { $0.first?.string } == ["0001_initial"])
        let oldValues = try old.query(
            "SELECT run_id, dataset, score, metric, value FROM evaluations ORDER BY 1, 2, 3, 4")
        let oldSamples = try old.query(
            "SELECT run_id, dataset, sample_index, score, value, label, prediction, confidence FROM sample_scores ORDER BY 1, 2, 3, 4"
        )
        #expect(oldValues.count == 43 && oldSamples.count == 144)

        let store = try RunStore(path: path)
        #expect(try store.appliedMigrations() == RunStoreSchema.migrations.map(\.name))
        #expect(try store.integrityCheck() == "ok")
        let newValues = try store.db.query(
            """
            SELECT m.run_id, v.dataset, v.score, v.metric, v.value FROM measurement_values v JOIN measurements m ON m.id = v.measurement_id
            ORDER BY 1, 2, 3, 4
            """)
        #expect(newValues == oldValues)
        let newSamples = try store.db.query(
            """
            SELECT m.run_id, s.dataset, s.sample_index, s.score, s.value, s.label, s.prediction, s.confidence
            FROM measurement_samples s JOIN measurements m ON m.id = s.measurement_id ORDER BY 1, 2, 3, 4
            """)
        #expect(newSamples == oldSamples)

        let ce = try store.runs(where: RunFilter.parse("attributes.name = 'legacy-ce'")).first!
        let measurements = try store.measurements(of: ce.id)
        #expect(measurements.map(\.kind) == [.calibration, .evaluation])
        #expect(measurements.allSatisfy { $0.migrated })
        let evaluation = measurements[1]
        #expect(evaluation.inDataset == "validation" && evaluation.inCount == 12)
        #expect(evaluation.checkpoint?.hasSuffix("/\(ce.id)/best.safetensors") == true)
        #expect(evaluation.calibrator?.hasPrefix("temperature") == true)
        #expect(try store.evaluations(of: ce.id).count == 6 + 6 + 6 + 20)
        #expect(try store.sampleScores(of: ce.id).count == 144)
        #expect(ce.folder?.hasSuffix("/\(ce.id)") == true)
        let dsm = try store.runs(where: RunFilter.parse("attributes.name = 'legacy-dsm'")).first!
        #expect(try store.measurements(of: dsm.id).map(\.inDataset) == ["toy:8gaussians"])
        #expect(dsm.folder?.hasSuffix("/\(dsm.id)") == true)

        // The migrated store takes new measurements beside the old ones.
        let next = try store.recordMeasurement(
            NewMeasurement(kind: .evaluation, inDataset: "validation", inCount: 12),
            values: [EvaluationRecord(dataset: "uniform", score: "log-px", metric: "auroc", value: 0.5)],
            for: ce.id)
        #expect(next > measurements[1].id)
        // (uniform, log-px) is now the new measurement's: its one value stands for the old five.
        #expect(try store.evaluations(of: ce.id).count == 38 - 5 + 1)
        #expect(
            try store.evaluations(of: ce.id).first {
                $0.dataset == "uniform" && $0.metric == "auroc" && $0.score == "log-px"
            }?.value == 0.5)
    }
}
