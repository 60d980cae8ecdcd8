import Foundation
import Layers
import Optimizers
import Runs
import Settings
import Tensors

/// The training loop, for every objective: seeded batches from a `BatchSampler` whose state
/// travels in the checkpoint (so a resumed run takes exactly the batches an uninterrupted one
/// would), the objective's step, gradient clipping and the optimiser's update on the
/// schedule, the divergence guard (roll back to the last good state with a remedy), a
/// validation each epoch, last and best checkpoints, pictures, progress, stop signals and
/// recording, and the test at the end. What a step computes is the objective's
/// (`TrainingObjective`); the loop knows none by name.
public struct Trainer {
    /// The run's settings: objective, model, data, optimiser, schedule, length and outputs.
    public var configuration: RunConfiguration
    /// The prepared data the objective trains on: images for a classifier, or an energy's examples.
    public var data: RunPreparation.Data
    /// Where progress goes while the run trains; nil reports nothing.
    public var reporter: ProgressReporter?
    /// Where `RUN_ID/last.safetensors` and `best.safetensors` go; nil writes nothing (dry run).
    public var checkpointDirectory: URL?
    /// Where metrics, checkpoints and the outcome are recorded as the run goes; nil records nothing.
    public var recorder: (any RunRecorder)?

    /// A trainer of `configuration` on `data` that neither reports nor records until those are set.
    public init(configuration: RunConfiguration, data: RunPreparation.Data, checkpointDirectory: URL?) {
        self.configuration = configuration
        self.data = data
        self.checkpointDirectory = checkpointDirectory
    }

    /// A classifier's run (cross-entropy, JEM, or JEM with a learned sampler).
    public init(configuration: RunConfiguration, data: TrainingData, checkpointDirectory: URL?) {
        self.init(configuration: configuration, data: .classifier(data), checkpointDirectory: checkpointDirectory)
    }

    /// An energy's run (score matching, or a learned sampler's unconditional energy).
    public init(configuration: RunConfiguration, data: EnergyData, checkpointDirectory: URL?) {
        self.init(configuration: configuration, data: .energy(data), checkpointDirectory: checkpointDirectory)
    }

    /// Optimiser steps in one epoch: the training count divided by the batch size, rounded up.
    public var stepsPerEpoch: Int { (trainingCount + configuration.core.batchSize - 1) / configuration.core.batchSize }
    /// The run's length in optimiser steps: the configured `steps`, else `epochs` × `stepsPerEpoch`.
    public var totalSteps: Int { configuration.core.steps ?? configuration.core.epochs * stepsPerEpoch }

    private var trainingCount: Int {
        switch data {
        case .classifier(let images): images.train.count
        case .energy(let energy): energy.trainingCount
        }
    }

    /// Runs from the start (`resume` nil) or from a checkpoint until the configured length,
    /// or until `stopAfterSteps` more steps (then a checkpoint is written where it stopped).
    public func run(runID: String, resume: TrainingCheckpoint? = nil, stopAfterSteps: Int? = nil) throws
        -> TrainingSummary
    {
        try loop(
            TrainingObjectives.make(configuration, data: data), runID: runID, resume: resume,
            stopAfterSteps: stopAfterSteps)
    }

    /// The state the divergence guard rolls back to.
    private struct Snapshot<Objective: TrainingObjective> {
        var model: AnyLayer
        var optimizer: any Optimizer
        var objective: Objective
        var progress: TrainingProgress
    }

