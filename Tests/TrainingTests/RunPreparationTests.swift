import Datasets
import Foundation
import Testing
@testable import Runs
@testable import Training

/// `RunPreparation`: data checked before a run is recorded, caps recorded as used, and runs
/// recorded before a rule still read their data as they did.
@Suite struct RunPreparationTests {
    /// Two classes of 8×8 images, one grey and one colour.
    static func mixedFolder() throws -> URL {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("joule-mixed-\(UUID().uuidString)")
        for (name, channels) in [("grey", 1), ("colour", 3)] {
            let folder = root.appendingPathComponent(name)
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            for i in 0..<10 {
                try PNGWriter.write((0..<(64 * channels)).map { UInt8(($0 * 3 + i) % 256) }, width: 8, height: 8, channels: channels,
                                    to: folder.appendingPathComponent("\(i).png"))
            }
        }
        return root
    }

    @Test func mixedChannelsAreRefusedForANewRunAndReadAsBeforeForAnOldOne() throws {
        let root = try Self.mixedFolder()
        defer { try? FileManager.default.removeItem(at: root) }
        var c = TrainingConfiguration()
        c.dataset = "png:" + root.path
        c.model = "mlp"
        c.validationSize = 4
        c.batchSize = 8
        #expect(throws: DatasetError.self) { try RunPreparation(c) }
        // A run recorded before the rule (no channels) resumes and is evaluated as it was trained: RGB.
        let resumed = try RunPreparation(c, resuming: true)
        #expect(resumed.configuration.channels == 3)
        #expect(try TrainingData.load(c).train.channels == 3)
        c.channels = 1
        let grey = try RunPreparation(c)
        #expect(grey.configuration.channels == 1 && grey.warnings.isEmpty)
    }

    @Test func capsAreLoweredToWhatIsUsedWithAWarning() throws {
        let root = try Self.mixedFolder()
        defer { try? FileManager.default.removeItem(at: root) }
        var c = TrainingConfiguration()
        c.dataset = "png:" + root.path
        c.model = "mlp"
        c.channels = 3
        c.validationSize = 100
        c.batchSize = 1000
        let prepared = try RunPreparation(c)
        // 20 images: a fifth (4) held out, 16 to train on.
        #expect(prepared.configuration.validationSize == 4 && prepared.configuration.batchSize == 16)
        #expect(prepared.warnings.count == 2)
        #expect(prepared.description == "png:\(root.path) (16 training, 4 validation images)")
    }
}
