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
                try PNGWriter.write(
                    (0..<(64 * channels)).map { UInt8(($0 * 3 + i) % 256) }, width: 8, height: 8, channels: channels,
                    to: folder.appendingPathComponent("\(i).png"))
            }
        }
        return root
    }

    @Test func mixedChannelsAreRefusedForANewRunAndReadAsBeforeForAnOldOne() throws {
        let root = try Self.mixedFolder()
        defer { try? FileManager.default.removeItem(at: root) }
        var c = RunConfiguration()
        c.core.dataset = .pngFolder(root.path)
        c.core.model = .mlp
        c.data.validationSize = 4
        c.core.batchSize = 8
        #expect(throws: DatasetError.self) { try RunPreparation(c) }
        // A run recorded before the rule (no channels) resumes and is evaluated as it was trained: RGB.
        let resumed = try RunPreparation(c, resuming: true)
        #expect(resumed.configuration.data.channels == 3)
        #expect(try TrainingData.load(c).train.channels == 3)
        c.data.channels = 1
        let grey = try RunPreparation(c)
        #expect(grey.configuration.data.channels == 1 && grey.warnings.isEmpty)
    }

    @Test func capsAreLoweredToWhatIsUsedWithAWarning() throws {
        let root = try Self.mixedFolder()
        defer { try? FileManager.default.removeItem(at: root) }
        var c = RunConfiguration()
        c.core.dataset = .pngFolder(root.path)
        c.core.model = .mlp
        c.data.channels = 3
        c.data.validationSize = 100
        c.core.batchSize = 1000
        let prepared = try RunPreparation(c)
        // 20 images: a fifth (4) held out, 16 to train on.
        #expect(prepared.configuration.data.validationSize == 4 && prepared.configuration.core.batchSize == 16)
        #expect(prepared.warnings.count == 2)
        #expect(prepared.description == "png:\(root.path) (16 training, 4 validation images)")
    }
}
