import Foundation
import Testing

@testable import RunLog

/// A fresh store in a temporary folder.
func makeStore() throws -> (RunStore, URL) {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("joule-runlog-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    return (try RunStore(path: folder.appendingPathComponent("runs.sqlite").path), folder)
}

@Suite struct RunStoreTests {
    @Test func migrationsApplyOnceAndReopeningChangesNothing() throws {
        let (store, folder) = try makeStore()
        defer { try? FileManager.default.removeItem(at: folder) }
        #expect(try store.appliedMigrations() == RunStoreSchema.migrations.map(\.name))
        let again = try RunStore(path: store.path)
        #expect(try again.appliedMigrations() == RunStoreSchema.migrations.map(\.name))
        #expect(try again.db.query("PRAGMA journal_mode").first?.first?.string == "wal")
        #expect(try again.integrityCheck() == "ok")
    }

    @Test func aDatabaseFromANewerJouleIsRefused() throws {
        let (store, folder) = try makeStore()
        defer { try? FileManager.default.removeItem(at: folder) }
        try store.db.execute("INSERT INTO schema_migrations (name, applied_at) VALUES ('9999_future', 0)")
        #expect(throws: RunStoreError.self) { try RunStore(path: store.path) }
    }

    @Test func runsKeepTheirDetailsParamsTagsAndStatus() throws {
        let (store, folder) = try makeStore()
        defer { try? FileManager.default.removeItem(at: folder) }
        try store.createRun(
            NewRun(
                id: "r1", name: "first", experiment: "sweep", seed: 7, objective: "ce", model: "mlp",
                dataset: "fashion-mnist", config: "{\"lr\":0.001}", codeVersion: "abc123",
                params: ["lr": "0.001", "optimizer": "adam"], tags: ["note": "baseline"]))
        let run = try store.run("r1")
        #expect(run.name == "first" && run.experiment == "sweep" && run.seed == 7 && run.model == "mlp")
        #expect(run.status == .running && run.displayStatus() == "RUNNING")
        #expect(try store.params(of: "r1") == ["lr": "0.001", "optimizer": "adam"])
        #expect(try store.tags(of: "r1") == ["note": "baseline"])
        try store.endRun(id: "r1", status: .failed, reason: "loss became NaN at step 40")
        let failed = try store.run("r1")
        #expect(
            failed.status == .failed && failed.statusReason == "loss became NaN at step 40" && failed.endTime != nil)
        #expect(throws: RunStoreError.self) { try store.createRun(NewRun(id: "r1")) }
    }

    @Test func metricsKeepNaNAndInfinityAndTheLatestValue() throws {
        let (store, folder) = try makeStore()
        defer { try? FileManager.default.removeItem(at: folder) }
        try store.createRun(NewRun(id: "r"))
        try store.logMetrics(
            [
                MetricRecord(key: "loss", step: 1, value: 2.5), MetricRecord(key: "loss", step: 2, value: .nan),
                MetricRecord(key: "loss", step: 3, value: .infinity),
                MetricRecord(key: "gap", step: 3, value: -.infinity),
            ],
            for: "r")
        let history = try #require(try store.metricHistory(of: "r")["loss"])
        #expect(history.map(\.step) == [1, 2, 3])
        #expect(history[0].value == 2.5 && history[1].value.isNaN && history[2].value == .infinity)
        #expect(try store.latestMetrics(of: "r")["loss"]?.value == .infinity)
        #expect(try store.latestMetrics(of: "r")["gap"]?.value == -.infinity)
        let flags = try store.db.query("SELECT step, finite FROM metrics WHERE key = 'loss' ORDER BY step")
        #expect(flags.map { $0[1].int } == [1, 0, 0])
        // An older step logged late does not replace the latest value.
        try store.logMetrics([MetricRecord(key: "loss", step: 0, value: 9)], for: "r")
        #expect(try store.latestMetrics(of: "r")["loss"]?.step == 3)
    }

    @Test func resumingForgetsLaterStepsSoNothingIsDoubled() throws {
        let (store, folder) = try makeStore()
        defer { try? FileManager.default.removeItem(at: folder) }
        try store.createRun(NewRun(id: "r"))
        try store.logMetrics((1...10).map { MetricRecord(key: "loss", step: $0, value: Double($0)) }, for: "r")
        try store.endRun(id: "r", status: .killed, reason: "SIGINT")
        try store.resumeRun(id: "r", fromStep: 6)
        #expect(try store.run("r").status == .running)
        #expect(try store.latestMetrics(of: "r")["loss"]?.step == 6)
        try store.logMetrics((7...12).map { MetricRecord(key: "loss", step: $0, value: Double($0) + 0.5) }, for: "r")
        try store.logMetrics([MetricRecord(key: "loss", step: 12, value: 99)], for: "r")
        let steps = try #require(try store.metricHistory(of: "r")["loss"]).map(\.step)
        #expect(steps == Array(1...12))
        #expect(try store.metricRowCount(of: "r") == 12)
        #expect(try store.latestMetrics(of: "r")["loss"]?.value == 99)
    }

    @Test func deletingARunRemovesEverythingItOwns() throws {
        let (store, folder) = try makeStore()
        defer { try? FileManager.default.removeItem(at: folder) }
        try store.createRun(NewRun(id: "gone", params: ["a": "1"], tags: ["t": "x"]))
        try store.createRun(NewRun(id: "kept"))
        try store.logMetrics([MetricRecord(key: "loss", step: 1, value: 1)], for: "gone")
        try store.recordMeasurement(
            NewMeasurement(kind: .evaluation),
            values: [EvaluationRecord(dataset: "mnist", score: "energy", metric: "auroc", value: 0.9)],
            sampleScores: [
                SampleScoreRecord(
                    dataset: "mnist", index: 0, label: nil, prediction: nil,
                    confidence: nil, score: "energy", value: 1)
            ], for: "gone")
        #expect(try store.deleteRun(id: "gone"))
        #expect(try !store.deleteRun(id: "gone"))
        for table in [
            "params", "tags", "metrics", "latest_metrics", "measurements", "measurement_values", "measurement_samples",
        ] {
            #expect(try store.db.query("SELECT count(*) FROM \(table)").first?.first?.int == 0, "\(table)")
        }
        #expect(try store.runs().map(\.id) == ["kept"])
    }

    @Test func idPrefixesResolveWhenUnique() throws {
        let (store, folder) = try makeStore()
        defer { try? FileManager.default.removeItem(at: folder) }
        try store.createRun(NewRun(id: "20261129-aaa"))
        try store.createRun(NewRun(id: "20261129-abb"))
        try store.createRun(NewRun(id: "x%y"))
        #expect(try store.run("20261129-aa").id == "20261129-aaa")
        #expect(throws: RunStoreError.self) { try store.run("20261129-a") }
        #expect(throws: RunStoreError.self) { try store.run("%") }
        #expect(try store.run("x%").id == "x%y")
        // Prefixes are case-sensitive, and an empty one names nothing.
        #expect(throws: RunStoreError.self) { try store.run("X%") }
        #expect(throws: RunStoreError.self) { try store.run("") }
    }

    @Test func artifactsCarryTheirChecksum() throws {
        let (store, folder) = try makeStore()
        defer { try? FileManager.default.removeItem(at: folder) }
        try store.createRun(NewRun(id: "r"))
        let file = folder.appendingPathComponent("a.bin")
        try Data("abc".utf8).write(to: file)
        try store.addArtifact(kind: "checkpoint", path: file.path, for: "r")
        let artifact = try #require(try store.artifacts(of: "r").first)
        #expect(artifact.sha256 == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(artifact.bytes == 3 && artifact.kind == "checkpoint")
    }

    @Test func sha256MatchesTheStandardVectors() {
        #expect(Checksum.sha256(Data()) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        let long = Data("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq".utf8)
        #expect(Checksum.sha256(long) == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
        #expect(
            Checksum.sha256(Data(repeating: 0x61, count: 1_000)).hasPrefix(
                "41edece42d63e8d9bf515a9ba6932e1c20cbc9f5a5d134645adb5db1b9737ea3"))
    }

    @Test func sampleScoresAndEvaluationsRoundTrip() throws {
        let (store, folder) = try makeStore()
        defer { try? FileManager.default.removeItem(at: folder) }
        try store.createRun(NewRun(id: "r"))
        let scores = (0..<3).map {
            SampleScoreRecord(
                dataset: "test", index: $0, label: $0, prediction: 1, confidence: 0.5, score: "energy",
                value: Double($0))
        }
        let id = try store.recordMeasurement(
            NewMeasurement(kind: .evaluation),
            values: [
                EvaluationRecord(dataset: "mnist", score: "energy", metric: "auroc", value: 0.8, settings: "{}")
            ], sampleScores: scores, for: "r")
        #expect(
            try store.sampleScores(of: "r").map { ($0.index, $0.value, $0.measurementID) }.elementsEqual(
                scores.map { ($0.index, $0.value, id) }, by: ==))
        #expect(try store.evaluations(of: "r").map(\.value) == [0.8])
    }
}

