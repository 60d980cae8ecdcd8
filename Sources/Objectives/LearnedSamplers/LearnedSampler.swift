import Foundation
import Layers
import Optimizers
import Tensors

/// The generator side of a learned-sampler run: the generator module (generator, VERA's
/// log σ, MEG's statistics network), its Adam, VERA's posterior and the posterior's Adam.
/// The energy stays with its trainer; this type draws the negatives for the energy's step
/// and takes the generator's step against the energy it is handed.
///
/// Its whole state goes into a checkpoint (`state`, `restoring`), so a resumed run continues
/// exactly: the module's tensors (batch-norm running statistics included), both optimisers'
/// moments and VERA's posterior scale.
public struct LearnedSampler {
    /// The sampler's settings, with `latentSize` resolved from the sample size (never 0).
    public var settings: LearnedSamplerSettings
    /// The trained parameters: the generator, VERA's log σ and MEG's statistics network.
    public var module: GeneratorModule
    /// Adam over the whole `module`, at the settings' β₁ and β₂ (VERA's (0, 0.9) by default).
    public var generatorOptimizer: Adam
    /// Adam over VERA's posterior log-scales, at Adam's default β (0.9, 0.999); unused for the other estimates.
    public var posteriorOptimizer: Adam
    /// VERA's entropy estimator with its posterior scale (Grathwohl et al. 2021); nil for MEG and Kim & Bengio.
    public var vera: VariationalEntropy?

    /// A fresh sampler: `generator` maps [N, latentSize] to samples of `sampleSize` values
    /// (MEG's statistics network reads them flattened).
    public init(
        settings: LearnedSamplerSettings, generator: AnyLayer, sampleSize: Int, using rng: inout SeededGenerator
    ) {
        var settings = settings
        settings.latentSize = settings.latentSize(forSampleSize: sampleSize)
        self.settings = settings
        let statistics: AnyLayer =
            settings.estimate == .meg
            ? AnyLayer(
                MutualInformationEntropy.statisticsNetwork(
                    sampleSize: sampleSize, latentSize: settings.latentSize,
                    width: settings.statisticsWidth, using: &rng))
            : AnyLayer(Sequential([]))
        vera =
            settings.estimate == .vera
            ? VariationalEntropy(
                latentSize: settings.latentSize, sigma: settings.sigmaRange.lowerBound,
                importanceSamples: settings.importanceSamples, sigmaRange: settings.sigmaRange)
            : nil
        module = GeneratorModule(generator: generator, logSigma: vera?.logSigma ?? Tensor(0), statistics: statistics)
        generatorOptimizer = Adam(beta1: settings.beta1, beta2: settings.beta2)
        posteriorOptimizer = Adam()
    }

    /// Samples for the energy's step, drawn as the generator trains (batch-norm batch
    /// statistics), without a gradient.
    public func negatives(count: Int, using rng: inout SeededGenerator) -> Tensor {
        LearnedSamplerLoss.sample(
            module, estimate: settings.estimate, count: count, latentSize: settings.latentSize,
            isTraining: true, using: &rng
        ).x
    }

    /// Samples in evaluation mode (batch-norm running statistics), without a gradient.
    public func samples(count: Int, using rng: inout SeededGenerator) -> Tensor {
        LearnedSamplerLoss.sample(
            module, estimate: settings.estimate, count: count, latentSize: settings.latentSize,
            isTraining: false, using: &rng
        ).x
    }

    /// VERA's output noise σ (nil for the other estimates).
    public var sigma: Float? { vera == nil ? nil : Foundation.exp(module.logSigma.scalar) }

