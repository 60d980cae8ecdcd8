import Datasets
import Foundation
import Layers
import Objectives
import Optimizers
import Runs
import Settings
import Tensors

/// What a finished (or stopped) run reports.
public struct TrainingSummary: Codable, Sendable {
    public var runID: String
    public var steps: Int
    public var epochs: Double
    public var seconds: Double
    public var secondsPerEpoch: Double?
    public var bestValidationAccuracy: Double?
    public var finalValidationAccuracy: Double?
    /// Test accuracy of the best-on-validation model (the final model without validation).
    public var testAccuracy: Double?
    public var finalTestAccuracy: Double?
    public var lastCheckpoint: String?
    public var bestCheckpoint: String?
    /// Seconds spent writing to the run store (its share of `seconds` is the logging cost).
    public var runStoreSeconds: Double?
    /// Times the divergence guard rolled the run back.
    public var recoveries = 0
    /// Score matching: the objective on the validation set (best = lowest) and on the test
    /// set (best-on-validation model); nil for classifiers.
    public var bestValidationLoss: Double?
    public var finalValidationLoss: Double?
    public var testLoss: Double?

    enum CodingKeys: String, CodingKey {
        case runID = "run_id", steps, epochs, seconds
        case secondsPerEpoch = "seconds_per_epoch"
        case bestValidationAccuracy = "best_validation_accuracy"
        case finalValidationAccuracy = "final_validation_accuracy"
        case testAccuracy = "test_accuracy"
        case finalTestAccuracy = "final_test_accuracy"
        case lastCheckpoint = "last_checkpoint"
        case bestCheckpoint = "best_checkpoint"
        case runStoreSeconds = "run_store_seconds"
        case recoveries = "divergence_recoveries"
        case bestValidationLoss = "best_validation_loss", finalValidationLoss = "final_validation_loss", testLoss = "test_loss"
    }

    /// Every key is always present (`null` when not measured), so scripts can rely on them.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(runID, forKey: .runID)
        try c.encode(steps, forKey: .steps)
        try c.encode(epochs, forKey: .epochs)
        try c.encode(seconds, forKey: .seconds)
        try c.encode(secondsPerEpoch, forKey: .secondsPerEpoch)
        try c.encode(bestValidationAccuracy, forKey: .bestValidationAccuracy)
        try c.encode(finalValidationAccuracy, forKey: .finalValidationAccuracy)
        try c.encode(testAccuracy, forKey: .testAccuracy)
        try c.encode(finalTestAccuracy, forKey: .finalTestAccuracy)
        try c.encode(lastCheckpoint, forKey: .lastCheckpoint)
        try c.encode(bestCheckpoint, forKey: .bestCheckpoint)
        try c.encode(runStoreSeconds, forKey: .runStoreSeconds)
        try c.encode(recoveries, forKey: .recoveries)
        try c.encode(bestValidationLoss, forKey: .bestValidationLoss)
        try c.encode(finalValidationLoss, forKey: .finalValidationLoss)
        try c.encode(testLoss, forKey: .testLoss)
    }
}

/// Trains a classifier with cross-entropy: seeded batches from a `BatchSampler` whose
/// state travels in the checkpoint (so a resumed run takes exactly the batches an
/// uninterrupted one would), optional augmentation, validation each epoch, last and best
/// checkpoints, test at the end.
public struct ClassifierTrainer {
    public var configuration: RunConfiguration
    public var data: TrainingData
    public var reporter: ProgressReporter?
    /// Where `RUN_ID/last.safetensors` and `best.safetensors` go; nil writes nothing (dry run).
    public var checkpointDirectory: URL?
    /// Where metrics, checkpoints and the outcome are recorded as the run goes; nil records nothing.
    public var recorder: (any RunRecorder)?

    public init(configuration: RunConfiguration, data: TrainingData, checkpointDirectory: URL?,
                reporter: ProgressReporter? = nil) {
        self.configuration = configuration
        self.data = data
        self.checkpointDirectory = checkpointDirectory
        self.reporter = reporter
    }

    public var stepsPerEpoch: Int { (data.train.count + configuration.core.batchSize - 1) / configuration.core.batchSize }
    public var totalSteps: Int { configuration.core.steps ?? configuration.core.epochs * stepsPerEpoch }

