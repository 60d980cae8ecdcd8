import Datasets
import Foundation
import Layers
import Objectives
import Optimizers
import Sampling
import Runs
import Settings
import Tensors

/// Trains an energy E(x) (a single-output network) by score matching
/// (`--objective esm|ssm|ssm-vr|dsm|mdsm`) or against a learned sampler
/// (`--objective vera|meg|kim-bengio`: one energy step on data and generator samples, then
/// one generator step) on images or a 2-D toy density: seeded batches whose sampler travels
/// in the checkpoint (exact resume, the generator's state included), a validation measure
/// each epoch (best = lowest: the score-matching objective, or for a learned sampler the MMD²
/// of its samples against validation data), samples each epoch (a PNG grid for images; for
/// points a density heatmap and a scatter over the data), last and best checkpoints.
public struct EnergyTrainer {
    public var configuration: RunConfiguration
    public var data: EnergyData
    public var reporter: ProgressReporter?
    /// Where `RUN_ID/last.safetensors` and `best.safetensors` go; nil writes nothing (dry run).
    public var checkpointDirectory: URL?
    public var recorder: (any RunRecorder)?

    public init(configuration: RunConfiguration, data: EnergyData, checkpointDirectory: URL?) {
        self.configuration = configuration
        self.data = data
        self.checkpointDirectory = checkpointDirectory
    }

    public var stepsPerEpoch: Int { (data.trainingCount + configuration.core.batchSize - 1) / configuration.core.batchSize }
    public var totalSteps: Int { configuration.core.steps ?? configuration.core.epochs * stepsPerEpoch }

    /// E(x): the network's single output per sample.
    static func energy(_ model: AnyLayer) -> EnergyFunction { ScalarEnergy.of(model) }

