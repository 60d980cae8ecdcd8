import Layers
import Objectives
import Optimizers
import Tensors

/// Everything that defines a training run. Resolved from defaults, then a YAML file, then
/// command-line options; stored with every checkpoint so a run can be resumed and
/// reproduced exactly.
public struct TrainingConfiguration: Codable, Sendable, Equatable {
    /// Training objective: `ce` (cross-entropy). JEM, score matching and learned samplers
    /// plug in here in later versions.
    public var objective = "ce"
    /// `fashion-mnist` (Debian package) or `png:PATH` (one folder per class).
    public var dataset = "fashion-mnist"
    /// Where the dataset's files are, when not the default.
    public var datasetPath: String?
    /// PNG images read as 1 (grey) or 3 (RGB) channels; nil: as the files are (grey when all
    /// are grey, RGB when all are colour; a set mixing them is refused).
    public var channels: Int?
    /// `mlp`, `cnn-s` or `wrn-D-W`.
    public var model = "cnn-s"
    /// Wide ResNet normalisation: none, layer, group, batch.
    public var normalization = NormalizationKind.none
    /// Wide ResNet dropout probability.
    public var dropout: Float = 0
    /// Passes over the training set (ignored when `steps` is set).
    public var epochs = 10
    /// Total optimiser steps, overriding `epochs`.
    public var steps: Int?
    public var batchSize = 64
    /// Batch size for validation and test passes.
    public var evaluationBatchSize = 1000
    public var learningRate: Float = 1e-3
    /// `adam`, `adamw` or `sgd`.
    public var optimizer = "adam"
    public var momentum: Float = 0.9
    public var nesterov = false
    public var weightDecay: Float = 0
    public var beta1: Float = 0.9
    public var beta2: Float = 0.999
    /// Linear warm-up steps.
    public var warmupSteps = 0
    /// `constant`, `cosine` or `step`.
    public var schedule = "constant"
    /// For `step`: decay every this many epochs (`stepEvery`) or at these epochs (`milestones`).
    public var stepEvery: Int?
    public var milestones: [Int] = []
    public var gamma: Float = 0.1
    /// Global gradient-norm clip; none when nil.
    public var clipNorm: Float?
    /// Gaussian noise σ added to training inputs (JEM: 0.03).
    public var noise: Float = 0
    /// Zero padding before a random crop back to size (0: off).
    public var cropPadding = 0
    /// Random horizontal flips.
    public var flip = false
    public var seed: UInt64 = 1
    /// Training images held out for validation (fixed split seed).
    public var validationSize = 5000
    public var checkpointDirectory = "checkpoints"
    /// Also write `last.safetensors` every this many steps, not only at each epoch's end
    /// (nil: epochs only), so a killed run loses at most this many steps.
    public var checkpointEvery: Int?
    /// JEM's settings when set; nil means the reference defaults (and keeps checkpoints from
    /// before JEM readable).
    public var jem: JEMSettings?
    /// The divergence guard's settings when set; nil means its defaults.
    public var divergenceGuard: DivergenceGuardSettings?
    /// Score matching's settings when set; nil means their defaults.
    public var scoreMatching: ScoreMatchingSettings?
    /// The learned samplers' settings as given; nil (or a nil field) means the default for
    /// the kind of run.
    public var learnedSampler: LearnedSamplerOptions?
    /// The number format of JEM's SGLD gradient convolutions (`ConvolutionPrecision`):
    /// "bfloat16" for new configurations — a cnn-s JEM iteration ≈ 25% faster on CPUs with
    /// native bfloat16, the same accuracy (BENCHMARKS.md), float32 on other CPUs — or
    /// "float32". nil, in a configuration saved before the setting existed, reads as float32:
    /// what that run used.
    public var samplerPrecision: String? = ConvolutionPrecision.bfloat16.rawValue

    public init() {}

    /// The divergence guard's settings in effect.
    public var guardSettings: DivergenceGuardSettings { divergenceGuard ?? DivergenceGuardSettings() }

    /// JEM's settings in effect, with the sampler's precision.
    public var jemSettings: JEMSettings {
        var settings = jem ?? JEMSettings()
        settings.precision = samplerPrecision.flatMap(ConvolutionPrecision.init(rawValue:)) ?? .float32
        return settings
    }