    private func loop<Objective: TrainingObjective>(
        _ initial: Objective, runID: String, resume: TrainingCheckpoint?,
        stopAfterSteps: Int?
    ) throws -> TrainingSummary {
        let c = configuration
        var objective = initial
        var initGenerator = SeededGenerator(seed: c.core.seed)
        let shape = objective.inputShape
        let (channels, height, width) = (shape[0], shape[1], shape[2])
        do {
            try c.modelSpecification.checkSize(
                channels: channels, height: height, width: width, classes: objective.outputs)
        } catch {
            throw ConfigurationError.invalid(key: "model", problem: error.description)
        }
        var model = c.modelSpecification.make(
            channels: channels, height: height, width: width, classes: objective.outputs,
            using: &initGenerator)
        var optimizer = c.makeOptimizer()
        var progress = TrainingProgress(
            runID: runID, trainingCount: objective.trainingCount, batchSize: c.core.batchSize,
            seed: c.core.seed &+ 1)
        try objective.prepare(&progress)
        if let resume {
            model = try model.loading(resume.modelStateDict)
            try optimizer.restore(resume.optimizerState)
            try Self.checkOptimizerState(
                resume.optimizerState, parameters: model.tensors, path: "checkpoint of \(runID)")
            progress = resume.progress
            try objective.restore(from: resume, path: "checkpoint of \(runID)")
        }
        progress.inputShape = shape
        progress.classes = objective.outputs
        let schedule = c.makeSchedule(totalSteps: totalSteps, stepsPerEpoch: stepsPerEpoch)
        let guardSettings = c.divergenceGuard
        var remedies = progress.guardState ?? DivergenceGuardState()
        objective.apply(remedies)
        // The guard rolls back to `good`. A snapshot starts as pending and becomes good only
        // once the step after it passes the guard, so a state made by a bad update is never
        // restored. Snapshots follow checkpoints and every `snapshotEvery` steps.
        var good = Snapshot(model: model, optimizer: optimizer, objective: objective, progress: progress)
        var pending: Snapshot<Objective>?
        let startStep = progress.step
        CheckpointSaving.removeAbandonedTemporaries(beside: [
            checkpointURL(runID, "last"), checkpointURL(runID, "best"),
        ])
        let stopStep = min(totalSteps, stopAfterSteps.map { startStep + $0 } ?? totalSteps)
        var running = RunningMeans()
        var lastValidation: Validation?
        let clock = Date()
        let secondsAtStart = progress.seconds
        func save(best: Bool) throws {
            progress.seconds = secondsAtStart + Date().timeIntervalSince(clock)
            try saveCheckpoint(model, optimizer, progress, best: best, extraState: objective.extraState)
        }

        while progress.step < stopStep {
            if let signal = StopSignals.pending {
                try save(best: false)
                throw TrainingError.stopped(signal: StopSignals.name(of: signal), step: progress.step)
            }
            let epoch = progress.epoch
            let batch = objective.batch(progress.sampler.nextBatch(), progress: &progress)
            let state = ForwardState(isTraining: true, generator: progress.generator)
            let result = try objective.step(model, batch: batch, state: state, step: progress.step)
            progress.generator = state.generator
            let loss = result.loss.scalar
            if let problem = guardSettings.problem(loss: loss, energyGap: result.energyGap) {
                guard remedies.recoveries < guardSettings.maximumRecoveries else {
                    throw TrainingError.unrecoverable(
                        step: progress.step, problem: problem, recoveries: remedies.recoveries)
                }
                // Back to the last good state, with the remedy and a fresh random stream; the
                // best validation result so far stays (its checkpoint is on disk).
                let failedStep = progress.step
                let best = (progress.bestValidationAccuracy, progress.bestValidationLoss, progress.bestEpoch)
                (model, optimizer, objective, progress) = (good.model, good.optimizer, good.objective, good.progress)
                pending = nil
                (progress.bestValidationAccuracy, progress.bestValidationLoss, progress.bestEpoch) = best
                remedies = remedies.escalated(guardSettings)
                progress.guardState = remedies
                progress.generator = SeededGenerator(
                    seed: c.core.seed &+ 1 &+ UInt64(failedStep) &* 1_000_003 &+ UInt64(remedies.recoveries))
                objective.apply(remedies)
                running = RunningMeans()
                recorder?.log(
                    [
                        ("guard/recoveries", Double(remedies.recoveries)),
                        ("guard/lr_scale", Double(remedies.learningRateScale)),
                        ("guard/rolled_back_to_step", Double(progress.step)),
                    ], step: failedStep)
                reporter?.note(
                    "step \(failedStep): diverged (\(problem)); recovery \(remedies.recoveries) of \(guardSettings.maximumRecoveries): "
                        + "back to step \(progress.step), learning rate × \(remedies.learningRateScale)")
                continue
            }
            if let verified = pending.take() { good = verified }
            var gradients = result.gradient.tensors
            if let clip = c.details.clipNorm { clipGradientNorm(&gradients, maxNorm: clip) }
            var parameters = model.tensors
            let rate = schedule.rate(at: progress.step) * remedies.learningRateScale
            optimizer.update(&parameters, gradients: gradients, learningRate: rate)
            model = model.replacingTensors(with: parameters).applyingBufferUpdates(from: state)
            let followUp = objective.afterUpdate(
                model, batch: batch, step: progress.step, rateScale: rate / c.core.learningRate,
                using: &progress.generator)

            progress.step += 1
            if progress.step % guardSettings.snapshotEvery == 0 {
                pending = Snapshot(model: model, optimizer: optimizer, objective: objective, progress: progress)
            }
            running.add(loss: loss, correct: result.correct, count: batch.count)
            let accuracy = result.correct.map { [("train/accuracy", Double($0) / Double(batch.count))] } ?? []
            recorder?.log(
                [("train/loss", Double(loss))] + accuracy + [("lr", Double(rate))] + result.metrics + followUp
                    + ResidentMemory.metrics(atStep: progress.step), step: progress.step)
            reporter?.update(
                step: progress.step, startedAt: startStep, epoch: epoch, loss: running.loss,
                accuracy: running.accuracy ?? .nan,
                learningRate: rate)

            let epochDone = progress.epoch != epoch
            if epochDone || progress.step == totalSteps {
                lastValidation = try objective.validate(model)
                let isBest =
                    lastValidation.map { progress.recordIfBest($0.value, goal: objective.goal, epoch: epoch) } ?? false
                recorder?.log(
                    [("epoch", Double(progress.step) / Double(stepsPerEpoch))] + running.epochMetrics
                        + [("time/seconds", secondsAtStart + Date().timeIntervalSince(clock))]
                        + (lastValidation?.metrics ?? []),
                    step: progress.step)
                let trainText = running.text
                if epochDone { running = RunningMeans() }
                if let folder = checkpointURL(runID, "last")?.deletingLastPathComponent() {
                    for picture in try objective.pictures(model, step: progress.step, folder: folder) {
                        recorder?.recordFile(picture.url, kind: picture.kind, final: true)
                    }
                }
                try save(best: isBest)
                pending = Snapshot(model: model, optimizer: optimizer, objective: objective, progress: progress)
                reporter?.note(
                    "epoch \(epoch + 1) step \(progress.step): \(trainText)"
                        + (lastValidation.map { "  " + $0.text } ?? "")
                        + (isBest ? "  (best)" : ""))
            } else if let every = c.output.checkpointEvery, progress.step % every == 0 {
                try save(best: false)
                // The guard's next good state is this checkpoint, as after an epoch's: a run
                // resumed from it then rolls back where the uninterrupted run would.
                pending = Snapshot(model: model, optimizer: optimizer, objective: objective, progress: progress)
            }
        }
        progress.seconds = secondsAtStart + Date().timeIntervalSince(clock)
        if progress.sampler.position > 0 || progress.step < totalSteps { try save(best: false) }
        return try summarize(objective, model: model, progress: progress, lastValidation: lastValidation)
    }