    /// Runs from the start (`resume` nil) or from a checkpoint until the configured length,
    /// or until `stopAfterSteps` more steps (then a checkpoint is written where it stopped).
    public func run(runID: String, resume: TrainingCheckpoint? = nil, stopAfterSteps: Int? = nil) throws -> TrainingSummary {
        let c = configuration
        var initGenerator = SeededGenerator(seed: c.core.seed)
        let classes = max(data.train.classNames.count, (data.train.labels.max() ?? 0) + 1)
        do {
            try c.modelSpecification.checkSize(channels: data.train.channels, height: data.train.height, width: data.train.width,
                                               classes: classes)
        } catch { throw ConfigurationError.invalid(key: "model", problem: error.description) }
        var model = c.modelSpecification.make(channels: data.train.channels, height: data.train.height,
                                              width: data.train.width, classes: classes, using: &initGenerator)
        var optimizer = c.makeOptimizer()
        var progress = TrainingProgress(runID: runID, trainingCount: data.train.count, batchSize: c.core.batchSize, seed: c.core.seed &+ 1)
        progress.inputShape = [data.train.channels, data.train.height, data.train.width]
        progress.classes = classes
        var jem: JEMTraining?
        var learned: LearnedSamplerRun?
        let imageShape = [data.train.channels, data.train.height, data.train.width]
        if c.core.objective == .jem || c.core.objective.isLearnedSampler {
            try c.jem.validate(classes: classes)
            if c.core.objective.isLearnedSampler {
                learned = try LearnedSamplerRun(configuration: c, sampleShape: imageShape)
            } else {
                var bufferGenerator = SeededGenerator(seed: c.core.seed &+ 2)
                jem = JEMTraining(settings: c.jem, train: data.train, classes: classes, generator: &bufferGenerator)
            }
            if let perClass = c.jem.labelsPerClass {
                let labeled = try TrainingData.labeledIndices(data.train, perClass: perClass, classes: classes, seed: c.core.seed &+ 3)
                progress.labeledSampler = BatchSampler(indices: labeled, batchSize: c.core.batchSize, seed: c.core.seed &+ 4)
            }
        }
        if let resume {
            model = try model.loading(resume.modelStateDict)
            try optimizer.restore(resume.optimizerState)
            progress = resume.progress
            progress.inputShape = [data.train.channels, data.train.height, data.train.width]
            progress.classes = classes
            if c.core.objective == .jem {
                guard let samples = resume.extraState[JEMTraining.bufferKey] else {
                    throw TrainingError.badCheckpoint(path: "checkpoint of \(runID)", problem: "no state.\(JEMTraining.bufferKey) for a JEM run")
                }
                jem = try JEMTraining(settings: c.jem, restoring: samples, train: data.train, classes: classes,
                                      path: "checkpoint of \(runID)")
            }
            if c.core.objective.isLearnedSampler {
                learned = try LearnedSamplerRun(configuration: c, sampleShape: imageShape, restoring: resume.extraState,
                                                path: "checkpoint of \(runID)")
            }
        }
        let schedule = c.makeSchedule(totalSteps: totalSteps, stepsPerEpoch: stepsPerEpoch)
        let guardSettings = c.divergenceGuard
        var remedies = progress.guardState ?? DivergenceGuardState()
        jem?.apply(remedies)
        // The guard rolls back to `goodState`. A snapshot starts as pending and becomes good
        // only once the step after it passes the guard, so a state made by a bad update is
        // never restored. Snapshots follow checkpoints and every `snapshotEvery` steps.
        var goodState = (model: model, optimizer: optimizer, jem: jem, learned: learned, progress: progress)
        var pendingState: (model: AnyLayer, optimizer: any Optimizer, jem: JEMTraining?, learned: LearnedSamplerRun?,
                           progress: TrainingProgress)?
        // Objective-specific state for checkpoints: the replay buffer, or the learned sampler.
        func extraState() -> [String: Tensor] { jem?.extraState ?? learned?.extraState ?? [:] }
        let startStep = progress.step
        CheckpointSaving.removeAbandonedTemporaries(beside: [checkpointURL(progress.runID, "last"), checkpointURL(progress.runID, "best")])
        let stopStep = min(totalSteps, stopAfterSteps.map { startStep + $0 } ?? totalSteps)
        var runningLoss = 0.0, runningCorrect = 0, runningCount = 0
        var lastValidation: ClassifierScore?
        let clock = Date()
        let secondsAtStart = progress.seconds

        while progress.step < stopStep {
            if let signal = StopSignals.pending {
                progress.seconds = secondsAtStart + Date().timeIntervalSince(clock)
                try saveCheckpoint(model, optimizer, progress, best: false, extraState: extraState())
                throw TrainingError.stopped(signal: StopSignals.name(of: signal), step: progress.step)
            }
            let epoch = progress.epoch
            var (images, labels) = data.train.batch(progress.sampler.nextBatch())
            images = augment(images, using: &progress.generator)
            // Semi-supervised: the batch above feeds p(x); a labelled batch feeds the rest.
            var unlabeled: Tensor?
            if var labeledSampler = progress.labeledSampler {
                unlabeled = images
                (images, labels) = data.train.batch(labeledSampler.nextBatch())
                images = augment(images, using: &progress.generator)
                progress.labeledSampler = labeledSampler
            }
            let state = ForwardState(isTraining: true, generator: progress.generator)
            let loss: Tensor, gradient: AnyLayer, batchCorrect: Int
            var energyGap: Float?
            var stepMetrics: [(String, Double)] = []
            // Taken out while it steps so its buffer stays uniquely held and is updated in place.
            if var jemState = jem.take() {
                // SGLD draws from the same stream as augmentation, so a resumed run repeats it.
                var generator = state.generator
                let result = jemState.step(model, images: images, labels: labels, unlabeled: unlabeled, state: state,
                                           generator: &generator)
                state.generator = generator
                jem = jemState
                (loss, gradient, energyGap) = (result.loss, result.gradient, result.energyGap)
                batchCorrect = Int((result.terms.accuracy * Float(labels.count)).rounded())
                stepMetrics = result.metrics
                if progress.step % 100 == 0 { stepMetrics += jemState.bufferMetrics }
            } else if let learned {
                var generator = state.generator
                let started = DispatchTime.now().uptimeNanoseconds
                let negatives = learned.sampler.negatives(count: LearnedSamplerRun.sampleCount(labels.count), using: &generator)
                state.generator = generator
                var weights = c.jemWeights
                weights.energySquared += remedies.addedEnergyL2
                let penalty = learned.sampler.settings.gradientPenalty
                var terms: JEMTerms?
                let sampled = DispatchTime.now().uptimeNanoseconds
                (loss, gradient) = valueWithGradient(at: model) { m -> Tensor in
                    let result = LearnedSamplerLoss.jemEnergyLoss(m, data: images, labels: labels, unlabeled: unlabeled, negatives: negatives,
                                                                 weights: weights, gradientPenalty: penalty,
                                                                 context: ForwardContext(state: state))
                    terms = result.terms
                    return result.loss
                }
                let t = terms ?? JEMTerms(loss: loss.scalar, crossEntropy: .nan, accuracy: .nan, dataEnergy: .nan, sampleEnergy: .nan)
                energyGap = t.energyGap
                batchCorrect = Int((t.accuracy * Float(labels.count)).rounded())
                stepMetrics = [
                    ("train/cross_entropy", Double(t.crossEntropy)), ("jem/data_energy", Double(t.dataEnergy)),
                    ("jem/sample_energy", Double(t.sampleEnergy)), ("jem/energy_gap", Double(t.energyGap)),
                    ("time/sampling_seconds", Double(sampled - started) / 1e9),
                    ("time/update_seconds", Double(DispatchTime.now().uptimeNanoseconds - sampled) / 1e9),
                ]
            } else {
                var logits = Tensor(0)
                (loss, gradient) = valueWithGradient(at: model) { m -> Tensor in
                    logits = m(images, context: ForwardContext(state: state))
                    return crossEntropy(logits: logits, labels: labels)
                }
                batchCorrect = zip(ClassifierEvaluation.predictions(logits), labels).filter { $0 == $1 }.count
            }
            progress.generator = state.generator
            if let problem = guardSettings.problem(loss: loss.scalar, energyGap: energyGap) {
                guard remedies.recoveries < guardSettings.maximumRecoveries else {
                    throw TrainingError.unrecoverable(step: progress.step, problem: problem, recoveries: remedies.recoveries)
                }
                // Back to the last good state, with the remedy and a fresh random stream; the
                // best validation result so far stays (its checkpoint is on disk).
                let failedStep = progress.step, best = (progress.bestValidationAccuracy, progress.bestEpoch)
                (model, optimizer, jem, learned, progress) = goodState
                pendingState = nil
                (progress.bestValidationAccuracy, progress.bestEpoch) = best
                remedies = remedies.escalated(guardSettings)
                progress.guardState = remedies
                progress.generator = SeededGenerator(seed: c.core.seed &+ 1 &+ UInt64(failedStep) &* 1_000_003 &+ UInt64(remedies.recoveries))
                jem?.apply(remedies)
                runningLoss = 0; runningCorrect = 0; runningCount = 0
                recorder?.log([("guard/recoveries", Double(remedies.recoveries)), ("guard/lr_scale", Double(remedies.learningRateScale)),
                               ("guard/rolled_back_to_step", Double(progress.step))], step: failedStep)
                reporter?.note("step \(failedStep): diverged (\(problem)); recovery \(remedies.recoveries) of \(guardSettings.maximumRecoveries): "
                               + "back to step \(progress.step), learning rate × \(remedies.learningRateScale)")
                continue
            }
            if let verified = pendingState.take() { goodState = verified }
            var gradients = gradient.tensors
            if let clip = c.details.clipNorm { clipGradientNorm(&gradients, maxNorm: clip) }
            var parameters = model.tensors
            let rate = schedule.rate(at: progress.step) * remedies.learningRateScale
            optimizer.update(&parameters, gradients: gradients, learningRate: rate)
            model = model.replacingTensors(with: parameters).applyingBufferUpdates(from: state)
            // The generator's step, against the energy just updated (held constant), in training
            // mode as the energy's step saw it (dropout and batch norm from a state of its own,
            // seeded by the step, so the run's stream is not drawn from).
            if var sampler = learned.take() {
                var generator = progress.generator
                let energyState = ForwardState(isTraining: true, generator: SeededGenerator(seed: c.core.seed &+ UInt64(progress.step) &* 0x9E37_79B9))
                let energy = JointEnergyModel(model.detached, context: ForwardContext(state: energyState)).energyFunction
                stepMetrics += sampler.generatorStep(energy: energy, count: LearnedSamplerRun.sampleCount(labels.count),
                                                     rateScale: rate / c.core.learningRate, using: &generator)
                progress.generator = generator
                learned = sampler
            }

            progress.step += 1
            if progress.step % guardSettings.snapshotEvery == 0 { pendingState = (model, optimizer, jem, learned, progress) }
            runningLoss += Double(loss.scalar) * Double(labels.count)
            runningCorrect += batchCorrect
            runningCount += labels.count
            recorder?.log([("train/loss", Double(loss.scalar)), ("train/accuracy", Double(batchCorrect) / Double(labels.count)),
                               ("lr", Double(rate))] + stepMetrics + ResidentMemory.metrics(atStep: progress.step), step: progress.step)
            reporter?.update(step: progress.step, startedAt: startStep, epoch: epoch,
                             loss: runningLoss / Double(runningCount), accuracy: Double(runningCorrect) / Double(runningCount),
                             learningRate: rate)

            let epochDone = progress.epoch != epoch
            if epochDone || progress.step == totalSteps {
                lastValidation = validate(model)
                let trainText = String(format: "train loss %.4f acc %.4f", runningLoss / Double(runningCount),
                                       Double(runningCorrect) / Double(runningCount))
                var isBest = false
                if let v = lastValidation, v.accuracy > (progress.bestValidationAccuracy ?? -1) {
                    progress.bestValidationAccuracy = v.accuracy
                    progress.bestEpoch = epoch
                    isBest = true
                }
                var epochMetrics: [(String, Double)] = [
                    ("epoch", Double(progress.step) / Double(stepsPerEpoch)),
                    ("train/epoch_loss", runningLoss / Double(runningCount)),
                    ("train/epoch_accuracy", Double(runningCorrect) / Double(runningCount)),
                ]
                epochMetrics.append(("time/seconds", secondsAtStart + Date().timeIntervalSince(clock)))
                if let v = lastValidation { epochMetrics += [("validation/loss", v.loss), ("validation/accuracy", v.accuracy)] }
                recorder?.log(epochMetrics, step: progress.step)
                if epochDone { runningLoss = 0; runningCorrect = 0; runningCount = 0 }
                if let snapshot = jem?.bufferSnapshot ?? learned?.snapshot(step: progress.step),
                   let folder = checkpointURL(progress.runID, "last")?.deletingLastPathComponent() {
                    let grid = folder.appendingPathComponent("samples/step-\(progress.step).png")
                    try SampleGrid.write(snapshot, columns: 8, to: grid)
                    recorder?.recordFile(grid, kind: "image-samples", final: true)
                }
                progress.seconds = secondsAtStart + Date().timeIntervalSince(clock)
                try saveCheckpoint(model, optimizer, progress, best: isBest, extraState: extraState())
                pendingState = (model, optimizer, jem, learned, progress)
                reporter?.note("epoch \(epoch + 1) step \(progress.step): \(trainText)"
                               + (lastValidation.map { String(format: "  validation loss %.4f acc %.4f", $0.loss, $0.accuracy) } ?? "")
                               + (isBest ? "  (best)" : ""))
            } else if let every = c.output.checkpointEvery, progress.step % every == 0 {
                progress.seconds = secondsAtStart + Date().timeIntervalSince(clock)
                try saveCheckpoint(model, optimizer, progress, best: false, extraState: extraState())
                // The guard's next good state is this checkpoint, as after an epoch's: a run
                // resumed from it then rolls back where the uninterrupted run would.
                pendingState = (model, optimizer, jem, learned, progress)
            }
        }
        progress.seconds = secondsAtStart + Date().timeIntervalSince(clock)
        if progress.sampler.position > 0 || progress.step < totalSteps {
            try saveCheckpoint(model, optimizer, progress, best: false, extraState: extraState())
        }
        return try summarize(model: model, progress: progress, lastValidation: lastValidation)
    }