    public func run(runID: String, resume: TrainingCheckpoint? = nil, stopAfterSteps: Int? = nil) throws -> TrainingSummary {
        let c = configuration, settings = c.scoreMatching
        let shape = data.inputShape
        if case .points = data, case .energyMLP = c.modelSpecification.architecture {} else if case .points = data {
            throw ConfigurationError.invalid(key: "model", problem: "toy densities are 2-D points: use energy-mlp (or energy-mlp-W)")
        }
        var initGenerator = SeededGenerator(seed: c.core.seed)
        do { try c.modelSpecification.checkSize(channels: shape[0], height: shape[1], width: shape[2], classes: 1) } catch {
            throw ConfigurationError.invalid(key: "model", problem: error.description)
        }
        var model = c.modelSpecification.make(channels: shape[0], height: shape[1], width: shape[2], classes: 1, using: &initGenerator)
        var optimizer = c.makeOptimizer()
        var progress = TrainingProgress(runID: runID, trainingCount: data.trainingCount, batchSize: c.core.batchSize, seed: c.core.seed &+ 1)
        var learned = c.core.objective.isLearnedSampler ? try LearnedSamplerRun(configuration: c, sampleShape: data.sampleShape) : nil
        if let resume {
            model = try model.loading(resume.modelStateDict)
            try optimizer.restore(resume.optimizerState)
            progress = resume.progress
            if c.core.objective.isLearnedSampler {
                learned = try LearnedSamplerRun(configuration: c, sampleShape: data.sampleShape, restoring: resume.extraState,
                                                path: "checkpoint of \(runID)")
            }
        }
        progress.inputShape = shape
        progress.classes = 1
        let schedule = c.makeSchedule(totalSteps: totalSteps, stepsPerEpoch: stepsPerEpoch)
        let startStep = progress.step
        CheckpointSaving.removeAbandonedTemporaries(beside: [checkpointURL(progress.runID, "last"), checkpointURL(progress.runID, "best")])
        let stopStep = min(totalSteps, stopAfterSteps.map { startStep + $0 } ?? totalSteps)
        var runningLoss = 0.0, runningCount = 0
        var lastValidation: Double?
        let clock = Date(), secondsAtStart = progress.seconds

        while progress.step < stopStep {
            if let signal = StopSignals.pending {
                progress.seconds = secondsAtStart + Date().timeIntervalSince(clock)
                try saveCheckpoint(model, optimizer, progress, best: false, extraState: learned?.extraState ?? [:])
                throw TrainingError.stopped(signal: StopSignals.name(of: signal), step: progress.step)
            }
            let epoch = progress.epoch
            var x = data.trainingBatch(progress.sampler.nextBatch())
            if c.data.noise > 0 { x = Augmentation.addingGaussianNoise(x, standardDeviation: c.data.noise, using: &progress.generator) }
            var generator = progress.generator
            var stepMetrics: [(String, Double)] = []
            let loss: Tensor, gradient: AnyLayer
            if let learned {
                let negatives = learned.sampler.negatives(count: LearnedSamplerRun.sampleCount(x.shape[0]), using: &generator)
                let s = learned.sampler.settings, energySquared = c.jem.energySquaredWeight
                var energies: (data: Float, samples: Float) = (0, 0)
                (loss, gradient) = valueWithGradient(at: model) { m in
                    let terms = LearnedSamplerLoss.energyTerms(energy: Self.energy(m), data: x, samples: negatives,
                                                               gradientPenalty: s.gradientPenalty, energySquared: energySquared)
                    energies = (terms.dataEnergy, terms.sampleEnergy)
                    return terms.loss
                }
                stepMetrics = [("sampler/data_energy", Double(energies.data)), ("sampler/sample_energy", Double(energies.samples))]
            } else {
                (loss, gradient) = try valueWithGradient(at: model) { m in
                    try settings.loss(c.core.objective, energy: Self.energy(m), data: x, using: &generator)
                }
            }
            guard loss.scalar.isFinite else {
                throw TrainingError.unrecoverable(step: progress.step, problem: "the \(c.core.objective) loss is \(loss.scalar)", recoveries: 0)
            }
            var gradients = gradient.tensors
            if let clip = c.details.clipNorm { clipGradientNorm(&gradients, maxNorm: clip) }
            var parameters = model.tensors
            let rate = schedule.rate(at: progress.step)
            optimizer.update(&parameters, gradients: gradients, learningRate: rate)
            model = model.replacingTensors(with: parameters)
            if var sampler = learned.take() {
                stepMetrics += sampler.generatorStep(energy: Self.energy(model.detached), count: LearnedSamplerRun.sampleCount(x.shape[0]),
                                                     rateScale: rate / c.core.learningRate, using: &generator)
                learned = sampler
            }
            progress.generator = generator
            progress.step += 1
            runningLoss += Double(loss.scalar)
            runningCount += 1
            recorder?.log([("train/loss", Double(loss.scalar)), ("lr", Double(rate))] + stepMetrics + ResidentMemory.metrics(atStep: progress.step),
                          step: progress.step)
            reporter?.update(step: progress.step, startedAt: startStep, epoch: epoch, loss: runningLoss / Double(runningCount),
                             accuracy: .nan, learningRate: rate)

            let epochDone = progress.epoch != epoch
            guard epochDone || progress.step == totalSteps else {
                if let every = c.output.checkpointEvery, progress.step % every == 0 {
                    progress.seconds = secondsAtStart + Date().timeIntervalSince(clock)
                    try saveCheckpoint(model, optimizer, progress, best: false, extraState: learned?.extraState ?? [:])
                }
                continue
            }
            lastValidation = try learned.map { try samplerDiscrepancy($0.sampler, against: data.validationPoints(upTo:)) }
                ?? objective(model, on: data.validationBatches(size: c.details.evaluationBatchSize))
            var isBest = false
            if let v = lastValidation, v < (progress.bestValidationLoss ?? .infinity) {
                progress.bestValidationLoss = v
                progress.bestEpoch = epoch
                isBest = true
            }
            var metrics: [(String, Double)] = [("epoch", Double(progress.step) / Double(stepsPerEpoch)),
                                               ("train/epoch_loss", runningLoss / Double(max(runningCount, 1))),
                                               ("time/seconds", secondsAtStart + Date().timeIntervalSince(clock))]
            if let v = lastValidation { metrics.append((learned == nil ? "validation/loss" : "validation/mmd2", v)) }
            recorder?.log(metrics, step: progress.step)
            let trainText = String(format: "train loss %.4f", runningLoss / Double(max(runningCount, 1)))
            if epochDone { runningLoss = 0; runningCount = 0 }
            try drawSamples(model, sampler: learned?.sampler, step: progress.step, runID: progress.runID)
            progress.seconds = secondsAtStart + Date().timeIntervalSince(clock)
            try saveCheckpoint(model, optimizer, progress, best: isBest, extraState: learned?.extraState ?? [:])
            let measure = learned == nil ? "validation loss" : "validation MMD²"
            reporter?.note("epoch \(epoch + 1) step \(progress.step): \(trainText)"
                           + (lastValidation.map { String(format: "  %@ %.4f", measure, $0) } ?? "") + (isBest ? "  (best)" : ""))
        }
        progress.seconds = secondsAtStart + Date().timeIntervalSince(clock)
        if progress.sampler.position > 0 || progress.step < totalSteps {
            try saveCheckpoint(model, optimizer, progress, best: false, extraState: learned?.extraState ?? [:])
        }
        return try summarize(model, progress: progress, lastValidation: lastValidation)
    }

