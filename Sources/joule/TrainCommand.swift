import ArgumentParser
import Foundation
import RunLog
import Training

/// `joule train`: trains a classifier and writes checkpoints under `checkpoints/RUN_ID/`.
struct TrainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train",
        abstract: "Train a classifier (cross-entropy or JEM) or an energy (score matching) on Fashion-MNIST, a PNG folder or a 2-D toy density.",
        discussion: """
        Settings come from the defaults, then --config FILE.yaml (a mapping such as `model: cnn-s`, \
        `batch-size: 64`), then the options given here. Checkpoints: CHECKPOINT_DIR/RUN_ID/last.safetensors \
        and best.safetensors (best on validation: accuracy for classifiers, the objective's loss for energies). \
        Score matching (--objective esm|ssm|ssm-vr|dsm|mdsm) trains a single-output energy (energy-mlp, or mlp / cnn-s \
        for dsm and mdsm) on images or on --dataset toy:NAME (8gaussians, moons, rings, checkerboard, pinwheel, swissroll).
        """
    )

    @Option(help: "Training objective: ce (cross-entropy), jem (joint energy: p(y|x) + p(x) by SGLD), score matching: esm (exact), ssm / ssm-vr (sliced), dsm (denoising), mdsm (multi-scale denoising), or a learned sampler: vera, meg, kim-bengio (a generator trained against the energy; JEM with a classifier model, an unconditional energy on toy:NAME or with energy-mlp).") var objective: String?
    @Option(help: "Learned sampler: the generator, mlp[-W] (width W, default 500) or deconv[-F] (28×28 images, F base features, default 64).") var generator: String?
    @Option(help: "Learned sampler: latent size (default 2 for points, 128 for images).") var latentSize: Int?
    @Option(help: "Learned sampler: weight of the entropy term in the generator's loss (default 1e-4 for JEM, 1 for an unconditional energy: VERA's).") var entropyWeight: Float?
    @Option(help: "Learned sampler: weight γ of the gradient penalty (γ/2)·mean ‖∇ₓE(data)‖² (default 0.1).") var gradientPenalty: Float?
    @Option(help: "Learned sampler: the generator's learning rate (default: twice --lr for JEM, --lr for an unconditional energy), scaled by the run's schedule.") var generatorLr: Float?
    @Option(help: "VERA: the posterior's learning rate (default: --lr for JEM, 0.02 for an unconditional energy).") var posteriorLr: Float?
    @Option(help: "VERA: importance samples per generated point (default 20).") var importanceSamples: Int?
    @Option(help: "VERA: largest output noise σ (default 0.3).") var veraSigmaMax: Float?
    @Option(help: "VERA: smallest output noise σ, also its start (default 0.01).") var veraSigmaMin: Float?
    @Option(help: "MEG: width of the statistics network (default 128).") var statisticsWidth: Int?
    @Option(help: "DSM: noise level σ (default 0.1).") var sigma: Float?
    @Option(help: "MDSM: largest noise level (default 1).") var sigmaMax: Float?
    @Option(help: "MDSM: smallest noise level (default 0.01).") var sigmaMin: Float?
    @Option(help: "MDSM: noise levels (default 10).") var sigmaLevels: Int?
    @Option(help: "MDSM: geometric or linear levels.") var sigmaSpacing: String?
    @Option(help: "MDSM: noise-scaled (Song & Ermon) or single-energy (after Li et al.).") var smForm: String?
    @Option(help: "SSM: projections per sample (default 1).") var projections: Int?
    @Option(help: "SSM: rademacher or gaussian projections.") var projection: String?
    @Option(help: "ESM: refuse inputs of more dimensions than this (default 64).") var exactLimit: Int?
    @Option(help: "Score matching: sampler steps (per level for mdsm) for the epoch's pictures.") var sampleSteps: Int?
    @Option(help: "Score matching: sampler step size (ε for mdsm, η for Langevin).") var sampleStepSize: Float?
    @Option(help: "JEM: SGLD steps per iteration (default 20).") var sgldSteps: Int?
    @Option(help: "JEM: SGLD step size η (default 1).") var sgldStepSize: Float?
    @Option(help: "JEM: SGLD noise σ (default 0.01).") var sgldNoise: Float?
    @Option(help: "JEM: replay buffer size (default 10000).") var bufferSize: Int?
    @Option(help: "JEM: share of chains restarted per draw (default 0.05).") var reinitRate: Float?
    @Option(help: "JEM: where chains start: uniform or class-gaussian (JEM++).") var bufferStart: String?
    @Flag(help: "JEM: per-class buffers and class-conditional chains.") var classConditional = false
    @Option(help: "JEM: weight of the p(x) term (default 1).") var pxWeight: Float?
    @Option(help: "JEM: weight of the p(y|x) term (default 1; 100 with a learned sampler, VERA's).") var pyxWeight: Float?
    @Option(help: "JEM: weight of the p(x|y) term (default 0; needs --class-conditional).") var pxyWeight: Float?
    @Option(help: "JEM: weight of the energies' L2 penalty (default 0).") var energyL2: Float?
    @Option(help: "JEM: semi-supervised, with this many labelled images per class (default: all).") var labelsPerClass: Int?
    @Option(help: "JEM: number format of the SGLD gradient's convolutions, bfloat16 (inputs rounded to bfloat16, float32 sums: ≈ 25% faster cnn-s iterations, same accuracy; float32 on CPUs without AVX512_BF16 or AMX) or float32 (default: bfloat16 for new runs; a run saved before the setting existed resumes in float32).") var samplerPrecision: String?
    @Option(help: "Guard: |loss| above this counts as divergence (default 1e8).") var guardLossBound: Float?
    @Option(help: "Guard: |E(data) − E(samples)| above this counts as divergence (default 1e5).") var guardGapBound: Float?
    @Option(help: "Guard: roll-backs before the run fails (default 3).") var guardMaxRecoveries: Int?
    @Option(help: "Guard remedy: learning-rate factor per recovery (default 0.5).") var guardLrFactor: Float?
    @Option(help: "Guard remedy: SGLD steps added per recovery (default 0).") var guardSgldSteps: Int?
    @Option(help: "Guard remedy: energy L2 weight added per recovery (default 0).") var guardEnergyL2: Float?
    @Option(help: "fashion-mnist, png:FOLDER (one subfolder per class), or toy:NAME (score matching).") var dataset: String?
    @Option(help: "Directory holding the dataset's files, when not the default.") var datasetPath: String?
    @Option(help: "mlp, cnn-s, wrn-D-W (e.g. wrn-16-4), or energy-mlp[-W] (score matching).") var model: String?
    @Option(help: "Wide ResNet normalisation: none, layer, group, batch.") var norm: String?
    @Option(help: "Wide ResNet dropout probability.") var dropout: Float?
    @Option(help: "Passes over the training set.") var epochs: Int?
    @Option(help: "Total optimiser steps (overrides --epochs).") var steps: Int?
    @Option(help: "Examples per step.") var batchSize: Int?
    @Option(help: "Learning rate.") var lr: Float?
    @Option(help: "adam, adamw or sgd.") var optimizer: String?
    @Option(help: "SGD momentum.") var momentum: Float?
    @Option(help: "Adam's β₁ (default 0.9; VERA uses 0).") var beta1: Float?
    @Option(help: "Adam's β₂ (default 0.999; VERA uses 0.9).") var beta2: Float?
    @Flag(help: "Nesterov momentum (SGD).") var nesterov = false
    @Option(help: "Weight decay (L2 for adam and sgd, decoupled for adamw).") var weightDecay: Float?
    @Option(help: "Linear warm-up steps.") var warmup: Int?
    @Option(help: "constant, cosine or step.") var schedule: String?
    @Option(help: "Step schedule: decay every N epochs.") var stepEvery: Int?
    @Option(help: "Step schedule: decay factor.") var gamma: Float?
    @Option(help: "Clip the global gradient norm to this value.") var clipNorm: Float?
    @Option(help: "Gaussian noise σ added to training inputs.") var noise: Float?
    @Option(help: "Pad by N pixels, then crop back at random.") var cropPadding: Int?
    @Flag(help: "Random horizontal flips.") var flip = false
    @Option(help: "Random seed.") var seed: UInt64?
    @Option(help: "Training images held out for validation.") var validationSize: Int?
    @Option(help: "YAML file of settings; options given here override it.") var config: String?
    @Option(help: "Where run folders go (default checkpoints).") var checkpointDir: String?
    @Option(help: "Also checkpoint every N steps (default: at each epoch's end).") var checkpointEvery: Int?
    @Option(help: "Continue a run: its id (under the checkpoint directory) or a checkpoint file.") var resume: String?
    @Option(help: "Run store (default $JOULE_RUNS_DB, else CHECKPOINT_DIR/runs.sqlite).") var runsDb: String?
    @Option(help: "A name for the run (default: its id).") var name: String?
    @Option(help: "Experiment the run belongs to.") var experiment: String?
    @Option(name: .customLong("tag"), help: "A tag KEY=VALUE (repeatable).") var tags: [String] = []
    @Flag(help: "Run a few batches to check the set-up; write nothing.") var dryRun = false
    @Flag(help: "Print a JSON summary on standard output.") var json = false

    func run() throws {
        do {
            try train()
        } catch let error as ValidationError {
            throw error
        } catch let code as ExitCode {
            throw code
        } catch {
            FileHandle.standardError.write(Data("joule train: \(error)\n".utf8))
            throw ExitCode.failure
        }
    }

    private func train() throws {
        var resumeFrom: TrainingCheckpoint?
        var c = TrainingConfiguration()
        if let resume {
            let url = resumeURL(resume)
            resumeFrom = try TrainingCheckpoint.read(from: url)
            c = resumeFrom!.configuration
        }
        if let config { c = try ConfigurationFile.apply(URL(fileURLWithPath: config), to: c) }
        c = try overriding(c).validated()
        if let saved = resumeFrom?.configuration {
            let conflicts = ResumeCompatibility.conflicts(saved: saved, resumed: c)
            guard conflicts.isEmpty else {
                throw ValidationErrorText("a resumed run keeps the settings its checkpoint was made with; cannot change "
                                          + conflicts.joined(separator: ", "))
            }
        }
        let runID = resumeFrom?.progress.runID ?? RunIdentifier.make()
        let directory = dryRun ? nil : URL(fileURLWithPath: c.checkpointDirectory, isDirectory: true)
        let recorder = try dryRun ? nil : TrainingRecorder(
            store: RunStore(path: RunsOptions.storePath(runsDb, checkpointDirectory: c.checkpointDirectory), createDirectory: true),
            runID: runID, configuration: c, resumedStep: resumeFrom?.progress.step, name: name, experiment: experiment,
            tags: try parsedTags())
        // Classifiers (ce, jem) and energies (score matching) have their own trainers.
        let train: () throws -> TrainingSummary
        let description: String
        if c.isUnconditionalEnergy {
            let data = try EnergyData.load(c)
            var trainer = EnergyTrainer(configuration: c, data: data, checkpointDirectory: directory)
            trainer.reporter = ProgressReporter(totalSteps: dryRun ? 3 : trainer.totalSteps)
            trainer.recorder = recorder
            train = { try trainer.run(runID: runID, resume: resumeFrom, stopAfterSteps: dryRun ? 3 : nil) }
            description = "\(c.dataset) (\(c.objective), \(data.trainingCount) training examples)"
        } else {
            let data = try TrainingData.load(c)
            var trainer = ClassifierTrainer(configuration: c, data: data, checkpointDirectory: directory)
            trainer.reporter = ProgressReporter(totalSteps: dryRun ? 3 : trainer.totalSteps)
            trainer.recorder = recorder
            train = { try trainer.run(runID: runID, resume: resumeFrom, stopAfterSteps: dryRun ? 3 : nil) }
            description = "\(c.dataset) (\(data.train.count) training, \(data.validation?.count ?? 0) validation images)"
        }
        StopSignals.install()
        if resumeFrom == nil {
            FileHandle.standardError.write(Data("run \(runID): \(c.model) on \(description)\n".utf8))
        } else {
            FileHandle.standardError.write(Data("resuming run \(runID) at step \(resumeFrom!.progress.step)\n".utf8))
        }
        var summary: TrainingSummary
        do {
            summary = try train()
        } catch TrainingError.stopped(let signal, let step) {
            try? recorder?.finish(.killed, reason: "\(signal) at step \(step)")
            FileHandle.standardError.write(Data("joule train: stopped by \(signal) at step \(step); resume with --resume \(runID)\n".utf8))
            throw ExitCode(signal == "SIGTERM" ? 143 : 130)
        } catch {
            try? recorder?.finish(.failed, reason: "\(error)")
            throw error
        }
        // The training succeeded; a store that cannot record its end is only a warning.
        do {
            try recorder?.finish(.finished)
        } catch {
            FileHandle.standardError.write(Data("joule train: the run finished but the run store could not record it: \(error)\n".utf8))
        }
        summary.runStoreSeconds = recorder?.secondsWriting
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            print(String(decoding: try encoder.encode(summary), as: UTF8.self))
        } else {
            print("run \(summary.runID): \(summary.steps) steps, \(String(format: "%.1f", summary.seconds)) s"
                  + (summary.bestValidationAccuracy.map { String(format: ", best validation accuracy %.4f", $0) } ?? "")
                  + (summary.testAccuracy.map { String(format: ", test accuracy %.4f", $0) } ?? "")
                  + (summary.bestValidationLoss.map { String(format: ", best validation loss %.4f", $0) } ?? "")
                  + (summary.testLoss.map { String(format: ", test loss %.4f", $0) } ?? ""))
        }
    }

    private func parsedTags() throws -> [String: String] {
        var result: [String: String] = [:]
        for tag in tags {
            guard let equals = tag.firstIndex(of: "="), equals != tag.startIndex else {
                throw ValidationError("--tag '\(tag)': expected KEY=VALUE")
            }
            result[String(tag[..<equals])] = String(tag[tag.index(after: equals)...])
        }
        return result
    }

    private func resumeURL(_ value: String) -> URL {
        if value.hasSuffix(".safetensors") { return URL(fileURLWithPath: value) }
        return URL(fileURLWithPath: checkpointDir ?? "checkpoints", isDirectory: true)
            .appendingPathComponent(value, isDirectory: true).appendingPathComponent("last.safetensors")
    }

    private func overriding(_ base: TrainingConfiguration) throws -> TrainingConfiguration {
        var c = base
        if let objective { c.objective = objective }
        if let dataset { c.dataset = dataset }
        if let datasetPath { c.datasetPath = datasetPath }
        if let model { c.model = model }
        if let norm {
            try ConfigurationFile.set("normalization", to: norm, in: &c, file: "--norm")
        }
        if let dropout { c.dropout = dropout }
        if let epochs { c.epochs = epochs; c.steps = nil }
        if let steps { c.steps = steps }
        if let batchSize { c.batchSize = batchSize }
        if let lr { c.learningRate = lr }
        if let optimizer { c.optimizer = optimizer }
        if let momentum { c.momentum = momentum }
        if let beta1 { c.beta1 = beta1 }
        if let beta2 { c.beta2 = beta2 }
        if nesterov { c.nesterov = true }
        if let weightDecay { c.weightDecay = weightDecay }
        if let warmup { c.warmupSteps = warmup }
        if let schedule { c.schedule = schedule }
        if let stepEvery { c.stepEvery = stepEvery }
        if let gamma { c.gamma = gamma }
        if let clipNorm { c.clipNorm = clipNorm }
        if let noise { c.noise = noise }
        if let cropPadding { c.cropPadding = cropPadding }
        if flip { c.flip = true }
        if let seed { c.seed = seed }
        if let validationSize { c.validationSize = validationSize }
        if let checkpointDir { c.checkpointDirectory = checkpointDir }
        if let checkpointEvery { c.checkpointEvery = checkpointEvery }
        var jemOptions: [(String, Any?)] = []
        jemOptions.append(("sgld-steps", sgldSteps))
        jemOptions.append(("sgld-step-size", sgldStepSize.map { Double($0) }))
        jemOptions.append(("sgld-noise", sgldNoise.map { Double($0) }))
        jemOptions.append(("buffer-size", bufferSize))
        jemOptions.append(("reinit-rate", reinitRate.map { Double($0) }))
        jemOptions.append(("buffer-start", bufferStart))
        jemOptions.append(("class-conditional", classConditional ? true : nil))
        jemOptions.append(("px-weight", pxWeight.map { Double($0) }))
        jemOptions.append(("pyx-weight", pyxWeight.map { Double($0) }))
        jemOptions.append(("pxy-weight", pxyWeight.map { Double($0) }))
        jemOptions.append(("energy-l2", energyL2.map { Double($0) }))
        jemOptions.append(("labels-per-class", labelsPerClass))
        jemOptions.append(("sampler-precision", samplerPrecision))
        jemOptions.append(("guard-loss-bound", guardLossBound.map { Double($0) }))
        jemOptions.append(("guard-gap-bound", guardGapBound.map { Double($0) }))
        jemOptions.append(("guard-max-recoveries", guardMaxRecoveries))
        jemOptions.append(("guard-lr-factor", guardLrFactor.map { Double($0) }))
        jemOptions.append(("guard-sgld-steps", guardSgldSteps))
        jemOptions.append(("guard-energy-l2", guardEnergyL2.map { Double($0) }))
        jemOptions.append(("sigma", sigma.map { Double($0) }))
        jemOptions.append(("sigma-max", sigmaMax.map { Double($0) }))
        jemOptions.append(("sigma-min", sigmaMin.map { Double($0) }))
        jemOptions.append(("sigma-levels", sigmaLevels))
        jemOptions.append(("sigma-spacing", sigmaSpacing))
        jemOptions.append(("sm-form", smForm))
        jemOptions.append(("projections", projections))
        jemOptions.append(("projection", projection))
        jemOptions.append(("exact-limit", exactLimit))
        jemOptions.append(("sample-steps", sampleSteps))
        jemOptions.append(("sample-step-size", sampleStepSize.map { Double($0) }))
        jemOptions.append(("generator", generator))
        jemOptions.append(("latent-size", latentSize))
        jemOptions.append(("entropy-weight", entropyWeight.map { Double($0) }))
        jemOptions.append(("gradient-penalty", gradientPenalty.map { Double($0) }))
        jemOptions.append(("generator-lr", generatorLr.map { Double($0) }))
        jemOptions.append(("posterior-lr", posteriorLr.map { Double($0) }))
        jemOptions.append(("importance-samples", importanceSamples))
        jemOptions.append(("vera-sigma-max", veraSigmaMax.map { Double($0) }))
        jemOptions.append(("vera-sigma-min", veraSigmaMin.map { Double($0) }))
        jemOptions.append(("statistics-width", statisticsWidth))
        for case let (key, value?) in jemOptions {
            try ConfigurationFile.set(key, to: value, in: &c, file: "--\(key)")
        }
        return c
    }
}
