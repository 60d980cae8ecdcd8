import Objectives

/// The learned-sampler settings a run was given (`--generator`, `--entropy-weight`, …); each
/// one left nil takes the default for the kind of run (`TrainingConfiguration
/// .learnedSamplerSettings`), because VERA's reference differs between an unconditional
/// energy and JEM. Stored in the configuration as given, so a run's record says what was
/// chosen and what was left to the defaults.
public struct LearnedSamplerOptions: Codable, Sendable, Equatable {
    public var generator: String?
    public var latentSize: Int?
    public var entropyWeight: Float?
    public var gradientPenalty: Float?
    public var generatorLearningRate: Float?
    public var posteriorLearningRate: Float?
    public var importanceSamples: Int?
    /// VERA's σ bounds (`vera-sigma-min`, `vera-sigma-max`), checked together in `validate`.
    public var sigmaMinimum: Float?
    public var sigmaMaximum: Float?
    public var statisticsWidth: Int?
    public var beta1: Float?
    public var beta2: Float?

    public init() {}

    /// Checks what `resolved` cannot: that the σ bounds, set in either order, form a range.
    func validate() throws {
        let defaults = LearnedSamplerSettings().sigmaRange
        let low = sigmaMinimum ?? defaults.lowerBound, high = sigmaMaximum ?? defaults.upperBound
        guard low > 0, low.isFinite else { throw ConfigurationError.invalid(key: "vera-sigma-min", problem: "must be a positive number") }
        guard high.isFinite, high >= low else {
            throw ConfigurationError.invalid(key: "vera-sigma-max", problem: "must be a number at least vera-sigma-min (\(low))")
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
        let low = sigmaMinimum ?? s.sigmaRange.lowerBound, high = sigmaMaximum ?? s.sigmaRange.upperBound
        if low <= high { s.sigmaRange = low...high }
        if let statisticsWidth { s.statisticsWidth = statisticsWidth }
        if let beta1 { s.beta1 = beta1 }
        if let beta2 { s.beta2 = beta2 }
        return s
    }
}