    func augment(_ images: Tensor, using generator: inout SeededGenerator) -> Tensor {
        var x = images
        let c = configuration
        if c.data.cropPadding > 0 { x = Augmentation.randomCrop(x, padding: c.data.cropPadding, using: &generator) }
        if c.data.flip { x = Augmentation.randomHorizontalFlip(x, using: &generator) }
        if c.data.noise > 0 { x = Augmentation.addingGaussianNoise(x, standardDeviation: c.data.noise, using: &generator) }
        return x
    }

    func validate(_ model: AnyLayer) -> ClassifierScore? {
        data.validation.map { ClassifierEvaluation.score(model, on: $0, batchSize: configuration.details.evaluationBatchSize) }
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

    func summarize(model: AnyLayer, progress: TrainingProgress, lastValidation: ClassifierScore?) throws -> TrainingSummary {
        var summary = TrainingSummary(runID: progress.runID, steps: progress.step,
                                      epochs: Double(progress.step) / Double(stepsPerEpoch), seconds: progress.seconds)
        summary.secondsPerEpoch = progress.step > 0 ? progress.seconds / summary.epochs : nil
        summary.bestValidationAccuracy = progress.bestValidationAccuracy
        summary.finalValidationAccuracy = lastValidation?.accuracy
        summary.lastCheckpoint = checkpointURL(progress.runID, "last").map(\.path)
        summary.runStoreSeconds = recorder?.secondsRecording
        summary.recoveries = progress.guardState?.recoveries ?? 0
        if let test = data.test, progress.step == totalSteps {
            let batch = configuration.details.evaluationBatchSize
            summary.finalTestAccuracy = ClassifierEvaluation.score(model, on: test, batchSize: batch).accuracy
            summary.testAccuracy = summary.finalTestAccuracy
            if let bestURL = checkpointURL(progress.runID, "best"), FileManager.default.fileExists(atPath: bestURL.path) {
                let best = try model.loading(TrainingCheckpoint.read(from: bestURL).modelStateDict)
                summary.testAccuracy = ClassifierEvaluation.score(best, on: test, batchSize: batch).accuracy
                summary.bestCheckpoint = bestURL.path
            }
            recorder?.log([("test/accuracy", summary.testAccuracy ?? .nan), ("test/final_accuracy", summary.finalTestAccuracy ?? .nan)],
                              step: progress.step)
            reporter?.note(String(format: "test accuracy %.4f (best-on-validation model), %.4f (final model)",
                                  summary.testAccuracy ?? 0, summary.finalTestAccuracy ?? 0))
        }
        return summary
    }
}
