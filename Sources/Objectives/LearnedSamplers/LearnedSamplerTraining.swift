import Foundation
import Layers
import Optimizers
import Tensors

/// The settings of a learned-sampler run, with VERA's reference values where it has them
/// (docs/research/learned-samplers.md §3.2): Adam with β (0, 0.9) for the energy and the
/// generator, entropy weight 1, σ in 0.01…0.3, 20 importance samples, posterior lr 0.02.
/// The gradient penalty's 0.1 is VERA's JEM command's (its argparse default is 0).
public struct LearnedSamplerSettings: Sendable, Equatable, Codable {
    /// The objectives these settings serve, by their command-line names.
    public static let objectives = EntropyEstimate.allCases.map(\.rawValue)

    /// How the generator's entropy is estimated: VERA (the default), MEG or Kim & Bengio.
    public var estimate = EntropyEstimate.vera
    /// The generator by name (`GeneratorSpecification`: mlp[-W] or deconv[-F]).
    public var generator = "mlp"
    /// The generator's latent size; 0 picks by the samples' size: 2 for points of up to 16
    /// values (VERA's toy setting), 128 for images (its JEM setting).
    public var latentSize = 0
    /// Weight λ of the entropy term in the generator's loss mean E(x̂) − λ·Ĥ, Ĥ the estimate's entropy term
    /// (VERA's surrogate, MEG's mutual-information bound, Kim & Bengio's batch-norm entropy).
    public var entropyWeight: Float = 1
    /// Weight γ of the zero-centred gradient penalty (γ/2)·mean ‖∇ₓE(data)‖².
    public var gradientPenalty: Float = 0.1
    /// Weight of mean E(data)² + mean E(samples)².
    public var energySquared: Float = 0
    /// Adam's learning rate for the energy in `LearnedSamplerTraining`; `joule train` sets it to the run's own.
    public var energyLearningRate: Float = 1e-3
    /// The generator's Adam learning rate (scaled by the run's schedule in `joule train`).
    public var generatorLearningRate: Float = 1e-3
    /// The learning rate of VERA's posterior-scale step (VERA: 0.02).
    public var posteriorLearningRate: Float = 0.02
    /// Importance samples per data point in VERA's entropy-gradient estimate (VERA: 20).
    public var importanceSamples = 20
    /// The range VERA's output noise σ is clamped to after every step (VERA: 0.01…0.3).
    public var sigmaRange: ClosedRange<Float> = 0.01...0.3
    /// Width of MEG's statistics network.
    public var statisticsWidth = 128
    /// Adam's β for the generator (and, in `LearnedSamplerTraining`, the energy): VERA's (0, 0.9).
    public var beta1: Float = 0
    /// Adam's β₂ (see `beta1`).
    public var beta2: Float = 0.9

    /// VERA's reference settings (see the type's summary).
    public init() {}

    /// Checks ranges and names; the message names the setting by its command-line name.
    public func validate() throws {
        func fail(_ key: String, _ problem: String) -> LearnedSamplerSettingsError {
            LearnedSamplerSettingsError(key: key, problem: problem)
        }
        guard (0...65_536).contains(latentSize) else {
            throw fail("latent-size", "must be between 1 and 65536 (0: by the data)")
        }
        guard GeneratorSpecification(name: generator, latentSize: max(latentSize, 1)) != nil else {
            throw fail("generator", "'\(generator)' is not a generator (mlp, mlp-W, deconv, deconv-F)")
        }
        for (key, value) in [
            ("entropy-weight", entropyWeight), ("gradient-penalty", gradientPenalty), ("energy-l2", energySquared),
        ] {
            guard value >= 0, value.isFinite else { throw fail(key, "must be a non-negative number") }
        }
        for (key, value) in [
            ("generator-lr", generatorLearningRate), ("posterior-lr", posteriorLearningRate),
            ("lr", energyLearningRate),
        ] {
            guard value > 0, value.isFinite else { throw fail(key, "must be a positive number") }
        }
        guard (1...10_000).contains(importanceSamples) else {
            throw fail("importance-samples", "must be between 1 and 10000")
        }
        guard sigmaRange.lowerBound > 0, sigmaRange.upperBound.isFinite else {
            throw fail("vera-sigma-min", "σ's range must be positive and finite")
        }
        guard (1...65_536).contains(statisticsWidth) else {
            throw fail("statistics-width", "must be between 1 and 65536")
        }
        guard (0..<1).contains(beta1) else { throw fail("generator-beta1", "Adam's β₁ must lie in [0, 1)") }
        guard (0..<1).contains(beta2) else { throw fail("generator-beta2", "Adam's β₂ must lie in [0, 1)") }
    }

