import ArgumentParser
import Foundation
import Objectives
import Runs

/// The defaults `joule train --help` states, read from the settings themselves so the help
/// never disagrees with what a run uses.
private let defaults = TrainingConfiguration()
private let jemDefaults = JEMSettings()
private let guardDefaults = DivergenceGuardSettings()
private let scoreMatchingDefaults = ScoreMatchingSettings()
private let learnedDefaults = LearnedSamplerSettings()

/// "(default: 0.001)".
private func by(_ value: Any) -> String { "(default: \(value))" }

/// The options almost every run sets, shown first.
struct TrainCommonOptions: ParsableArguments {
    @Option(help: "fashion-mnist, png:FOLDER (one subfolder per class), or toy:NAME (score matching) \(by(defaults.dataset)).")
    var dataset: String?
    @Option(help: "mlp, cnn-s, wrn-D-W (e.g. wrn-16-4), or energy-mlp[-W] (score matching) \(by(defaults.model)).") var model: String?
    @Option(help: """
        ce (cross-entropy), jem (joint energy: p(y|x) + p(x) by SGLD), esm, ssm, ssm-vr, dsm, mdsm (score matching), \
        or vera, meg, kim-bengio (a learned sampler) \(by(defaults.objective)).
        """) var objective: String?
    @Option(parsing: .unconditional, help: "Passes over the training set \(by(defaults.epochs)).") var epochs: Int?
    @Option(parsing: .unconditional, help: "Total optimiser steps, overriding --epochs.") var steps: Int?
    @Option(parsing: .unconditional, help: "Examples per step \(by(defaults.batchSize)).") var batchSize: Int?
    @Option(parsing: .unconditional, help: "Learning rate \(by(defaults.learningRate)).") var lr: Float?
    @Option(help: "adam, adamw or sgd \(by(defaults.optimizer)).") var optimizer: String?
    @Option(help: "constant, cosine or step \(by(defaults.schedule)).") var schedule: String?
    @Option(parsing: .unconditional, help: "Linear warm-up steps \(by(defaults.warmupSteps)).") var warmup: Int?
    @Option(parsing: .unconditional, help: "Random seed \(by(defaults.seed)).") var seed: UInt64?
    @Option(help: "YAML file of settings; options given here override it.") var config: String?
    @Option(help: "Continue a run: its id (or a unique prefix) or a checkpoint file.") var resume: String?
}

/// Where a run's files and record go, and how it is labelled.
struct TrainOutputOptions: ParsableArguments {
    @Option(help: "Where run folders go \(by(defaults.checkpointDirectory)).") var checkpointDir: String?
    @OptionGroup var store: RunStoreOptions
    @Option(help: "A name for the run (default: objective · model · dataset · seed in reports, the id elsewhere).") var name: String?
    @Option(help: "Experiment the run belongs to.") var experiment: String?
    @Option(name: .customLong("tag"), help: "A tag KEY=VALUE (repeatable).") var tags: [String] = []
    @Option(parsing: .unconditional, help: "Also checkpoint every N steps (default: at each epoch's end).") var checkpointEvery: Int?
    @Flag(help: "Run a few batches to check the set-up; write and record nothing.") var dryRun = false
    @Flag(help: "Print a JSON summary on standard output.") var json = false
}

/// The data beyond its name: where it is, how images are read, the hold-out, augmentation.
struct TrainDataOptions: ParsableArguments {
    @Option(help: "Directory holding the dataset's files, when not the default.") var datasetPath: String?
    @Option(parsing: .unconditional, help: """
        Read every PNG image as 1 (grey) or 3 (RGB) channels (default: grey when every image is grey, RGB when every one \
        is colour; a folder mixing them needs this).
        """) var channels: Int?
    @Option(parsing: .unconditional, help: "Training images held out for validation, at most a fifth of the set \(by(defaults.validationSize)).")
    var validationSize: Int?
    @Option(parsing: .unconditional, help: "Gaussian noise σ added to training inputs \(by(defaults.noise)).") var noise: Float?
    @Option(parsing: .unconditional, help: "Pad by N pixels, then crop back at random \(by(defaults.cropPadding)).") var cropPadding: Int?
    @Flag(help: "Random horizontal flips.") var flip = false
}