@Suite struct RunStoreOpeningErrorTests {
    @Test func aFileThatIsNotSQLiteIsNamed() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("joule-notdb-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("runs.sqlite")
        try Data(repeating: 0x41, count: 4096).write(to: file)
        let error = try #require(throws: RunStoreError.self) { try RunStore(path: file.path) }
        #expect(error.description.contains("not an SQLite database") && error.description.contains(file.path))
        #expect(try Data(contentsOf: file) == Data(repeating: 0x41, count: 4096))
    }

    @Test func aMissingDirectoryIsNamed() throws {
        let path = "/nonexistent-\(UUID().uuidString)/runs.sqlite"
        let error = try #require(throws: RunStoreError.self) { try RunStore(path: path) }
        #expect(error.description.contains("does not exist"))
    }

    @Test func aPathThroughAFileIsNamed() throws {
        let error = try #require(throws: RunStoreError.self) { try RunStore(path: "/etc/hostname/runs.sqlite") }
        #expect(error.description.contains("/etc/hostname") && error.description.contains("does not exist"))
    }

    @Test func readOnlyOpeningNeedsAnExistingStore() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("joule-ro2-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("runs.sqlite").path
        #expect(throws: RunStoreError.self) { try RunStore(path: path, readOnly: true) }
        _ = try RunStore(path: path)
        let reader = try RunStore(path: path, readOnly: true)
        #expect(try reader.runs().isEmpty)
        let error = try #require(throws: RunStoreError.self) { try reader.createRun(NewRun(id: "r")) }
        #expect(error.description.contains("readonly") && error.description.contains(path))
    }
}