    /// Score matching's settings in effect.
    public var scoreMatchingSettings: ScoreMatchingSettings { scoreMatching ?? ScoreMatchingSettings() }

    /// Whether the objective is one of the score-matching family (an energy, no classes).
    public var isScoreMatching: Bool { ScoreMatchingSettings.objectives.contains(objective) }

    /// Whether the objective trains a generator against the energy (vera, meg, kim-bengio).
    public var isLearnedSampler: Bool { LearnedSamplerSettings.objectives.contains(objective) }

    /// Whether the run trains a single-output energy with no classes (`EnergyTrainer`): score
    /// matching, or a learned sampler on a toy density or an energy-mlp. A learned sampler with
    /// a classifier is JEM with a generator in place of SGLD (`ClassifierTrainer`).
    public var isUnconditionalEnergy: Bool {
        guard !isScoreMatching else { return true }
        guard isLearnedSampler else { return false }
        if dataset.hasPrefix("toy:") { return true }
        if case .energyMLP = ModelSpecification(name: model)?.architecture { return true }
        return false
    }

    /// The learned samplers' settings in effect: the entropy estimate from the objective, the
    /// defaults by the kind of run (JEM on a classifier, or an unconditional energy).
    public var learnedSamplerSettings: LearnedSamplerSettings {
        (learnedSampler ?? LearnedSamplerOptions()).resolved(estimate: EntropyEstimate(rawValue: objective) ?? .vera,
                                                             forJEM: !isUnconditionalEnergy, energyLearningRate: learningRate)
    }

    /// The weights of JEM's terms in effect: JEM's settings, whose unset p(x) and p(y|x)
    /// weights are 1 and 1 with SGLD, and VERA's reference 1 and 100 with a learned sampler.
    public var jemWeights: JEMWeights {
        let jem = jemSettings
        return JEMWeights(classification: jem.classificationWeight ?? (isLearnedSampler ? 100 : 1),
                          marginal: jem.marginalWeight ?? 1, conditional: jem.conditionalWeight, energySquared: jem.energySquaredWeight)
    }

