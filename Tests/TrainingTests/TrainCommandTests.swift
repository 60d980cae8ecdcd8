import Datasets
import Foundation
import Testing

/// Data written once by another thread, read after it.
final class LockedData: @unchecked Sendable {
    private let condition = NSCondition()
    private var data: Data?

    func set(_ value: Data) {
        condition.lock()
        data = value
        condition.signal()
        condition.unlock()
    }

    func wait() -> Data {
        condition.lock()
        defer { condition.unlock() }
        while data == nil { condition.wait() }
        return data ?? Data()
    }
}

/// `joule train` end to end on a tiny PNG folder: JSON summary, checkpoints, resume,
/// dry run, and clear errors with a non-zero exit.
@Suite(.serialized) struct TrainCommandTests {
    /// The `joule` executable built next to the test bundle.
    static var executable: URL? {
        var directory = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        for _ in 0..<4 {
            let candidate = directory.appendingPathComponent("joule")
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
            directory = directory.deletingLastPathComponent()
        }
        return nil
    }

    /// Runs joule with `arguments` (as `user` through runuser when given) in `directory`;
    /// returns exit status, standard output and standard error.
    static func joule(
        _ arguments: [String], as user: String? = nil, in directory: URL? = nil,
        environment: [String: String] = [:]
    ) throws -> (status: Int32, output: String, error: String) {
        let process = try process(arguments, as: user, in: directory, environment: environment)
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        // Both pipes drain at once: a process filling one while the test waits on the other stalls.
        let errorData = LockedData()
        let reader = Thread { errorData.set(err.fileHandleForReading.readDataToEndOfFile()) }
        reader.start()
        let output = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let error = errorData.wait()
        return (
            process.terminationStatus, String(decoding: output, as: UTF8.self), String(decoding: error, as: UTF8.self)
        )
    }

    /// The joule process for `arguments`, not yet started, in `directory` (else a scratch
    /// folder of the tests': never the package, whose own run store tests must not touch). `$JOULE_RUNS_DB`
    /// is what `environment` says; when it says nothing and the command names `--checkpoint-dir
    /// X` but no `--runs-db`, it is `X/runs.sqlite`, so tests keep each run's record beside its
    /// folder. (The tests of the store rule itself pass their own folder and environment.)
    static func process(
        _ arguments: [String], as user: String? = nil, in directory: URL? = nil,
        environment: [String: String] = [:]
    ) throws -> Process {
        let url: URL = try #require(executable)
        let process = Process()
        if let user {
            process.executableURL = URL(fileURLWithPath: "/usr/sbin/runuser")
            process.arguments = ["-u", user, "--", url.path] + arguments
        } else {
            process.executableURL = url
            process.arguments = arguments
        }
        var folder = directory
        if folder == nil {
            let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("joule-tests-working-folder")
            try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
            folder = scratch
        }
        process.currentDirectoryURL = folder
        process.standardInput = FileHandle.nullDevice
        var variables = ProcessInfo.processInfo.environment
        variables["JOULE_RUNS_DB"] = nil
        if directory == nil, environment["JOULE_RUNS_DB"] == nil, !arguments.contains("--runs-db"),
            let flag = arguments.firstIndex(of: "--checkpoint-dir"), flag + 1 < arguments.count
        {
            variables["JOULE_RUNS_DB"] =
                URL(fileURLWithPath: arguments[flag + 1]).appendingPathComponent("runs.sqlite").path
        }
        process.environment = variables.merging(environment) { $1 }
        return process
    }

    /// Three classes of 8×8 gray images, 20 each, brightness by class.
    static func makeFolder() throws -> URL {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("joule-cli-\(UUID().uuidString)")
        for (label, name) in ["dark", "mid", "light"].enumerated() {
            let folder = root.appendingPathComponent("images/\(name)")
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            for i in 0..<20 {
                let pixels = (0..<64).map { UInt8((label * 90 + ($0 * 7 + i * 13) % 40) % 256) }
                try PNGWriter.write(
                    pixels, width: 8, height: 8, channels: 1, to: folder.appendingPathComponent("\(i).png"))
            }
        }
        return root
    }

