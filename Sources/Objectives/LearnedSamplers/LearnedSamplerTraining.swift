import Foundation
import Layers
import Optimizers
import Tensors

/// The settings of a learned-sampler run, with VERA's reference values where it has them
/// (docs/research/learned-samplers.md §3.2): Adam with β (0, 0.9) for the energy and the
/// generator, entropy weight 1, σ in 0.01…0.3, 20 importance samples, posterior lr 0.02.
/// The gradient penalty's 0.1 is VERA's JEM command's (its argparse default is 0).
public struct LearnedSamplerSettings: Sendable, Equatable, Codable {
    public var estimate = EntropyEstimate.vera
    public var latentSize = 2
    public var entropyWeight: Float = 1
    /// Weight γ of the zero-centred gradient penalty (γ/2)·mean ‖∇ₓE(data)‖².
    public var gradientPenalty: Float = 0.1
    /// Weight of mean E(data)² + mean E(samples)².
    public var energySquared: Float = 0
    public var energyLearningRate: Float = 1e-3
    public var generatorLearningRate: Float = 1e-3
    public var posteriorLearningRate: Float = 0.02
    public var importanceSamples = 20
    public var sigmaRange: ClosedRange<Float> = 0.01...0.3
    /// Width of MEG's statistics network.
    public var statisticsWidth = 128

    public init() {}
}

/// One learned-sampler training state over an energy given as a layer with one output per
/// sample: the energy, the generator module, the three optimisers (energy; generator with
/// σ and the statistics network; VERA's posterior) and VERA's estimator. `step` runs one
/// energy update against generator samples, then one generator update against the updated
/// energy, then (VERA) one posterior step and the σ clamp. Where it differs from the
/// reference code: the generator step draws fresh latents (VERA reuses the energy step's
/// samples); VERA's posterior step follows the generator update on fresh samples (VERA's
/// runs inside its entropy term on the same ones); MEG and Kim & Bengio update the generator
/// first, and MEG takes 5 energy steps per generator step at β (0.5, 0.9) — one each here.
/// The energy runs in evaluation mode: energies with dropout or batch norm are not yet
/// supported here. Not yet checkpointed: the posterior scale and the optimisers' state.
public struct LearnedSamplerTraining {
    public var settings: LearnedSamplerSettings
    public var energy: AnyLayer
    public var module: GeneratorModule
    public var energyOptimizer: Adam
    public var generatorOptimizer: Adam
    public var posteriorOptimizer: Adam
    public var vera: VariationalEntropy?

    /// A fresh state: `generator` maps [N, latentSize] to samples shaped like the data.
    public init(settings: LearnedSamplerSettings, energy: AnyLayer, generator: AnyLayer, sampleSize: Int,
                using rng: inout SeededGenerator) {
        self.settings = settings
        self.energy = energy
        let statistics: AnyLayer = settings.estimate == .meg
            ? AnyLayer(MutualInformationEntropy.statisticsNetwork(sampleSize: sampleSize, latentSize: settings.latentSize,
                                                                  width: settings.statisticsWidth, using: &rng))
            : AnyLayer(Sequential([]))
        vera = settings.estimate == .vera
            ? VariationalEntropy(latentSize: settings.latentSize, sigma: settings.sigmaRange.lowerBound,
                                 importanceSamples: settings.importanceSamples, sigmaRange: settings.sigmaRange)
            : nil
        module = GeneratorModule(generator: generator, logSigma: vera?.logSigma ?? Tensor(0), statistics: statistics)
        energyOptimizer = Adam(beta1: 0, beta2: 0.9)
        generatorOptimizer = Adam(beta1: 0, beta2: 0.9)
        posteriorOptimizer = Adam()
    }

    /// E(x) per sample from the energy layer's single output.
    public static func energyFunction(_ model: AnyLayer, context: ForwardContext) -> (Tensor) -> Tensor {
        { x in model(x, context: context).reshaped(to: [x.shape[0]]) }
    }

    /// Generator samples in evaluation mode (batch-norm running statistics), no gradient.
    public func samples(count: Int, using rng: inout SeededGenerator) -> Tensor {
        LearnedSamplerLoss.sample(module, estimate: settings.estimate, count: count, latentSize: settings.latentSize,
                                  isTraining: false, using: &rng).x
    }

    /// One energy step and one generator step on a data batch; returns what to log.
    public mutating func step(data: Tensor, using rng: inout SeededGenerator)
        -> (energyLoss: Float, generatorLoss: Float, entropy: Float, dataEnergy: Float, sampleEnergy: Float) {
        let s = settings, n = data.shape[0]
        // The energy's step, against samples drawn as the generator trains (batch statistics).
        let negatives = LearnedSamplerLoss.sample(module, estimate: s.estimate, count: n, latentSize: s.latentSize,
                                                  isTraining: true, using: &rng).x
        var dataEnergy: Float = 0
        let (energyLoss, energyGradient) = valueWithGradient(at: energy) { e -> Tensor in
            let terms = LearnedSamplerLoss.energyTerms(energy: Self.energyFunction(e, context: .inference()), data: data,
                                                       samples: negatives, gradientPenalty: s.gradientPenalty,
                                                       energySquared: s.energySquared)
            dataEnergy = terms.dataEnergy
            return terms.loss
        }
        energyOptimizer.update(&energy, along: energyGradient, learningRate: s.energyLearningRate)

        // The generator's step against the updated energy (held constant).
        let fixed = Self.energyFunction(energy.detached, context: .inference())
        let state = ForwardState(isTraining: true, generator: SeededGenerator(seed: rng.next()))
        var entropy: Float = 0, sampleEnergy: Float = 0
        let vera = self.vera
        let (generatorLoss, generatorGradient) = valueWithGradient(at: module) { m -> Tensor in
            let result = LearnedSamplerLoss.generatorLoss(m, estimate: s.estimate, vera: vera, energy: fixed, count: n,
                                                          latentSize: s.latentSize, entropyWeight: s.entropyWeight, state: state,
                                                          using: &rng)
            (entropy, sampleEnergy) = (result.entropy, result.sampleEnergy)
            return result.loss
        }
        generatorOptimizer.update(&module, along: generatorGradient, learningRate: s.generatorLearningRate)
        module = module.applyingBufferUpdates(from: state)

        if var estimator = self.vera {
            estimator.logSigma = module.logSigma
            estimator.clampSigma()
            module.logSigma = estimator.logSigma
            let (x, h) = LearnedSamplerLoss.sample(module, estimate: .vera, count: n, latentSize: s.latentSize, isTraining: true,
                                                   using: &rng)
            estimator.fitPosterior(module.generator, logSigma: module.logSigma, x: x, h: h, isTraining: true,
                                   optimizer: &posteriorOptimizer, learningRate: s.posteriorLearningRate, using: &rng)
            self.vera = estimator
        }
        return (energyLoss.scalar, generatorLoss.scalar, entropy, dataEnergy, sampleEnergy)
    }
}