    /// The settings under their YAML / command-line names, for a run's parameters table.
    public var flattened: [String: String] {
        [
            "generator": generator, "latent-size": latentSize == 0 ? "by data" : "\(latentSize)",
            "entropy-weight": "\(entropyWeight)",
            "gradient-penalty": "\(gradientPenalty)", "generator-lr": "\(generatorLearningRate)",
            "posterior-lr": "\(posteriorLearningRate)", "importance-samples": "\(importanceSamples)",
            "vera-sigma-min": "\(sigmaRange.lowerBound)", "vera-sigma-max": "\(sigmaRange.upperBound)",
            "statistics-width": "\(statisticsWidth)", "generator-beta1": "\(beta1)", "generator-beta2": "\(beta2)",
        ]
    }

    /// The latent size in force for samples of `sampleSize` values.
    public func latentSize(forSampleSize sampleSize: Int) -> Int {
        latentSize > 0 ? latentSize : sampleSize <= 16 ? 2 : 128
    }
}

/// A learned-sampler setting out of range, by its command-line name.
public struct LearnedSamplerSettingsError: Error, CustomStringConvertible, Equatable {
    /// The setting's command-line name, e.g. `generator-lr`.
    public let key: String
    /// What is wrong with its value.
    public let problem: String
    /// The message as `joule` prints it: "setting 'KEY': PROBLEM".
    public var description: String { "setting '\(key)': \(problem)" }
}

/// One learned-sampler training state over an energy given as a layer with one output per
/// sample: the energy and its Adam, and the `LearnedSampler` (generator, its optimisers,
/// VERA's posterior). `step` runs one energy update against generator samples, then one
/// generator update against the updated energy. Where it differs from the reference code:
/// the generator step draws fresh latents (VERA reuses the energy step's samples); VERA's
/// posterior step follows the generator update on fresh samples (VERA's runs inside its
/// entropy term on the same ones); MEG and Kim & Bengio update the generator first, and MEG
/// takes 5 energy steps per generator step at β (0.5, 0.9) — one each here. The energy runs
/// in evaluation mode. `joule train` runs the same steps through the training loop's
/// `LearnedSamplerObjective` (unconditional energies in evaluation mode too; JEM's energy in
/// training mode in both steps), with the run's own optimiser and schedule.
public struct LearnedSamplerTraining {
    /// The energy E(x): a layer with one output per sample, trained by `energyOptimizer`.
    public var energy: AnyLayer
    /// Adam over the energy's parameters, at the settings' β₁ and β₂ and `energyLearningRate`.
    public var energyOptimizer: Adam
    /// The generator side: the generator module, its optimisers and VERA's posterior.
    public var sampler: LearnedSampler

    /// A fresh state: `generator` maps [N, latentSize] to samples shaped like the data.
    public init(
        settings: LearnedSamplerSettings, energy: AnyLayer, generator: AnyLayer, sampleSize: Int,
        using rng: inout SeededGenerator
    ) {
        self.energy = energy
        sampler = LearnedSampler(settings: settings, generator: generator, sampleSize: sampleSize, using: &rng)
        energyOptimizer = Adam(beta1: settings.beta1, beta2: settings.beta2)
    }

    /// The sampler's settings, with the latent size resolved.
    public var settings: LearnedSamplerSettings { sampler.settings }

    /// E(x) per sample from the energy layer's single output.
    public static func energyFunction(_ model: AnyLayer, context: ForwardContext) -> (Tensor) -> Tensor {
        { x in model(x, context: context).reshaped(to: [x.shape[0]]) }
    }

    /// Generator samples in evaluation mode (batch-norm running statistics), no gradient.
    public func samples(count: Int, using rng: inout SeededGenerator) -> Tensor {
        sampler.samples(count: count, using: &rng)
    }

    /// One energy step and one generator step on a data batch; returns what to log.
    public mutating func step(data: Tensor, using rng: inout SeededGenerator)
        -> (energyLoss: Float, generatorLoss: Float, entropy: Float, dataEnergy: Float, sampleEnergy: Float)
    {
        let s = settings
        let n = data.shape[0]
        let negatives = sampler.negatives(count: n, using: &rng)
        var dataEnergy: Float = 0
        let (energyLoss, energyGradient) = valueWithGradient(at: energy) { e -> Tensor in
            let terms = LearnedSamplerLoss.energyTerms(
                energy: Self.energyFunction(e, context: .inference()), data: data,
                samples: negatives, gradientPenalty: s.gradientPenalty,
                energySquared: s.energySquared)
            dataEnergy = terms.dataEnergy
            return terms.loss
        }
        energyOptimizer.update(&energy, along: energyGradient, learningRate: s.energyLearningRate)
        let generator = sampler.generatorStep(
            energy: Self.energyFunction(energy.detached, context: .inference()), count: n,
            learningRate: s.generatorLearningRate, posteriorLearningRate: s.posteriorLearningRate,
            using: &rng)
        return (energyLoss.scalar, generator.loss, generator.entropy, dataEnergy, generator.sampleEnergy)
    }
}