    /// One generator step at `count` fresh latents against `energy` (held constant: pass a
    /// detached model), at `learningRate`; then, for VERA, the σ clamp and one posterior step
    /// at `posteriorLearningRate`. Returns the generator's loss, its entropy diagnostic and the
    /// samples' mean energy.
    public mutating func generatorStep(
        energy: (Tensor) -> Tensor, count: Int, learningRate: Float, posteriorLearningRate: Float,
        using rng: inout SeededGenerator
    ) -> (loss: Float, entropy: Float, sampleEnergy: Float) {
        let s = settings
        let vera = self.vera
        let state = ForwardState(isTraining: true, generator: SeededGenerator(seed: rng.next()))
        var entropy: Float = 0
        var sampleEnergy: Float = 0
        let (loss, gradient) = valueWithGradient(at: module) { m -> Tensor in
            let result = LearnedSamplerLoss.generatorLoss(
                m, estimate: s.estimate, vera: vera, energy: energy, count: count,
                latentSize: s.latentSize, entropyWeight: s.entropyWeight, state: state,
                using: &rng)
            (entropy, sampleEnergy) = (result.entropy, result.sampleEnergy)
            return result.loss
        }
        generatorOptimizer.update(&module, along: gradient, learningRate: learningRate)
        module = module.applyingBufferUpdates(from: state)

        if var estimator = self.vera {
            estimator.logSigma = module.logSigma
            estimator.clampSigma()
            module.logSigma = estimator.logSigma
            let (x, h) = LearnedSamplerLoss.sample(
                module, estimate: .vera, count: count, latentSize: s.latentSize, isTraining: true,
                using: &rng)
            estimator.fitPosterior(
                module.generator, logSigma: module.logSigma, x: x, h: h, isTraining: true,
                optimizer: &posteriorOptimizer, learningRate: posteriorLearningRate, using: &rng)
            self.vera = estimator
        }
        return (loss.scalar, entropy, sampleEnergy)
    }

    // MARK: Checkpoints

    static let modulePrefix = "sampler.", generatorOptimizerPrefix = "sampler_optimizer.",
        posteriorOptimizerPrefix = "posterior_optimizer.", posteriorKey = "posterior_log_sigma"

    /// Everything a resumed run needs, as named tensors: `sampler.*` (the module's tensors
    /// under their names), `sampler_optimizer.*`, and for VERA `posterior_log_sigma` and
    /// `posterior_optimizer.*`.
    public var state: [String: Tensor] {
        var result: [String: Tensor] = [:]
        for (slot, tensor) in module.namedTensors { result[Self.modulePrefix + slot.name] = tensor }
        for (key, tensor) in generatorOptimizer.state { result[Self.generatorOptimizerPrefix + key] = tensor }
        if let vera {
            result[Self.posteriorKey] = vera.posteriorLogSigma
            for (key, tensor) in posteriorOptimizer.state { result[Self.posteriorOptimizerPrefix + key] = tensor }
        }
        return result
    }

    /// Whether `key` of a checkpoint's state belongs to a learned sampler.
    public static func owns(_ key: String) -> Bool {
        [modulePrefix, generatorOptimizerPrefix, posteriorOptimizerPrefix].contains { key.hasPrefix($0) }
            || key == posteriorKey
    }

    /// This sampler with the state saved by `state`; a missing or misshapen tensor is an
    /// error naming it.
    public func restoring(_ saved: [String: Tensor]) throws -> LearnedSampler {
        func part(_ prefix: String) -> [String: Tensor] {
            Dictionary(
                uniqueKeysWithValues: saved.filter { $0.key.hasPrefix(prefix) }.map {
                    (String($0.key.dropFirst(prefix.count)), $0.value)
                })
        }
        var result = self
        result.module = try module.loading(part(Self.modulePrefix))
        try result.generatorOptimizer.restore(part(Self.generatorOptimizerPrefix))
        if var estimator = vera {
            guard let posterior = saved[Self.posteriorKey], posterior.shape == estimator.posteriorLogSigma.shape else {
                throw OptimizerStateError(
                    "\(Self.posteriorKey): missing, or not of shape \(estimator.posteriorLogSigma.shape)")
            }
            estimator.posteriorLogSigma = posterior
            estimator.logSigma = result.module.logSigma
            result.vera = estimator
            try result.posteriorOptimizer.restore(part(Self.posteriorOptimizerPrefix))
        }
        return result
    }
}
