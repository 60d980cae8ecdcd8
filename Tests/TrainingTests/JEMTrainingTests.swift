import Checkpoints
import Foundation
import Settings
import Tensors
import Testing

@testable import Runs
@testable import Training

/// `--objective jem` on tiny data: the buffer travels in the checkpoint and a resumed run
/// ends with exactly the numbers of an uninterrupted one; settings are validated.
@Suite struct JEMTrainingTests {
    static func configuration(classConditional: Bool = false, labelsPerClass: Int? = nil) -> RunConfiguration {
        var c = TrainingTests.configuration()
        c.core.objective = .jem
        var jem = JEMSettings()
        jem.sgldSteps = 3
        jem.bufferSize = 30
        jem.reinitializationRate = 0.2
        jem.classConditional = classConditional
        jem.conditionalWeight = classConditional ? 0.5 : 0
        jem.energySquaredWeight = 0.1
        jem.labelsPerClass = labelsPerClass
        c.jem = jem
        return c
    }

    @Test(arguments: [(false, nil), (true, nil), (false, 5)] as [(Bool, Int?)])
    func resumedRunEqualsUninterruptedRun(classConditional: Bool, labelsPerClass: Int?) throws {
        let data = TrainingTests.tinyData()
        let directory = TrainingTests.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let trainer = Trainer(
            configuration: Self.configuration(classConditional: classConditional, labelsPerClass: labelsPerClass),
            data: data, checkpointDirectory: directory)
        let whole = try trainer.run(runID: "whole")
        _ = try trainer.run(runID: "parts", stopAfterSteps: 15)
        let saved = try TrainingCheckpoint.read(from: directory.appendingPathComponent("parts/last.safetensors"))
        #expect(saved.extraState["replay_buffer"]?.shape == [30, 1, 4, 4])
        let resumed = try trainer.run(runID: "parts", resume: saved)
        #expect(resumed.steps == whole.steps && resumed.testAccuracy == whole.testAccuracy)
        let a = try TrainingCheckpoint.read(from: directory.appendingPathComponent("whole/last.safetensors"))
        let b = try TrainingCheckpoint.read(from: directory.appendingPathComponent("parts/last.safetensors"))
        #expect(a.modelTensors.map(\.tensor.scalars) == b.modelTensors.map(\.tensor.scalars), "resumed weights differ")
        #expect(
            a.extraState["replay_buffer"]?.scalars == b.extraState["replay_buffer"]?.scalars, "resumed buffers differ")
        #expect(a.progress.generator == b.progress.generator && a.progress.labeledSampler == b.progress.labeledSampler)
        #expect((a.progress.labeledSampler != nil) == (labelsPerClass != nil))
    }

    @Test func semiSupervisedTrainingUsesAFixedLabelledSubset() throws {
        let data = TrainingTests.tinyData()
        let chosen = try TrainingData.labeledIndices(data.train, perClass: 4, classes: 3, seed: 9)
        #expect(chosen.count == 12 && Set(chosen).count == 12)
        #expect((0..<3).allSatisfy { c in chosen.filter { data.train.labels[$0] == c }.count == 4 })
        #expect(try TrainingData.labeledIndices(data.train, perClass: 4, classes: 3, seed: 9) == chosen)
        #expect(throws: ConfigurationError.self) {
            try TrainingData.labeledIndices(data.train, perClass: 1_000, classes: 3, seed: 9)
        }
        // A few labels per class still train a classifier on the easy task.
        var c = Self.configuration(labelsPerClass: 5)
        c.core.steps = 120
        let summary = try Trainer(configuration: c, data: data, checkpointDirectory: nil).run(runID: "semi")
        #expect((summary.bestValidationAccuracy ?? 0) > 0.8)
    }

    @Test func theChainsMoveAndTheClassifierStillLearns() throws {
        var c = Self.configuration()
        c.core.steps = 120
        let directory = TrainingTests.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let summary = try Trainer(configuration: c, data: TrainingTests.tinyData(), checkpointDirectory: directory).run(
            runID: "jem")
        #expect((summary.bestValidationAccuracy ?? 0) > 0.9)
        let buffer = try #require(
            try TrainingCheckpoint.read(from: directory.appendingPathComponent("jem/last.safetensors"))
                .extraState["replay_buffer"])
        // Fresh chains are Uniform(−1, 1); SGLD at step size 1 moves them, some beyond the box.
        #expect(buffer.scalars.contains { abs($0) > 1 })
    }

    @Test func settingsAreValidated() throws {
        var c = Self.configuration()
        c.jem.conditionalWeight = 1
        c.jem.classConditional = false
        #expect(throws: ConfigurationError.self) { try c.validated() }
        c = Self.configuration(classConditional: true)
        c.jem.bufferSize = 31
        let trainer = Trainer(configuration: c, data: TrainingTests.tinyData(), checkpointDirectory: nil)
        #expect(throws: ConfigurationError.self) { try trainer.run(runID: "odd") }
        c.core.objective = .esm  // exact score matching needs a smooth energy, not the mlp's LeakyReLU
        #expect(throws: ConfigurationError.self) { try c.validated() }
    }

    /// A learning rate far too large diverges at once; each recovery rolls back and divides
    /// it by 100, so the third attempt trains. With one recovery allowed the run fails.
    @Test func theGuardRollsBackAppliesTheRemedyAndGivesUpAfterItsLimit() throws {
        var c = Self.configuration()
        c.core.optimizer = .sgd
        c.core.learningRate = 1e5
        c.details.clipNorm = nil
        c.core.steps = 40
        var settings = DivergenceGuardSettings()
        settings.learningRateFactor = 0.01
        settings.maximumRecoveries = 4
        settings.snapshotEvery = 5
        settings.addedSGLDSteps = 1
        c.divergenceGuard = settings
        let directory = TrainingTests.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let trainer = Trainer(configuration: c, data: TrainingTests.tinyData(), checkpointDirectory: directory)
        let summary = try trainer.run(runID: "guarded")
        #expect(
            summary.steps == 40 && summary.recoveries >= 1 && summary.recoveries <= 4,
            "\(summary.recoveries) recoveries")
        let saved = try TrainingCheckpoint.read(from: directory.appendingPathComponent("guarded/last.safetensors"))
        #expect(saved.progress.guardState?.recoveries == summary.recoveries)
        #expect(saved.modelTensors.allSatisfy { $0.tensor.scalars.allSatisfy(\.isFinite) })

        c.divergenceGuard.maximumRecoveries = 1
        let failing = Trainer(configuration: c, data: TrainingTests.tinyData(), checkpointDirectory: nil)
        #expect {
            _ = try failing.run(runID: "hopeless")
        } throws: { error in
            "\(error)".contains("diverged") && "\(error)".contains("after 1 recovery")
        }
    }
}
