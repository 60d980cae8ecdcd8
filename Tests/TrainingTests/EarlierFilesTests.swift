import Foundation
import RunLog
import Testing

@testable import Runs
@testable import Training

/// Files written by the code before the training layer's redesign (issue 23;
/// `Fixtures/make-fixtures.sh` made them at commit 1e51191): its checkpoints resume and go on
/// as that code went on, its YAML configuration reads, its run store opens.
@Suite(.serialized) struct EarlierFilesTests {
    typealias CLI = TrainCommandTests
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")

    /// A working folder with the fixtures' images (the runs name them `png:images`).
    static func folder() throws -> URL {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("joule-earlier-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        try FileManager.default.copyItem(
            at: fixtures.appendingPathComponent("images"), to: root.appendingPathComponent("images"))
        return root
    }

    /// Each run resumed from its step-6 checkpoint to step 12 logs the losses the earlier code
    /// logged. Equal to the bit on the CPU that wrote them; oneDNN's kernels for another
    /// instruction set sum in another order, hence the relative tolerance.
    @Test(.enabled(if: CLI.executable != nil), arguments: ["ce", "jem", "dsm", "vera"])
    func aCheckpointResumesAsBefore(name: String) throws {
        let root = try Self.folder()
        defer { try? FileManager.default.removeItem(at: root) }
        let checkpoint = root.appendingPathComponent("\(name)-6.safetensors")
        try FileManager.default.copyItem(
            at: Self.fixtures.appendingPathComponent("\(name)-6.safetensors"), to: checkpoint)
        let database = root.appendingPathComponent("runs.sqlite").path
        let resumed = try CLI.joule(
            [
                "train", "--resume", checkpoint.path, "--steps", "12", "--checkpoint-dir",
                root.appendingPathComponent("ck").path,
                "--runs-db", database,
            ], in: root)
        #expect(resumed.status == 0, "\(resumed.error)")
        let runID = try TrainingCheckpoint.read(from: checkpoint).progress.runID
        let losses = try #require(
            try RunStore(path: database, readOnly: true).metricHistory(of: runID, key: "train/loss")["train/loss"])
        let expected = try #require(
            try JSONSerialization.jsonObject(
                with: Data(
                    contentsOf: Self.fixtures
                        .appendingPathComponent("\(name)-resumed.json"))) as? [[String: Any]])
        #expect(losses.map(\.step) == Array(7...12))
        #expect(expected.compactMap { $0["step"] as? Int } == Array(7...12))
        for (got, want) in zip(losses, expected) {
            let value = try #require(want["value"] as? Double)
            #expect(
                abs(got.value - value) <= 1e-4 * max(1, abs(value)),
                "\(name) step \(got.step): \(got.value) against \(value)")
        }
    }

    @Test func theEarlierConfigurationFileReads() throws {
        let c = try RunConfiguration(contentsOf: Self.fixtures.appendingPathComponent("ce.yaml"))
        #expect(
            c.core.model == ModelName(.wideResNet(depth: 10, widen: 1)) && c.core.batchSize == 8
                && c.data.validationSize == 12)
        #expect(
            c.core.learningRate == 0.003 && c.core.schedule == .cosine && c.core.warmupSteps == 2
                && c.data.noise == 0.01 && c.data.flip)
    }

    @Test(.enabled(if: CLI.executable != nil)) func theEarlierRunStoreOpens() throws {
        let root = try Self.folder()
        defer { try? FileManager.default.removeItem(at: root) }
        let database = root.appendingPathComponent("runs.sqlite").path
        try FileManager.default.copyItem(
            at: Self.fixtures.appendingPathComponent("runs.sqlite"), to: URL(fileURLWithPath: database))
        let listed = try CLI.joule(["runs", "list", "--runs-db", database, "--json"], in: root)
        #expect(listed.status == 0, "\(listed.error)")
        let runs = try #require(try JSONSerialization.jsonObject(with: Data(listed.output.utf8)) as? [[String: Any]])
        #expect(Set(runs.compactMap { $0["name"] as? String }) == ["ce", "jem", "dsm", "vera"])
        let store = try RunStore(path: database, readOnly: true)
        let ce = try #require(try store.runs().first { $0.name == "ce" })
        #expect(try store.measurements(of: ce.id).map(\.kind) == [.calibration, .evaluation])
        #expect(try store.params(of: ce.id)["model"] == "wrn-10-1")
        let shown = try CLI.joule(["runs", "show", ce.id, "--runs-db", database], in: root)
        #expect(shown.status == 0 && shown.output.contains("evaluations.uniform.log-px.auroc"))
    }
}