/// The optimiser's and the model's finer settings.
struct TrainOptimizerOptions: ParsableArguments {
    @Option(help: "Wide ResNet normalisation: none, layer, group, batch \(by(defaults.normalization.rawValue)).") var norm: String?
    @Option(parsing: .unconditional, help: "Wide ResNet dropout probability \(by(defaults.dropout)).") var dropout: Float?
    @Option(parsing: .unconditional, help: "SGD momentum \(by(defaults.momentum)).") var momentum: Float?
    @Flag(help: "Nesterov momentum (SGD).") var nesterov = false
    @Option(parsing: .unconditional, help: "Adam's β₁ \(by(defaults.beta1)); VERA uses 0.") var beta1: Float?
    @Option(parsing: .unconditional, help: "Adam's β₂ \(by(defaults.beta2)); VERA uses 0.9.") var beta2: Float?
    @Option(parsing: .unconditional, help: "Weight decay: L2 for adam and sgd, decoupled for adamw \(by(defaults.weightDecay)).")
    var weightDecay: Float?
    @Option(parsing: .unconditional, help: "Step schedule: decay every N epochs.") var stepEvery: Int?
    @Option(parsing: .unconditional, help: "Step schedule: decay factor \(by(defaults.gamma)).") var gamma: Float?
    @Option(parsing: .unconditional, help: "Clip the global gradient norm to this value (default: no clipping).") var clipNorm: Float?
}

/// JEM's sampler and loss.
struct TrainJEMOptions: ParsableArguments {
    @Option(parsing: .unconditional, help: "SGLD steps per iteration \(by(jemDefaults.sgldSteps)).") var sgldSteps: Int?
    @Option(parsing: .unconditional, help: "SGLD step size η \(by(jemDefaults.sgldStepSize)).") var sgldStepSize: Float?
    @Option(parsing: .unconditional, help: "SGLD noise σ \(by(jemDefaults.sgldNoise)).") var sgldNoise: Float?
    @Option(parsing: .unconditional, help: "Replay buffer size \(by(jemDefaults.bufferSize)).") var bufferSize: Int?
    @Option(parsing: .unconditional, help: "Share of chains restarted per draw \(by(jemDefaults.reinitializationRate)).") var reinitRate: Float?
    @Option(help: "Where chains start: uniform or class-gaussian (JEM++) \(by(jemDefaults.bufferStart)).") var bufferStart: String?
    @Flag(help: "Per-class buffers and class-conditional chains.") var classConditional = false
    @Option(parsing: .unconditional, help: "Weight of the p(x) term (default: 1).") var pxWeight: Float?
    @Option(parsing: .unconditional, help: "Weight of the p(y|x) term (default: 1; 100 with a learned sampler, VERA's).") var pyxWeight: Float?
    @Option(parsing: .unconditional, help: "Weight of the p(x|y) term, with --class-conditional \(by(jemDefaults.conditionalWeight)).")
    var pxyWeight: Float?
    @Option(parsing: .unconditional, help: "Weight of the energies' L2 penalty \(by(jemDefaults.energySquaredWeight)).") var energyL2: Float?
    @Option(parsing: .unconditional, help: "Semi-supervised: this many labelled images per class (default: all).") var labelsPerClass: Int?
    @Option(help: """
        Number format of the SGLD gradient's convolutions: bfloat16 (inputs rounded, float32 sums: ≈ 25% faster cnn-s \
        iterations, same accuracy; float32 on CPUs without AVX512_BF16 or AMX) or float32 (default: bfloat16; a run \
        saved before the setting existed resumes in float32).
        """) var samplerPrecision: String?
}

/// The divergence guard: when a step counts as divergence, and the remedy.
struct TrainGuardOptions: ParsableArguments {
    @Option(parsing: .unconditional, help: "|loss| above this counts as divergence \(by(guardDefaults.lossBound)).") var guardLossBound: Float?
    @Option(parsing: .unconditional, help: "|E(data) − E(samples)| above this counts as divergence \(by(guardDefaults.energyGapBound)).")
    var guardGapBound: Float?
    @Option(parsing: .unconditional, help: "Roll-backs before the run fails \(by(guardDefaults.maximumRecoveries)).") var guardMaxRecoveries: Int?
    @Option(parsing: .unconditional, help: "Learning-rate factor per recovery \(by(guardDefaults.learningRateFactor)).") var guardLrFactor: Float?
    @Option(parsing: .unconditional, help: "SGLD steps added per recovery \(by(guardDefaults.addedSGLDSteps)).") var guardSgldSteps: Int?
    @Option(parsing: .unconditional, help: "Energy L2 weight added per recovery \(by(guardDefaults.addedEnergyL2)).") var guardEnergyL2: Float?
}

