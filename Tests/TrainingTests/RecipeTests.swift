import Checkpoints
import Foundation
import Layers
import Objectives
import Optimizers
import Settings
import Tensors
import Testing

@testable import Runs
@testable import Training

/// The JEM++ and SADA-JEM settings on tiny data: each does what its paper says, and a run
/// using them all resumes to the numbers of an uninterrupted one.
@Suite struct RecipeTests {
    static func model(_ c: RunConfiguration) -> AnyLayer {
        var generator = SeededGenerator(seed: 5)
        return c.modelSpecification.make(channels: 1, height: 4, width: 4, classes: 3, using: &generator)
    }

    /// The cross-entropy step with `--sam sam` hands on the gradient at w + ρg/‖g‖, computed here
    /// by hand, and reports the loss at w.
    @Test func samTakesTheGradientAtTheAscendedWeights() throws {
        var c = TrainingTests.configuration()
        c.details.sam = .sam
        c.details.samRho = 0.05
        let data = TrainingTests.tinyData()
        let model = Self.model(c)
        let (images, labels) = data.train.batch(Array(0..<16))
        let objective = CrossEntropyObjective(examples: ClassifierExamples(data, configuration: c))
        let result = try objective.step(
            model, batch: TrainingBatch(inputs: images, labels: labels), state: ForwardState(isTraining: true), step: 0)
        func loss(_ m: AnyLayer) -> Tensor { crossEntropy(logits: m(images, context: .inference()), labels: labels) }
        let (plainLoss, plain) = valueWithGradient(at: model, of: loss)
        let ascended = model.replacingTensors(
            with: SharpnessAwareAscent(radius: 0.05, adaptive: false).perturbed(model.tensors, gradients: plain.tensors)
        )
        let (ascendedLoss, expected) = valueWithGradient(at: ascended, of: loss)
        #expect(result.loss.scalar == plainLoss.scalar)
        let got = result.gradient.tensors.flatMap(\.scalars)
        #expect(zip(got, expected.tensors.flatMap(\.scalars)).allSatisfy { abs($0 - $1) <= 1e-6 * max(1, abs($1)) })
        #expect(got != plain.tensors.flatMap(\.scalars))
        let rise = try #require(result.metrics.first { $0.0 == "train/sam_loss_rise" }?.1)
        #expect(abs(rise - Double(ascendedLoss.scalar - plainLoss.scalar)) < 1e-6 && rise > 0)
    }

    /// `--px-warmup 10`: the p(x) weight is 0 at step 0 (no chains run), half at step 5, whole from step 10.
    @Test func thePxWeightWarmsUpLinearly() throws {
        var c = JEMTrainingTests.configuration()
        c.jem.energySquaredWeight = 0
        c.jem.marginalWarmupSteps = 10
        #expect([0, 5, 9, 10, 500].map { c.jem.marginalShare(atStep: $0) } == [0, 0.5, 0.9, 1, 1])
        let data = TrainingTests.tinyData()
        var objective = try JEMObjective(ClassifierExamples(data, configuration: c))
        let (images, labels) = data.train.batch(Array(0..<16))
        let batch = TrainingBatch(inputs: images, labels: labels)
        let first = try objective.step(Self.model(c), batch: batch, state: ForwardState(isTraining: true), step: 0)
        #expect(first.energyGap == nil)
        #expect(first.metrics.contains { $0.0 == "jem/px_weight" && $0.1 == 0 })
        let half = try objective.step(Self.model(c), batch: batch, state: ForwardState(isTraining: true), step: 5)
        #expect(half.energyGap != nil && half.metrics.contains { $0.0 == "jem/px_weight" && $0.1 == 0.5 })
        let after = try objective.step(Self.model(c), batch: batch, state: ForwardState(isTraining: true), step: 10)
        #expect(after.energyGap != nil && !after.metrics.contains { $0.0 == "jem/px_weight" })
    }

    /// `--no-px-augmentation`: cross-entropy sees the augmented images, p(x) the same images clean.
    @Test func withoutPxAugmentationTheLikelihoodSeesCleanImages() throws {
        var c = JEMTrainingTests.configuration()
        c.data.noise = 0.1
        c.data.flip = true
        c.jem.marginalAugmentation = false
        let data = TrainingTests.tinyData()
        let objective = try JEMObjective(ClassifierExamples(data, configuration: c))
        var progress = TrainingProgress(runID: "t", trainingCount: data.train.count, batchSize: 16, seed: 1)
        let indices = Array(0..<16)
        let batch = objective.batch(indices, progress: &progress)
        let clean = data.train.batch(indices).images
        #expect(batch.unlabeled?.scalars == clean.scalars)
        #expect(batch.inputs.shape == clean.shape && batch.inputs.scalars != clean.scalars)
        // The default feeds p(x) the augmented batch itself.
        c.jem.marginalAugmentation = true
        let plain = try JEMObjective(ClassifierExamples(data, configuration: c)).batch(indices, progress: &progress)
        #expect(plain.unlabeled == nil)
    }