    /// The objective averaged over a set's batches, with noise and projections from a fixed
    /// seed so epochs compare on the same draws.
    func objective(_ model: AnyLayer, on batches: [Tensor]?) throws -> Double? {
        guard let batches, !batches.isEmpty else { return nil }
        var generator = SeededGenerator(seed: TrainingData.holdOutSeed &+ 3)
        var total = 0.0, count = 0
        for x in batches {
            // The loss needs input gradients, but no parameter gradient: its value is all we keep.
            let value = try configuration.scoreMatching.loss(configuration.core.objective, energy: Self.energy(model), data: x,
                                                                     using: &generator)
            total += Double(value.scalar) * Double(x.shape[0])
            count += x.shape[0]
        }
        return total / Double(count)
    }

    /// MMD² of 1,000 generator samples (500 for images) against as many validation points:
    /// bandwidth 0.5 for 2-D points (the toy evaluation's), the median pairwise distance of the
    /// validation points for images. Samples and kernel from fixed seeds, so epochs compare.
    func samplerDiscrepancy(_ sampler: LearnedSampler, against points: (Int) -> Tensor?) throws -> Double? {
        let isPoints = data.sampleShape.count == 1
        guard let reference = points(isPoints ? 1_000 : 500) else { return nil }
        var rng = SeededGenerator(seed: TrainingData.holdOutSeed &+ 4)
        return try SampleDiscrepancy.mmd2(sampler.samples(count: reference.shape[0], using: &rng), reference,
                                          bandwidth: isPoints ? 0.5 : nil)
    }