    @Test(.enabled(if: executable != nil)) func trainsResumesAndReports() throws {
        let root = try Self.makeFolder()
        defer { try? FileManager.default.removeItem(at: root) }
        let checkpoints = root.appendingPathComponent("checkpoints").path
        let common = [
            "train", "--dataset", "png:" + root.appendingPathComponent("images").path, "--model", "mlp",
            "--batch-size", "8", "--validation-size", "12", "--checkpoint-dir", checkpoints,
        ]
        let first = try Self.joule(common + ["--steps", "12", "--json"])
        #expect(first.status == 0, "stderr: \(first.error)")
        let summary = try #require(try JSONSerialization.jsonObject(with: Data(first.output.utf8)) as? [String: Any])
        for key in ["run_id", "test_accuracy", "best_validation_accuracy", "epochs", "seconds"] {
            #expect(summary.keys.contains(key), "missing \(key)")
        }
        let runID = try #require(summary["run_id"] as? String)
        #expect(summary["steps"] as? Int == 12)
        #expect(FileManager.default.fileExists(atPath: "\(checkpoints)/\(runID)/last.safetensors"))
        #expect(FileManager.default.fileExists(atPath: "\(checkpoints)/\(runID)/best.safetensors"))
        #expect(first.error.contains("validation"))

        // Resume the same run for more steps: same id, continues from step 12.
        let resumed = try Self.joule([
            "train", "--resume", runID, "--checkpoint-dir", checkpoints, "--steps", "18", "--json",
        ])
        #expect(resumed.status == 0, "stderr: \(resumed.error)")
        #expect(resumed.error.contains("resuming run \(runID) at step 12"))
        let again = try #require(try JSONSerialization.jsonObject(with: Data(resumed.output.utf8)) as? [String: Any])
        #expect(again["run_id"] as? String == runID && again["steps"] as? Int == 18)

        // A dry run writes nothing.
        let before = try FileManager.default.contentsOfDirectory(atPath: checkpoints)
        let dry = try Self.joule(common + ["--dry-run"])
        #expect(dry.status == 0, "stderr: \(dry.error)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: checkpoints) == before)
    }

    @Test(.enabled(if: executable != nil)) func resumeRefusesSettingsTheCheckpointDependsOn() throws {
        let root = try Self.makeFolder()
        defer { try? FileManager.default.removeItem(at: root) }
        let checkpoints = root.appendingPathComponent("checkpoints").path
        let first = try Self.joule([
            "train", "--dataset", "png:" + root.appendingPathComponent("images").path, "--model", "mlp",
            "--batch-size", "8", "--validation-size", "12", "--steps", "4", "--checkpoint-dir", checkpoints, "--json",
        ])
        #expect(first.status == 0, "stderr: \(first.error)")
        let runID =
            try #require(try JSONSerialization.jsonObject(with: Data(first.output.utf8)) as? [String: Any])["run_id"]
            as? String
        let id = try #require(runID)
        let refused = try Self.joule([
            "train", "--resume", id, "--checkpoint-dir", checkpoints, "--steps", "8",
            "--batch-size", "4", "--seed", "9",
        ])
        #expect(refused.status != 0)
        #expect(
            refused.error.contains("--batch-size (run: 8, given: 4)")
                && refused.error.contains("--seed (run: 1, given: 9)"),
            "\(refused.error)")
        // Settings that do not touch the saved state may change.
        let extended = try Self.joule([
            "train", "--resume", id, "--checkpoint-dir", checkpoints, "--steps", "8", "--lr", "0.01",
        ])
        #expect(extended.status == 0, "stderr: \(extended.error)")
    }

    @Test(.enabled(if: executable != nil)) func badInputFailsWithAClearMessage() throws {
        let root = try Self.makeFolder()
        defer { try? FileManager.default.removeItem(at: root) }
        let config = root.appendingPathComponent("run.yaml")
        try "epochz: 3\n".write(to: config, atomically: true, encoding: .utf8)
        let badConfig = try Self.joule(["train", "--config", config.path])
        #expect(badConfig.status != 0 && badConfig.error.contains("run.yaml") && badConfig.error.contains("epochz"))
        let badModel = try Self.joule(["train", "--model", "resnet", "--dataset", "png:" + root.path])
        #expect(
            badModel.status != 0
                && badModel.error.contains("'resnet' is invalid for '--model <model>': expected a model: mlp, cnn-s"))
        let missing = try Self.joule(["train", "--dataset", "png:/nonexistent/joule-images"])
        #expect(missing.status != 0 && missing.error.contains("/nonexistent/joule-images"))
        let noRun = try Self.joule(["train", "--resume", "no-such-run", "--checkpoint-dir", root.path])
        #expect(noRun.status != 0 && noRun.error.contains("no-such-run"))
    }
}