/// Score matching's noise, projections and samples.
struct TrainScoreMatchingOptions: ParsableArguments {
    @Option(parsing: .unconditional, help: "DSM: noise level σ \(by(scoreMatchingDefaults.sigma)).") var sigma: Float?
    @Option(parsing: .unconditional, help: "MDSM: largest noise level \(by(scoreMatchingDefaults.sigmaLargest)).") var sigmaMax: Float?
    @Option(parsing: .unconditional, help: "MDSM: smallest noise level \(by(scoreMatchingDefaults.sigmaSmallest)).") var sigmaMin: Float?
    @Option(parsing: .unconditional, help: "MDSM: noise levels \(by(scoreMatchingDefaults.levels)).") var sigmaLevels: Int?
    @Option(help: "MDSM: geometric or linear levels \(by(scoreMatchingDefaults.spacing)).") var sigmaSpacing: String?
    @Option(help: "MDSM: noise-scaled (Song & Ermon) or single-energy (after Li et al.) \(by(scoreMatchingDefaults.form)).") var smForm: String?
    @Option(parsing: .unconditional, help: "SSM: projections per sample \(by(scoreMatchingDefaults.projections)).") var projections: Int?
    @Option(help: "SSM: rademacher or gaussian projections \(by(scoreMatchingDefaults.projection)).") var projection: String?
    @Option(parsing: .unconditional, help: "ESM: refuse inputs of more dimensions than this \(by(scoreMatchingDefaults.exactLimit)).")
    var exactLimit: Int?
    @Option(parsing: .unconditional, help: "Sampler steps (per level for mdsm) for each epoch's pictures.") var sampleSteps: Int?
    @Option(parsing: .unconditional, help: "Sampler step size (ε for mdsm, η for Langevin).") var sampleStepSize: Float?
}

/// The learned samplers' generator and entropy estimate.
struct TrainLearnedSamplerOptions: ParsableArguments {
    @Option(help: "The generator: mlp[-W] (width W, default 500) or deconv[-F] (28×28 images, F base features, default 64).")
    var generator: String?
    @Option(parsing: .unconditional, help: "Latent size (default: 2 for points, 128 for images).") var latentSize: Int?
    @Option(parsing: .unconditional, help: "Weight of the entropy term in the generator's loss (default: 1e-4 for JEM, 1 for an unconditional energy).")
    var entropyWeight: Float?
    @Option(parsing: .unconditional, help: "Weight γ of the gradient penalty (γ/2)·mean ‖∇ₓE(data)‖² \(by(learnedDefaults.gradientPenalty)).")
    var gradientPenalty: Float?
    @Option(parsing: .unconditional, help: "The generator's learning rate (default: twice --lr for JEM, --lr for an unconditional energy).")
    var generatorLr: Float?
    @Option(parsing: .unconditional, help: "VERA: the posterior's learning rate (default: --lr for JEM, 0.02 for an unconditional energy).")
    var posteriorLr: Float?
    @Option(parsing: .unconditional, help: "VERA: importance samples per generated point \(by(learnedDefaults.importanceSamples)).")
    var importanceSamples: Int?
    @Option(parsing: .unconditional, help: "VERA: largest output noise σ \(by(learnedDefaults.sigmaRange.upperBound)).") var veraSigmaMax: Float?
    @Option(parsing: .unconditional, help: "VERA: smallest output noise σ, also its start \(by(learnedDefaults.sigmaRange.lowerBound)).")
    var veraSigmaMin: Float?
    @Option(parsing: .unconditional, help: "MEG: width of the statistics network \(by(learnedDefaults.statisticsWidth)).") var statisticsWidth: Int?
}
