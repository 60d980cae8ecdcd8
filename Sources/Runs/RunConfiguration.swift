import Foundation
import Layers
import Objectives
import Optimizers
import Settings
import Tensors

/// Everything that defines a training run, in typed groups of settings, each setting
/// declared once (`@Setting`). Resolved from the defaults, then a YAML file, then the command
/// line; stored with every checkpoint (and in the run store) so a run can be resumed and
/// reproduced exactly.
public struct RunConfiguration: Sendable, Equatable {
    /// What trains on what, for how long, how fast, and the seed.
    public var core = CoreSettings()
    /// Where the data is, how images are read, the validation hold-out and augmentation.
    public var data = DataSettings()
    /// The model's and the optimiser's finer settings.
    public var details = TrainingDetails()
    /// Where the run's files go and how often it checkpoints.
    public var output = OutputSettings()
    /// JEM's sampler and loss weights (the weights, energy penalty and labelled subset serve learned samplers too).
    public var jem = JEMSettings()
    /// When a step counts as diverged, and the remedies applied when it rolls back.
    public var divergenceGuard = DivergenceGuardSettings()
    /// The score-matching objectives' noise levels, projections and sampler.
    public var scoreMatching = ScoreMatchingSettings()
    /// The learned samplers' settings as given (each nil takes the default for the kind of run).
    public var learnedSampler = LearnedSamplerOptions()

    /// Every group's defaults.
    public init() {}

    /// Every name a YAML configuration may set.
    public static var settingKeys: Set<String> {
        Set(
            CoreSettings.settingKeys + DataSettings.settingKeys + TrainingDetails.settingKeys
                + OutputSettings.settingKeys
                + JEMSettings.settingKeys + DivergenceGuardSettings.settingKeys + ScoreMatchingSettings.settingKeys
                + LearnedSamplerOptions.settingKeys)
    }

    /// Sets what a YAML file gives, group by group.
    public mutating func apply(_ values: SettingValues) throws {
        try core.apply(values)
        try data.apply(values)
        try details.apply(values)
        try output.apply(values)
        try jem.apply(values)
        try divergenceGuard.apply(values)
        try scoreMatching.apply(values)
        try learnedSampler.apply(values)
    }

    /// The defaults with what the YAML file at `url` sets.
    public init(contentsOf url: URL) throws {
        self.init()
        try apply(contentsOf: url)
    }

    /// Sets what the YAML file at `url` gives.
    public mutating func apply(contentsOf url: URL) throws {
        try apply(SettingValues(contentsOf: url, knownKeys: Self.settingKeys))
    }

    /// The settings the run's objective uses, by key, as the run store records them: each
    /// as set, and for those whose default depends on the kind of run (the learned samplers',
    /// JEM's weights), the value in effect; the sampler precision this CPU really uses.
    public var params: [String: String] {
        let scope = core.objective.scope
        var result: [String: String] = [:]
        let groups: [[(key: String, value: String)]] = [
            core.params(in: scope), data.params(in: scope), details.params(in: scope), output.params(in: scope),
            jem.params(in: scope), divergenceGuard.params(in: scope), scoreMatching.params(in: scope),
            learnedSampler.params(in: scope),
        ]
        for case (let key, let value) in groups.joined() { result[key] = value }
        if core.objective == .jem { result["sampler-precision"] = jem.effectivePrecision.rawValue }
        if core.objective.isLearnedSampler {
            let resolved = learnedSamplerSettings
            let weights = jemWeights
            result["generator"] = resolved.generator
            result["latent-size"] = "\(resolved.latentSize)"
            result["entropy-weight"] = "\(resolved.entropyWeight)"
            result["gradient-penalty"] = "\(resolved.gradientPenalty)"
            result["generator-lr"] = "\(resolved.generatorLearningRate)"
            result["posterior-lr"] = "\(resolved.posteriorLearningRate)"
            result["px-weight"] = "\(weights.marginal)"
            result["pyx-weight"] = "\(weights.classification)"
            result["energy-l2"] = "\(weights.energySquared)"
        }
        return result
    }

    /// The settings a resumed run must keep that `given` changes, as "--key (run: a, given: b)".
    public func resumeConflicts(with given: RunConfiguration) -> [String] {
        core.resumeConflicts(with: given.core) + data.resumeConflicts(with: given.data)
            + details.resumeConflicts(with: given.details)
            + output.resumeConflicts(with: given.output) + jem.resumeConflicts(with: given.jem)
            + divergenceGuard.resumeConflicts(with: given.divergenceGuard)
            + scoreMatching.resumeConflicts(with: given.scoreMatching)
            + learnedSampler.resumeConflicts(with: given.learnedSampler)
    }