    /// Checks that every per-parameter tensor of an optimiser's saved state (`exp_avg.3`,
    /// `momentum_buffer.0`: PyTorch's names, ending in the parameter's index) has its
    /// parameter's shape: a checkpoint from elsewhere must not steer the update loops past
    /// their buffers.
    static func checkOptimizerState(_ state: [String: Tensor], parameters: [Tensor], path: String) throws {
        for (name, tensor) in state.sorted(by: { $0.key < $1.key }) {
            guard let dot = name.lastIndex(of: "."), let index = Int(name[name.index(after: dot)...]) else { continue }
            guard parameters.indices.contains(index) else {
                throw TrainingError.badCheckpoint(
                    path: path,
                    problem: "optimizer.\(name) names parameter \(index), but the model has \(parameters.count)")
            }
            guard tensor.shape == parameters[index].shape else {
                throw TrainingError.badCheckpoint(
                    path: path,
                    problem:
                        "optimizer.\(name) has shape \(tensor.shape), but parameter \(index) has \(parameters[index].shape)"
                )
            }
        }
    }

    func checkpointURL(_ runID: String, _ name: String) -> URL? {
        checkpointDirectory?.appendingPathComponent(runID, isDirectory: true).appendingPathComponent(
            "\(name).safetensors")
    }