    /// Checks ranges and names; the message names the setting.
    public func validated() throws -> TrainingConfiguration {
        func fail(_ key: String, _ problem: String) -> ConfigurationError { .invalid(key: key, problem: problem) }
        let objectives = ["ce", "jem"] + ScoreMatchingSettings.objectives + LearnedSamplerSettings.objectives
        guard objectives.contains(objective) else {
            throw fail("objective", "'\(objective)' is not available (available: \(objectives.joined(separator: ", ")))")
        }
        if let samplerPrecision, ConvolutionPrecision(rawValue: samplerPrecision) == nil {
            throw fail("sampler-precision", "'\(samplerPrecision)' is not float32 or bfloat16")
        }
        if objective == "jem" { try jemSettings.validate(classes: nil) }
        if isScoreMatching { try scoreMatchingSettings.validate() }
        guard learningRate > 0, learningRate.isFinite else { throw fail("lr", "must be a positive number") }
        guard (0..<1).contains(beta1), (0..<1).contains(beta2) else { throw fail(beta1 < 0 || beta1 >= 1 ? "beta1" : "beta2", "must lie in [0, 1)") }
        if isLearnedSampler {
            try (learnedSampler ?? LearnedSamplerOptions()).validate()
            do { try learnedSamplerSettings.validate() } catch let error as LearnedSamplerSettingsError { throw fail(error.key, error.problem) }
            try jemSettings.validate(classes: nil)
            // The generator is unconditional: there are no class-conditional samples.
            if jemSettings.classConditional || jemSettings.conditionalWeight != 0 {
                throw fail(jemSettings.conditionalWeight != 0 ? "pxy-weight" : "class-conditional",
                           "\(objective)'s generator is unconditional, so there is no p(x|y) term or class-conditional sampling (use --objective jem)")
            }
        }
        try guardSettings.validate()
        guard ModelSpecification(name: model) != nil else {
            throw fail("model", "'\(model)' is not a model (mlp, cnn-s, wrn-D-W with D = 6n+4, e.g. wrn-16-4, energy-mlp[-W])")
        }
        if ["esm", "ssm", "ssm-vr"].contains(objective), modelSpecification.isPiecewiseLinear {
            throw fail("model", "\(objective) needs the energy's input Hessian, which \(model)'s LeakyReLU network has as zero "
                       + "almost everywhere: use energy-mlp, or --objective dsm / mdsm")
        }
        if isUnconditionalEnergy, case .wideResNet = modelSpecification.architecture, normalization == .batch {
            throw fail("norm", "batch norm mixes samples, so a batch has no per-sample energy to match: use none, layer or group")
        }
        if !isUnconditionalEnergy, case .energyMLP = modelSpecification.architecture {
            throw fail("model", "energy-mlp has one output (an energy): train it with --objective esm, ssm, ssm-vr, dsm, mdsm, "
                       + "vera, meg or kim-bengio")
        }
        guard ["adam", "adamw", "sgd"].contains(optimizer) else { throw fail("optimizer", "'\(optimizer)' is not adam, adamw or sgd") }
        guard ["constant", "cosine", "step"].contains(schedule) else { throw fail("schedule", "'\(schedule)' is not constant, cosine or step") }
        guard schedule != "step" || stepEvery != nil || !milestones.isEmpty else {
            throw fail("schedule", "step decay needs step-every or milestones")
        }
        guard batchSize >= 1 else { throw fail("batch-size", "must be at least 1") }
        guard evaluationBatchSize >= 1 else { throw fail("evaluation-batch-size", "must be at least 1") }
        guard epochs >= 1 else { throw fail("epochs", "must be at least 1") }
        if let steps, steps < 1 { throw fail("steps", "must be at least 1") }
        guard (0..<1).contains(dropout) else { throw fail("dropout", "must be in [0, 1)") }
        guard noise >= 0, cropPadding >= 0, warmupSteps >= 0, validationSize >= 0 else {
            throw fail(noise < 0 ? "noise" : cropPadding < 0 ? "crop-padding" : warmupSteps < 0 ? "warmup" : "validation-size",
                       "must not be negative")
        }
        if let clipNorm, !(clipNorm > 0) { throw fail("clip-norm", "must be positive") }
        if let checkpointEvery, checkpointEvery < 1 { throw fail("checkpoint-every", "must be at least 1") }
        if let channels, channels != 1 && channels != 3 { throw fail("channels", "must be 1 (grey) or 3 (RGB), not \(channels)") }
        return self
    }

    /// The model this configuration names.
    public var modelSpecification: ModelSpecification {
        ModelSpecification(name: model, normalization: normalization, dropout: dropout)!
    }

    /// The optimiser this configuration names.
    public func makeOptimizer() -> any Optimizer {
        switch optimizer {
        case "sgd": return SGD(momentum: momentum, nesterov: nesterov, weightDecay: weightDecay)
        case "adamw": return Adam(beta1: beta1, beta2: beta2, weightDecay: weightDecay, decoupledWeightDecay: true)
        default: return Adam(beta1: beta1, beta2: beta2, weightDecay: weightDecay)
        }
    }

    /// The learning-rate schedule over `totalSteps`, with epochs of `stepsPerEpoch` steps.
    public func makeSchedule(totalSteps: Int, stepsPerEpoch: Int) -> LearningRateSchedule {
        let decay: LearningRateSchedule.Decay
        switch schedule {
        case "cosine": decay = .cosine(totalSteps: totalSteps, minimum: 0)
        case "step": decay = .step(every: stepEvery.map { $0 * stepsPerEpoch }, milestones: milestones.map { $0 * stepsPerEpoch }, gamma: gamma)
        default: decay = .constant
        }
        return LearningRateSchedule(base: learningRate, decay: decay, warmupSteps: warmupSteps)
    }
}

/// A setting that is missing, misspelt or out of range.
public enum ConfigurationError: Error, CustomStringConvertible, Equatable {
    case invalid(key: String, problem: String)
    case unknownKey(String, file: String)
    case wrongType(key: String, expected: String, file: String)
    case unreadable(file: String, problem: String)

    public var description: String {
        switch self {
        case .invalid(let key, let problem): return "setting '\(key)': \(problem)"
        case .unknownKey(let key, let file): return "\(file): unknown setting '\(key)'"
        case .wrongType(let key, let expected, let file): return "\(file): setting '\(key)' must be \(expected)"
        case .unreadable(let file, let problem): return "\(file): \(problem)"
        }
    }
}
