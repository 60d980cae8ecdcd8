import Checkpoints
import Foundation
import Layers
import RunLog
import RunRecording
import Tensors
import TestSupport
import Testing

@testable import Runs
@testable import Training

/// The parts of crash safety a unit test can see; `scripts/crash-check.sh` kills real runs.
@Suite struct CrashSafetyTests {
    func temporaryDirectory() throws -> URL { try makeTemporaryDirectory("joule-crash") }

    /// Once a checkpoint at step S is on disk, every metric logged up to S is in the store,
    /// though the logger would otherwise hold them for seconds.
    @Test func metricsAreCommittedBeforeTheCheckpointIsWritten() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let store = try RunStore(path: directory.appendingPathComponent("runs.sqlite").path)
        let configuration = RunConfiguration()
        let recorder = try StoreRecorder(store: store, runID: "r", configuration: configuration, resumedStep: nil)
        for step in 1...7 { recorder.log([("train/loss", Double(step))], step: step) }
        #expect(try store.metricRowCount(of: "r") == 0)  // still pending in the logger

        var rng = SeededGenerator(seed: 1)
        let model = configuration.modelSpecification.make(channels: 1, height: 2, width: 2, classes: 3, using: &rng)
        var progress = TrainingProgress(runID: "r", trainingCount: 4, batchSize: 2, seed: 1)
        progress.step = 7
        let checkpoint = TrainingCheckpoint(
            model: model, optimizerState: [:], configuration: configuration, progress: progress)
        let last = directory.appendingPathComponent("r/last.safetensors")
        try CheckpointSaving.save(checkpoint, last: last, best: nil, recorder: recorder)
        #expect(try store.metricHistory(of: "r", key: "train/loss")["train/loss"]?.map(\.step) == Array(1...7))
        #expect(try TrainingCheckpoint.read(from: last).progress.step == 7)
    }

    /// What a writer killed before its rename leaves is removed once its process is gone;
    /// a live writer's temporary and other files are left alone.
    @Test func abandonedTemporariesOfDeadWritersAreRemoved() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let last = directory.appendingPathComponent("last.safetensors")
        // A process that has exited (and been reaped): its pid names no process now.
        let child = Process()
        child.executableURL = URL(fileURLWithPath: "/bin/true")
        try child.run()
        child.waitUntilExit()
        let dead = child.processIdentifier
        let names = [
            ".last.safetensors.tmp-\(dead)-1a2b", ".last.safetensors.tmp-\(getpid())-3c4d",
            ".best.safetensors.tmp-\(dead)-5e6f", "last.safetensors", ".last.safetensors.tmp-x-1",
        ]
        for name in names { try Data([1, 2, 3]).write(to: directory.appendingPathComponent(name)) }
        let removed = AbandonedTemporaries.remove(beside: last)
        #expect(removed.map { URL(fileURLWithPath: $0).lastPathComponent } == [".last.safetensors.tmp-\(dead)-1a2b"])
        let left = try FileManager.default.contentsOfDirectory(atPath: directory.path).sorted()
        #expect(left == names.filter { $0 != ".last.safetensors.tmp-\(dead)-1a2b" }.sorted())
    }
}