    /// `--px-batch-size 4`: four chains move per step (the buffer changes in at most four rows)
    /// while cross-entropy still takes the whole batch of 16.
    @Test func aSmallerPxBatchRunsFewerChains() throws {
        let data = TrainingTests.tinyData()
        let (images, labels) = data.train.batch(Array(0..<16))
        let batch = TrainingBatch(inputs: images, labels: labels)
        for (size, most) in [(4, 4), (nil, 16)] as [(Int?, Int)] {
            var c = JEMTrainingTests.configuration()
            c.jem.marginalBatchSize = size
            c.jem.reinitializationRate = 0
            var objective = try JEMObjective(ClassifierExamples(data, configuration: c))
            let before = objective.chains.buffer.samples.scalars
            let result = try objective.step(
                Self.model(c), batch: batch, state: ForwardState(isTraining: true), step: 0)
            let after = objective.chains.buffer.samples.scalars
            let changed = (0..<30).filter { r in before[(r * 16)..<(r * 16 + 16)] != after[(r * 16)..<(r * 16 + 16)] }
            #expect(!changed.isEmpty && changed.count <= most, "\(String(describing: size)): \(changed.count) rows")
            #expect(result.correct != nil && result.energyGap != nil)
        }
        var bad = JEMTrainingTests.configuration()
        bad.jem.marginalBatchSize = 0
        #expect(throws: ConfigurationError.invalid(key: "px-batch-size", problem: "must be at least 1")) {
            try bad.validated()
        }
    }

    /// Cross-entropy with `--labels-per-class` trains on the labelled images alone.
    @Test func crossEntropyWithFewLabelsTrainsOnThemAlone() throws {
        var c = TrainingTests.configuration()
        c.data.noise = 0
        c.jem.labelsPerClass = 2
        let data = TrainingTests.tinyData()
        let objective = CrossEntropyObjective(examples: ClassifierExamples(data, configuration: c))
        var progress = TrainingProgress(runID: "t", trainingCount: data.train.count, batchSize: 16, seed: 1)
        try objective.prepare(&progress)
        #expect(progress.labeledSampler != nil)
        let chosen = try TrainingData.labeledIndices(data.train, perClass: 2, classes: 3, seed: c.core.seed &+ 3)
        let labelled = Set(chosen.map { data.train.batch([$0]).images.scalars })
        for _ in 0..<5 {
            let batch = objective.batch(progress.sampler.nextBatch(), progress: &progress)
            let rows = batch.inputs.shape[0]
            #expect(batch.unlabeled == nil && rows <= 16)
            for r in 0..<rows { #expect(labelled.contains(Array(batch.inputs.scalars[(r * 16)..<(r * 16 + 16)]))) }
        }
        var tooMany = c
        tooMany.jem.labelsPerClass = 0
        #expect(throws: ConfigurationError.self) { try tooMany.validated() }
    }

    /// SAM, ASAM, proximal SGLD with clamping, the warm-up and clean p(x) images together: the
    /// run still learns, and a resumed run ends where an uninterrupted one does.
    @Test(arguments: [SharpnessAwareness.sam, .asam])
    func aRunWithEveryRecipeSettingResumesExactly(sam: SharpnessAwareness) throws {
        var c = JEMTrainingTests.configuration()
        c.details.sam = sam
        c.jem.sgldRadius = 0.05
        c.jem.sgldClamp = true
        c.jem.marginalWarmupSteps = 8
        c.jem.marginalAugmentation = false
        let data = TrainingTests.tinyData()
        let directory = TrainingTests.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let trainer = Trainer(configuration: c, data: data, checkpointDirectory: directory)
        let whole = try trainer.run(runID: "whole")
        _ = try trainer.run(runID: "parts", stopAfterSteps: 15)
        let saved = try TrainingCheckpoint.read(from: directory.appendingPathComponent("parts/last.safetensors"))
        #expect(saved.configuration.details.sam == sam && saved.configuration.jem.sgldRadius == 0.05)
        let resumed = try trainer.run(runID: "parts", resume: saved)
        #expect(resumed.steps == whole.steps && resumed.testAccuracy == whole.testAccuracy)
        let a = try TrainingCheckpoint.read(from: directory.appendingPathComponent("whole/last.safetensors"))
        let b = try TrainingCheckpoint.read(from: directory.appendingPathComponent("parts/last.safetensors"))
        #expect(a.modelTensors.map(\.tensor.scalars) == b.modelTensors.map(\.tensor.scalars), "resumed weights differ")
        let buffer = try #require(a.extraState["replay_buffer"])
        #expect(buffer.scalars.allSatisfy { (-1...1).contains($0) }, "clamped chains left −1…1")
    }

    @Test func recipeSettingsAreValidated() throws {
        var c = JEMTrainingTests.configuration()
        c.jem.sgldRadius = 0
        #expect(throws: ConfigurationError.invalid(key: "sgld-radius", problem: "must be a positive number")) {
            try c.validated()
        }
        c = JEMTrainingTests.configuration()
        c.jem.marginalWarmupSteps = -1
        #expect(throws: ConfigurationError.self) { try c.validated() }
        c = JEMTrainingTests.configuration()
        c.details.samRho = -0.1
        #expect(throws: ConfigurationError.invalid(key: "sam-rho", problem: "must be a positive number")) {
            try c.validated()
        }
        c = TrainingTests.configuration()
        c.core.objective = .dsm
        c.core.model = .energyMLP()
        c.details.sam = .sam
        #expect(throws: ConfigurationError.self) { try c.validated() }
    }

    /// A setting the objective does not read is named in a warning, not dropped silently.
    @Test func settingsTheObjectiveIgnoresAreWarnedAbout() {
        var c = TrainingTests.configuration()
        c.jem.sgldSteps = 3
        c.jem.sgldRadius = 0.1
        c.jem.labelsPerClass = 10
        #expect(
            c.ignoredSettingWarnings == [
                "--sgld-radius does not apply to --objective ce: ignored",
                "--sgld-steps does not apply to --objective ce: ignored",
            ])
        c.core.objective = .jem
        #expect(c.ignoredSettingWarnings.isEmpty)
    }
}
