import Foundation
import RunLog
import Testing

#if canImport(FoundationXML)
    import FoundationXML
#endif

/// The run store from the outside: `joule train` recording itself (finish, signals,
/// failures, resume), `joule runs`, and faults — concurrent writers, a writer killed
/// mid-transaction.
@Suite(.serialized) struct RunsCommandTests {
    static var executable: URL? { TrainCommandTests.executable }

    /// Starts joule without waiting; standard output goes to a pipe.
    static func start(_ arguments: [String]) throws -> (Process, Pipe) {
        let process = try TrainCommandTests.process(arguments)
        let out = Pipe()
        process.standardOutput = out
        process.standardError = FileHandle.nullDevice
        try process.run()
        return (process, out)
    }

    static func waitUntil(timeout: TimeInterval = 60, _ condition: () throws -> Bool) throws -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if try condition() { return true }
            Thread.sleep(forTimeInterval: 0.05)
        }
        return false
    }

    @Test(.enabled(if: executable != nil)) func trainingRecordsItselfAndSignalsMarkTheRunKilled() throws {
        let root = try TrainCommandTests.makeFolder()
        defer { try? FileManager.default.removeItem(at: root) }
        let checkpoints = root.appendingPathComponent("checkpoints").path
        let database = checkpoints + "/runs.sqlite"
        let common = [
            "train", "--dataset", "png:" + root.appendingPathComponent("images").path, "--model", "mlp",
            "--batch-size", "8", "--validation-size", "12", "--checkpoint-dir", checkpoints,
        ]
        // A long run, interrupted once it has logged something.
        let (process, out) = try Self.start(
            common + ["--steps", "1000000", "--tag", "note=it's <fine>", "--experiment", "faults"])
        var runID = ""
        let started = try Self.waitUntil {
            guard FileManager.default.fileExists(atPath: database),
                let store = try? RunStore(path: database, readOnly: true),
                let run = try? store.runs().first, (try? store.metricRowCount(of: run.id)) ?? 0 > 20
            else { return false }
            runID = run.id
            return true
        }
        #expect(started)
        process.interrupt()
        process.waitUntilExit()
        _ = out.fileHandleForReading.readDataToEndOfFile()
        #expect(process.terminationStatus == 130)
        let store = try RunStore(path: database, readOnly: true)
        let killed = try store.run(runID)
        #expect(killed.status == .killed && killed.statusReason?.hasPrefix("SIGINT at step") == true)
        #expect(killed.experiment == "faults")
        #expect(try store.tags(of: runID) == ["note": "it's <fine>"])
        #expect(try store.params(of: runID)["model"] == "mlp")
        let stoppedAt = try #require(Int(killed.statusReason?.split(separator: " ").last ?? ""))

        // Resuming continues the same run id; every step is logged exactly once.
        let resumed = try TrainCommandTests.joule([
            "train", "--resume", runID, "--checkpoint-dir", checkpoints,
            "--steps", "\(stoppedAt + 10)", "--json",
        ])
        #expect(resumed.status == 0, "stderr: \(resumed.error)")
        let done = try store.run(runID)
        #expect(done.status == .finished && done.statusReason == nil)
        let steps = try #require(try store.metricHistory(of: runID, key: "train/loss")["train/loss"]).map(\.step)
        #expect(steps == Array(1...(stoppedAt + 10)))
        #expect(try store.latestMetrics(of: runID)["validation/accuracy"]?.step == stoppedAt + 10)
        #expect(try store.artifacts(of: runID).contains { $0.kind == "checkpoint" && $0.sha256?.count == 64 })
        #expect(try store.runs().count == 1)

        // SIGTERM too.
        let (second, _) = try Self.start(common + ["--steps", "1000000"])
        #expect(try Self.waitUntil { try RunStore(path: database, readOnly: true).runs().count == 2 })
        Thread.sleep(forTimeInterval: 0.3)
        second.terminate()
        second.waitUntilExit()
        #expect(second.terminationStatus == 143)
        let terminated = try #require(try store.runs(orderedBy: .newestFirst).first)
        #expect(terminated.status == .killed && terminated.statusReason?.hasPrefix("SIGTERM") == true)
    }

    @Test(.enabled(if: executable != nil)) func aFailingRunIsMarkedFailedWithTheReason() throws {
        let root = try TrainCommandTests.makeFolder()
        defer { try? FileManager.default.removeItem(at: root) }
        let checkpoints = root.appendingPathComponent("checkpoints").path
        let result = try TrainCommandTests.joule([
            "train", "--dataset", "png:" + root.appendingPathComponent("images").path,
            "--model", "mlp", "--batch-size", "8", "--validation-size", "12",
            "--checkpoint-dir", checkpoints, "--steps", "50", "--lr", "1e30",
        ])
        #expect(result.status == 1 && result.error.contains("diverged"))
        let run = try #require(try RunStore(path: checkpoints + "/runs.sqlite", readOnly: true).runs().first)
        #expect(run.status == .failed && run.statusReason?.contains("diverged") == true)
    }

    @Test(.enabled(if: executable != nil)) func twoProcessesLogTenThousandMetricsEachWithoutLoss() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
            "joule-concurrent-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let database = folder.appendingPathComponent("runs.sqlite").path
        // Both start on a database that does not exist yet: the migrations race too.
        let writers = try ["a", "b"].map { id in
            try Self.start([
                "runs", "write-metrics", "--runs-db", database, "--run", id, "--count", "10000", "--batch", "10",
                "--keys", "4",
            ])
        }
        for (process, out) in writers {
            let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            process.waitUntilExit()
            #expect(process.terminationStatus == 0, "\(text)")
        }
        let store = try RunStore(path: database, readOnly: true)
        #expect(try store.metricRowCount(of: "a") == 10_000 && store.metricRowCount(of: "b") == 10_000)
        #expect(
            try store.appliedMigrations() == ["0001_initial", "0002_measurement_records"]
                && store.integrityCheck() == "ok")
        #expect(try store.runs().allSatisfy { $0.status == .finished })
    }

    @Test(.enabled(if: executable != nil)) func aWriterKilledMidTransactionLeavesASoundDatabase() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("joule-sigkill-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let database = folder.appendingPathComponent("runs.sqlite").path
        let (process, out) = try Self.start([
            "runs", "write-metrics", "--runs-db", database, "--run", "victim",
            "--count", "1000", "--batch", "100", "--hold-seconds", "60",
        ])
        var line = Data()
        while !String(decoding: line, as: UTF8.self).contains("holding") {
            let chunk = out.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            line += chunk
        }
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        #expect(process.terminationReason == .uncaughtSignal)
        let store = try RunStore(path: database)
        #expect(try store.integrityCheck() == "ok")
        // The first batch was committed; the one in flight was rolled back.
        #expect(try store.metricRowCount(of: "victim") == 100)
        #expect(try store.run("victim").displayStatus() == "INTERRUPTED")
        let listed = try TrainCommandTests.joule(["runs", "list", "--runs-db", database, "--json"])
        let runs = try #require(try JSONSerialization.jsonObject(with: Data(listed.output.utf8)) as? [[String: Any]])
        #expect(runs.first?["status"] as? String == "INTERRUPTED")
    }

    @Test(.enabled(if: executable != nil)) func runsListShowCompareAndDelete() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
            "joule-runs-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let database = folder.appendingPathComponent("runs.sqlite").path
        let store = try RunStore(path: database)
        for (i, lr) in ["0.1", "0.01", "0.001"].enumerated() {
            try store.createRun(
                NewRun(id: "run-\(i)", model: "mlp", params: ["lr": lr, "batch-size": "64"], tags: ["note": "n,\(i)"]),
                startTime: Date(timeIntervalSince1970: 1_800_000_000 + Double(i)))
            try store.logMetrics([MetricRecord(key: "acc", step: 10, value: 0.5 + 0.1 * Double(i))], for: "run-\(i)")
            try store.endRun(id: "run-\(i)", status: .finished)
        }
        let db = ["--runs-db", database]
        let list = try TrainCommandTests.joule(
            [
                "runs", "list", "--where", "metrics.acc > 0.55 and params.lr < 0.05",
                "--order-by", "metrics.acc asc", "--json",
            ] + db)
        #expect(list.status == 0, "\(list.error)")
        let listed = try #require(try JSONSerialization.jsonObject(with: Data(list.output.utf8)) as? [[String: Any]])
        #expect(listed.compactMap { $0["id"] as? String } == ["run-1", "run-2"])
        let csv = try TrainCommandTests.joule(["runs", "list", "--csv", "--limit", "1"] + db)
        #expect(csv.output.split(separator: "\n").count == 2 && csv.output.hasPrefix("id,name,status"))
        let table = try TrainCommandTests.joule(["runs", "list", "--where", "tags.note = 'n,2'"] + db)
        #expect(table.output.contains("run-2") && !table.output.contains("run-1"))

        let bad = try TrainCommandTests.joule(["runs", "list", "--where", "metrics.acc >> 1"] + db)
        #expect(bad.status == 2 && bad.error.contains("position 14") && bad.error.contains("^"))

        let compare = try TrainCommandTests.joule(["runs", "compare", "run-0", "run-2", "--diff-only", "--json"] + db)
        let compared = try #require(try JSONSerialization.jsonObject(with: Data(compare.output.utf8)) as? [String: Any])
        let fields = (compared["fields"] as? [[String: Any]] ?? []).compactMap { $0["field"] as? String }
        #expect(fields.contains("params.lr") && fields.contains("metrics.acc") && !fields.contains("params.batch-size"))

        let show = try TrainCommandTests.joule(["runs", "show", "run-1"] + db)
        #expect(show.output.contains("params.lr") && show.output.contains("0.01"))
        let twice = try TrainCommandTests.joule(["runs", "compare", "run-0", "run-0"] + db)
        #expect(twice.status == 1 && twice.error.contains("named twice"))
        let delete = try TrainCommandTests.joule(["runs", "delete", "run-1", "--yes"] + db)
        #expect(delete.status == 0, "\(delete.error)")
        // A run still running (this test process) is kept unless forced.
        try store.createRun(NewRun(id: "live"))
        let refused = try TrainCommandTests.joule(["runs", "delete", "live"] + db)
        #expect(refused.status == 1 && refused.error.contains("still running"))
        #expect(try TrainCommandTests.joule(["runs", "delete", "live", "--force", "--yes"] + db).status == 0)
        let missing = try TrainCommandTests.joule(["runs", "show", "run-1"] + db)
        #expect(missing.status == 1 && missing.error.contains("no run with id 'run-1'"))
        let notDB = try TrainCommandTests.joule(["runs", "list", "--runs-db", "/etc/hostname"])
        #expect(
            notDB.status == 1 && notDB.error.contains("/etc/hostname") && notDB.error.contains("not an SQLite database")
        )
        let absent = try TrainCommandTests.joule([
            "runs", "list", "--runs-db", folder.appendingPathComponent("none.sqlite").path,
        ])
        #expect(absent.status == 1 && absent.error.contains("none.sqlite"))
    }

    @Test(.enabled(if: executable != nil)) func reportIsOneEscapedWellFormedFile() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
            "joule-report-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let database = folder.appendingPathComponent("runs.sqlite").path
        let store = try RunStore(path: database)
        for (i, name) in ["<b>bold</b> & co", "plain"].enumerated() {
            try store.createRun(NewRun(id: "r\(i)", name: name, params: ["lr": "0.\(i + 1)"]))
            try store.logMetrics(
                (1...50).map { MetricRecord(key: "train/loss", step: $0, value: 1 / Double($0 + i)) }, for: "r\(i)")
        }
        let out = folder.appendingPathComponent("report.html").path
        let result = try TrainCommandTests.joule(["report", "r0", "r1", "--runs-db", database, "--out", out])
        #expect(result.status == 0, "\(result.error)")
        let html = try String(contentsOfFile: out, encoding: .utf8)
        #expect(html.contains("&lt;b&gt;bold&lt;/b&gt; &amp; co") && !html.contains("<b>bold</b>"))
        #expect(html.contains("<svg") && html.contains("train/loss"))
        let parser = XMLParser(data: Data(html.utf8))
        #expect(parser.parse(), "\(parser.parserError.map { "\($0)" } ?? "")")
        #expect(try store.artifacts(of: "r0").contains { $0.kind == "report" && $0.sha256?.count == 64 })

        let nowhere = try TrainCommandTests.joule([
            "report", "r0", "--runs-db", database, "--out", "/etc/hostname/x.html",
        ])
        #expect(
            nowhere.status == 1 && nowhere.error.contains("/etc/hostname/x.html")
                && nowhere.error.contains("not a folder"))
        let unknown = try TrainCommandTests.joule(["report", "zzz", "--runs-db", database, "--out", out])
        #expect(unknown.status == 1 && unknown.error.contains("zzz"))
    }

    /// joule as a user who cannot write `folder` (root ignores permissions, so as root it
    /// runs as nobody).
    static func jouleWithoutWriteAccess(_ arguments: [String]) throws -> (status: Int32, output: String, error: String)
    {
        try TrainCommandTests.joule(arguments, as: getuid() == 0 ? "nobody" : nil)
    }

    @Test(
        .enabled(
            if: executable != nil
                && (getuid() != 0 || FileManager.default.isExecutableFile(atPath: "/usr/sbin/runuser"))))
    func aReadOnlyDirectoryIsNamedAndItsStoreStillReads() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
            "joule-readonly-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer {
            chmod(folder.path, 0o755)
            try? FileManager.default.removeItem(at: folder)
        }
        let database = folder.appendingPathComponent("runs.sqlite").path
        let store = try RunStore(path: database)
        try store.createRun(NewRun(id: "archived"))
        try store.endRun(id: "archived", status: .finished)
        chmod(folder.path, 0o555)
        chmod(database, 0o444)
        let write = try Self.jouleWithoutWriteAccess(["runs", "delete", "archived", "--runs-db", database])
        #expect(write.status == 1 && write.error.contains("\(folder.path) is not writable"), "\(write.error)")
        let read = try Self.jouleWithoutWriteAccess(["runs", "list", "--runs-db", database, "--json"])
        #expect(read.status == 0 && read.output.contains("archived"), "\(read.error)")
        let missing = try Self.jouleWithoutWriteAccess([
            "runs", "list", "--runs-db", folder.appendingPathComponent("other.sqlite").path,
        ])
        #expect(missing.status == 1 && missing.error.contains("no run store at \(folder.path)/other.sqlite"))
    }

    @Test(.enabled(if: executable != nil)) func jemTrainsSamplesAndRecordsItsGrids() throws {
        let root = try TrainCommandTests.makeFolder()
        defer { try? FileManager.default.removeItem(at: root) }
        let checkpoints = root.appendingPathComponent("checkpoints").path
        let trained = try TrainCommandTests.joule([
            "train", "--objective", "jem", "--dataset", "png:" + root.appendingPathComponent("images").path,
            "--model", "mlp", "--batch-size", "8", "--validation-size", "12", "--steps", "12",
            "--sgld-steps", "3", "--buffer-size", "30", "--class-conditional", "--pxy-weight", "0.5",
            "--checkpoint-dir", checkpoints, "--json",
        ])
        #expect(trained.status == 0, "\(trained.error)")
        let summary = try #require(try JSONSerialization.jsonObject(with: Data(trained.output.utf8)) as? [String: Any])
        let runID = try #require(summary["run_id"] as? String)
        let store = try RunStore(path: checkpoints + "/runs.sqlite", readOnly: true)
        let metrics = try store.latestMetrics(of: runID)
        for key in [
            "jem/data_energy", "jem/sample_energy", "jem/energy_gap", "jem/sgld_gradient_norm", "time/sampling_seconds",
            "train/cross_entropy", "buffer/mean",
        ] {
            #expect(metrics[key] != nil, "missing \(key)")
        }
        #expect(try store.params(of: runID)["pxy-weight"] == "0.5")
        #expect(try store.artifacts(of: runID).contains { $0.kind == "image-samples" })

        let grid = root.appendingPathComponent("grid.png").path
        let sampled = try TrainCommandTests.joule([
            "sample", runID, "--checkpoint-dir", checkpoints, "--per-class", "--columns", "4",
            "--steps", "5", "--out", grid,
        ])
        #expect(sampled.status == 0, "\(sampled.error)")
        // 3 classes × 4 columns of 8×8 images with 2-pixel gaps: 42 × 32 pixels.
        let image = try Data(contentsOf: URL(fileURLWithPath: grid))
        #expect(image.count > 33 && image[16..<24] == Data([0, 0, 0, 42, 0, 0, 0, 32]))
        #expect(try store.artifacts(of: runID).contains { $0.path.hasSuffix("grid.png") })

        let badClass = try TrainCommandTests.joule([
            "sample", runID, "--checkpoint-dir", checkpoints, "--class", "7", "--out", grid,
        ])
        #expect(badClass.status == 1 && badClass.error.contains("outside 0..<3"))
        let missing = try TrainCommandTests.joule([
            "sample", "no-such-run", "--checkpoint-dir", checkpoints, "--out", grid,
        ])
        #expect(missing.status == 1 && missing.error.contains("no-such-run"))
    }
}