    func saveCheckpoint(
        _ model: AnyLayer, _ optimizer: any Optimizer, _ progress: TrainingProgress, best: Bool,
        extraState: [String: Tensor]
    ) throws {
        guard let last = checkpointURL(progress.runID, "last") else { return }
        var checkpoint = TrainingCheckpoint(
            model: model, optimizerState: optimizer.state, configuration: configuration, progress: progress)
        checkpoint.extraState = extraState
        try CheckpointSaving.save(
            checkpoint, last: last, best: best ? checkpointURL(progress.runID, "best") : nil, recorder: recorder)
    }

    func summarize(
        _ objective: some TrainingObjective, model: AnyLayer, progress: TrainingProgress,
        lastValidation: Validation?
    ) throws -> TrainingSummary {
        var summary = TrainingSummary(
            runID: progress.runID, steps: progress.step,
            epochs: Double(progress.step) / Double(stepsPerEpoch), seconds: progress.seconds)
        summary.secondsPerEpoch = progress.step > 0 ? progress.seconds / summary.epochs : nil
        switch objective.goal {
        case .highestAccuracy:
            summary.bestValidationAccuracy = progress.bestValidationAccuracy
            summary.finalValidationAccuracy = lastValidation?.value
        case .lowestLoss:
            summary.bestValidationLoss = progress.bestValidationLoss
            summary.finalValidationLoss = lastValidation?.value
        }
        summary.lastCheckpoint = checkpointURL(progress.runID, "last").map(\.path)
        summary.runStoreSeconds = recorder?.secondsRecording
        summary.recoveries = progress.guardState?.recoveries ?? 0
        guard progress.step == totalSteps else { return summary }
        let best = checkpointURL(progress.runID, "best").flatMap {
            FileManager.default.fileExists(atPath: $0.path) ? $0 : nil
        }
        summary.bestCheckpoint = best?.path
        if let test = try objective.test(final: model, best: best) {
            summary.testAccuracy = test.accuracy
            summary.finalTestAccuracy = test.finalAccuracy
            summary.testLoss = test.loss
            recorder?.log(test.metrics, step: progress.step)
            reporter?.note(test.note)
        }
        return summary
    }
}

/// The epoch's running means of the training loss (per example) and, for classifiers, accuracy.
struct RunningMeans {
    private var lossSum = 0.0, correct = 0, count = 0, counted = false

    mutating func add(loss: Float, correct: Int?, count: Int) {
        lossSum += Double(loss) * Double(count)
        self.count += count
        if let correct {
            self.correct += correct
            counted = true
        }
    }

    var loss: Double { lossSum / Double(max(count, 1)) }
    var accuracy: Double? { counted ? Double(correct) / Double(max(count, 1)) : nil }

    var epochMetrics: [(String, Double)] {
        [("train/epoch_loss", loss)] + (accuracy.map { [("train/epoch_accuracy", $0)] } ?? [])
    }

    var text: String {
        String(format: "train loss %.4f", loss) + (accuracy.map { String(format: " acc %.4f", $0) } ?? "")
    }
}

extension TrainingProgress {
    /// Records `value` as the best validation result when it beats the best so far.
    mutating func recordIfBest(_ value: Double, goal: ValidationGoal, epoch: Int) -> Bool {
        switch goal {
        case .highestAccuracy:
            guard value > (bestValidationAccuracy ?? -1) else { return false }
            bestValidationAccuracy = value
        case .lowestLoss:
            guard value < (bestValidationLoss ?? .infinity) else { return false }
            bestValidationLoss = value
        }
        bestEpoch = epoch
        return true
    }
}