    /// The settings `new` changes from this configuration, as "lr 0.001 → 0.0005" (a setting
    /// left out is "unset"), in name order. Not counted: where the run's folder is written
    /// from (`checkpoint-dir`, which a resume from another folder spells out), the sampler
    /// precision a CPU falls back to (the setting is compared, not what runs), and the
    /// channels a run recorded before the setting existed read its images with.
    public func changes(to new: RunConfiguration) -> [String] {
        var before = params
        var after = new.params
        before["checkpoint-dir"] = nil
        after["checkpoint-dir"] = nil
        if before["channels"] == nil { after["channels"] = nil }
        // The precision asked for, not the one this CPU runs: a run resumed on another machine
        // changed no setting.
        if before["sampler-precision"] != nil { before["sampler-precision"] = jem.samplerPrecision.rawValue }
        if after["sampler-precision"] != nil { after["sampler-precision"] = new.jem.samplerPrecision.rawValue }
        return Set(before.keys).union(after.keys).sorted().compactMap { key in
            before[key] == after[key] ? nil : "\(key) \(before[key] ?? "unset") → \(after[key] ?? "unset")"
        }
    }

    /// The configuration as sorted JSON text (the run store's copy).
    public var jsonText: String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return (try? encoder.encode(self)).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
    }
}

// MARK: - What the settings give

extension RunConfiguration {
    /// Whether the run trains a single-output energy with no classes: score matching, or a
    /// learned sampler on a toy density or an energy-mlp. A learned sampler with a classifier
    /// is JEM with a generator in place of SGLD.
    public var isUnconditionalEnergy: Bool {
        let objective = core.objective
        guard !objective.isScoreMatching else { return true }
        guard objective.isLearnedSampler else { return false }
        return core.dataset.isToy || core.model.isEnergy
    }

    /// The learned samplers' settings in effect: the entropy estimate from the objective, the
    /// defaults by the kind of run (JEM on a classifier, or an unconditional energy).
    public var learnedSamplerSettings: LearnedSamplerSettings {
        learnedSampler.resolved(
            estimate: core.objective.entropyEstimate ?? .vera, forJEM: !isUnconditionalEnergy,
            energyLearningRate: core.learningRate)
    }

    /// The weights of JEM's terms in effect: JEM's settings, whose unset p(x) and p(y|x)
    /// weights are 1 and 1 with SGLD, and VERA's reference 1 and 100 with a learned sampler.
    public var jemWeights: JEMWeights {
        JEMWeights(
            classification: jem.classificationWeight ?? (core.objective.isLearnedSampler ? 100 : 1),
            marginal: jem.marginalWeight ?? 1, conditional: jem.conditionalWeight,
            energySquared: jem.energySquaredWeight)
    }

    /// The model this configuration names.
    public var modelSpecification: ModelSpecification {
        ModelSpecification(
            architecture: core.model.architecture, normalization: details.normalization, dropout: details.dropout)
    }

    /// The optimiser this configuration names.
    public func makeOptimizer() -> any Optimizer {
        let d = details
        switch core.optimizer {
        case .sgd: return SGD(momentum: d.momentum, nesterov: d.nesterov, weightDecay: d.weightDecay)
        case .adamw: return Adam(beta1: d.beta1, beta2: d.beta2, weightDecay: d.weightDecay, decoupledWeightDecay: true)
        case .adam: return Adam(beta1: d.beta1, beta2: d.beta2, weightDecay: d.weightDecay)
        }
    }

    /// The learning-rate schedule over `totalSteps`, with epochs of `stepsPerEpoch` steps.
    public func makeSchedule(totalSteps: Int, stepsPerEpoch: Int) -> LearningRateSchedule {
        let decay: LearningRateSchedule.Decay
        switch core.schedule {
        case .cosine: decay = .cosine(totalSteps: totalSteps, minimum: 0)
        case .step:
            decay = .step(
                every: details.stepEvery.map { $0 * stepsPerEpoch },
                milestones: details.milestones.values.map { $0 * stepsPerEpoch },
                gamma: details.gamma)
        case .constant: decay = .constant
        }
        return LearningRateSchedule(base: core.learningRate, decay: decay, warmupSteps: core.warmupSteps)
    }
}
