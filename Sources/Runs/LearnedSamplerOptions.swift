import Objectives
import Settings

/// The learned-sampler settings a run was given (`--generator`, `--entropy-weight`, …); each
/// one left nil takes the default for the kind of run (`RunConfiguration
/// .learnedSamplerSettings`), because VERA's reference differs between an unconditional
/// energy and JEM. Stored in the configuration as given, so a run's record says what was
/// chosen and what was left to the defaults.
@SettingsGroup(title: "Learned samplers (vera, meg, kim-bengio)")
public struct LearnedSamplerOptions: Sendable, Equatable {
    /// The generator, `mlp[-W]` or `deconv[-F]`; nil: `mlp`. A resumed run keeps it.
    @Setting(
        "The generator: mlp[-W] (width W, default 500) or deconv[-F] (28×28 images, F base features, default 64).",
        resume: .fixed, for: .learnedSamplers)
    public var generator: String?
    /// The generator's latent size; nil picks by the data: 2 for points, 128 for images.
    @Setting("Latent size (default: 2 for points, 128 for images).", resume: .fixed, for: .learnedSamplers)
    public var latentSize: Int?
    /// Weight of the entropy term in the generator's loss; nil: 1e-4 for JEM, 1 for an unconditional energy.
    @Setting(
        "Weight of the entropy term in the generator's loss (default: 1e-4 for JEM, 1 for an unconditional energy).",
        for: .learnedSamplers)
    public var entropyWeight: Float?
    /// Weight γ of the energy's gradient penalty (γ/2)·mean ‖∇ₓE(data)‖²; nil: 0.1.
    @Setting("Weight γ of the gradient penalty (γ/2)·mean ‖∇ₓE(data)‖² (default: 0.1).", for: .learnedSamplers)
    public var gradientPenalty: Float?
    /// The generator's learning rate (`generator-lr`); nil: twice `lr` for JEM, `lr` for an unconditional energy.
    @Setting(
        "The generator's learning rate (default: twice --lr for JEM, --lr for an unconditional energy).",
        key: "generator-lr",
        for: .learnedSamplers)
    public var generatorLearningRate: Float?
    /// VERA: the posterior's learning rate (`posterior-lr`); nil: `lr` for JEM, 0.02 for an unconditional energy.
    @Setting(
        "VERA: the posterior's learning rate (default: --lr for JEM, 0.02 for an unconditional energy).",
        key: "posterior-lr",
        for: .learnedSamplers)
    public var posteriorLearningRate: Float?
    /// VERA: importance samples per generated point in the entropy gradient's estimate; nil: 20.
    @Setting("VERA: importance samples per generated point (default: 20).", for: .learnedSamplers)
    public var importanceSamples: Int?
    /// VERA's σ bounds, checked together in `validate`.
    @Setting(
        "VERA: smallest output noise σ, also its start (default: 0.01).", key: "vera-sigma-min", for: .learnedSamplers)
    public var sigmaMinimum: Float?
    /// VERA: the largest output noise σ (`vera-sigma-max`); nil: 0.3.
    @Setting("VERA: largest output noise σ (default: 0.3).", key: "vera-sigma-max", for: .learnedSamplers)
    public var sigmaMaximum: Float?
    /// MEG: width of the statistics network; nil: 128. A resumed run keeps it.
    @Setting("MEG: width of the statistics network (default: 128).", resume: .fixed, for: .learnedSamplers)
    public var statisticsWidth: Int?
    /// Adam's β₁ for the generator (`generator-beta1`); nil: 0, VERA's.
    @Setting("The generator's Adam β₁ (default: 0).", key: "generator-beta1", for: .learnedSamplers)
    public var beta1: Float?
    /// Adam's β₂ for the generator (`generator-beta2`); nil: 0.9, VERA's.
    @Setting("The generator's Adam β₂ (default: 0.9).", key: "generator-beta2", for: .learnedSamplers)
    public var beta2: Float?

    /// Nothing given: every setting takes the default for the kind of run.
    public init() {}

    /// Checks what `resolved` cannot: that the σ bounds, set in either order, form a range.
    public func validate() throws {
        let defaults = LearnedSamplerSettings().sigmaRange
        let low = sigmaMinimum ?? defaults.lowerBound
        let high = sigmaMaximum ?? defaults.upperBound
        guard low > 0, low.isFinite else {
            throw ConfigurationError.invalid(key: "vera-sigma-min", problem: "must be a positive number")
        }
        guard high.isFinite, high >= low else {
            throw ConfigurationError.invalid(
                key: "vera-sigma-max", problem: "must be a number at least vera-sigma-min (\(low))")
        }
    }

    /// The settings in force for `estimate`, with `energyLearningRate` the run's own. The
    /// defaults follow VERA (docs/research/learned-samplers.md §3): for an unconditional
    /// energy its argparse values — entropy weight 1, the generator at the energy's learning
    /// rate, the posterior at 0.02; for JEM (`forJEM`) its reference command — entropy weight
    /// 1e-4, the generator at twice the energy's rate (6e-5 against 3e-5), the posterior at
    /// the energy's. Both: gradient penalty 0.1, Adam β (0, 0.9), 20 importance samples,
    /// σ in 0.01…0.3. The rate defaults assume the energy's optimiser is Adam, as VERA's is
    /// (with SGD's larger rates, set `generator-lr` and `posterior-lr`).
    public func resolved(estimate: EntropyEstimate, forJEM: Bool, energyLearningRate: Float) -> LearnedSamplerSettings {
        var s = LearnedSamplerSettings()
        s.estimate = estimate
        s.energyLearningRate = energyLearningRate
        if let generator { s.generator = generator }
        if let latentSize { s.latentSize = latentSize }
        s.entropyWeight = entropyWeight ?? (forJEM ? 1e-4 : 1)
        if let gradientPenalty { s.gradientPenalty = gradientPenalty }
        s.generatorLearningRate = generatorLearningRate ?? (forJEM ? 2 * energyLearningRate : energyLearningRate)
        s.posteriorLearningRate = posteriorLearningRate ?? (forJEM ? energyLearningRate : 0.02)
        if let importanceSamples { s.importanceSamples = importanceSamples }
        let low = sigmaMinimum ?? s.sigmaRange.lowerBound
        let high = sigmaMaximum ?? s.sigmaRange.upperBound
        if low <= high { s.sigmaRange = low...high }
        if let statisticsWidth { s.statisticsWidth = statisticsWidth }
        if let beta1 { s.beta1 = beta1 }
        if let beta2 { s.beta2 = beta2 }
        return s
    }
}