    /// The epoch's pictures, recorded as artifacts: a grid of 64 samples for images; the
    /// density and 1,000 samples over the data for points. A learned sampler's pictures show
    /// its generator's samples.
    func drawSamples(_ model: AnyLayer, sampler: LearnedSampler?, step: Int, runID: String) throws {
        guard let folder = checkpointURL(runID, "last")?.deletingLastPathComponent() else { return }
        let settings = configuration.scoreMatching
        var generator = SeededGenerator(seed: UInt64(step) &* 7_919)
        switch data {
        case .images:
            let start = Tensor(randomUniform: [64] + data.inputShape, lower: -1, upper: 1, using: &generator)
            let samples = sampler?.samples(count: 64, using: &generator)
                ?? settings.sample(configuration.core.objective, energy: Self.energy(model), from: start, clamp: -1...1, using: &generator)
            let grid = folder.appendingPathComponent("samples/step-\(step).png")
            try SampleGrid.write(samples, columns: 8, to: grid)
            recorder?.recordFile(grid, kind: "image-samples", final: true)
        case .points(_, _, let validation):
            let start = Tensor(randomUniform: [1_000, 2], lower: -ToyPlots.extent, upper: ToyPlots.extent, using: &generator)
            let samples = sampler?.samples(count: 1_000, using: &generator)
                ?? settings.sample(configuration.core.objective, energy: Self.energy(model), from: start, clamp: nil, using: &generator)
            let density = folder.appendingPathComponent("samples/density-step-\(step).png")
            try SampleGrid.writePNG(ToyPlots.densityImage(energy: Self.energy(model)), width: 160, height: 160, channels: 3, to: density)
            let scatter = folder.appendingPathComponent("samples/scatter-step-\(step).png")
            try SampleGrid.writePNG(ToyPlots.scatterImage(samples: samples, data: validation), width: 320, height: 320, channels: 3, to: scatter)
            recorder?.recordFile(density, kind: "image-density", final: true)
            recorder?.recordFile(scatter, kind: "image-samples", final: true)
        }
    }

    func checkpointURL(_ runID: String, _ name: String) -> URL? {
        checkpointDirectory?.appendingPathComponent(runID, isDirectory: true).appendingPathComponent("\(name).safetensors")
    }

    func saveCheckpoint(_ model: AnyLayer, _ optimizer: any Optimizer, _ progress: TrainingProgress, best: Bool,
                        extraState: [String: Tensor]) throws {
        guard let last = checkpointURL(progress.runID, "last") else { return }
        var checkpoint = TrainingCheckpoint(model: model, optimizerState: optimizer.state, configuration: configuration, progress: progress)
        checkpoint.extraState = extraState
        try CheckpointSaving.save(checkpoint, last: last, best: best ? checkpointURL(progress.runID, "best") : nil, recorder: recorder)
    }

    func summarize(_ model: AnyLayer, progress: TrainingProgress, lastValidation: Double?) throws -> TrainingSummary {
        var summary = TrainingSummary(runID: progress.runID, steps: progress.step,
                                      epochs: Double(progress.step) / Double(stepsPerEpoch), seconds: progress.seconds)
        summary.secondsPerEpoch = progress.step > 0 ? progress.seconds / summary.epochs : nil
        summary.bestValidationLoss = progress.bestValidationLoss
        summary.finalValidationLoss = lastValidation
        summary.lastCheckpoint = checkpointURL(progress.runID, "last").map(\.path)
        summary.runStoreSeconds = recorder?.secondsRecording
        if progress.step == totalSteps, let bestURL = checkpointURL(progress.runID, "best"), FileManager.default.fileExists(atPath: bestURL.path) {
            summary.bestCheckpoint = bestURL.path
            if configuration.core.objective.isLearnedSampler {
                let best = try TrainingCheckpoint.read(from: bestURL)
                summary.testLoss = try samplerDiscrepancy(best.learnedSampler(path: bestURL.path), against: data.testPoints(upTo:))
                if let loss = summary.testLoss {
                    recorder?.log([("test/mmd2", loss)], step: progress.step)
                    reporter?.note(String(format: "test MMD² %.4f (best-on-validation generator)", loss))
                }
            } else if let test = data.testBatches(size: configuration.details.evaluationBatchSize) {
                let best = try model.loading(TrainingCheckpoint.read(from: bestURL).modelStateDict)
                summary.testLoss = try objective(best, on: test)
                recorder?.log([("test/loss", summary.testLoss ?? .nan)], step: progress.step)
                reporter?.note(String(format: "test loss %.4f (best-on-validation model)", summary.testLoss ?? .nan))
            }
        }
        return summary
    }
}
