import Datasets
import Foundation
import Layers
import Objectives
import Tensors

/// What `--objective vera|meg|kim-bengio` adds to a training run: the learned sampler
/// (generator, its optimisers, VERA's posterior), built from the configuration, saved in
/// and restored from checkpoints under `state.sampler*`, and the generator's step taken after
/// each energy update. The energy's own step stays with its trainer: `EnergyTrainer` for an
/// unconditional energy, `ClassifierTrainer` for JEM (`LearnedSamplerLoss.jemEnergyLoss`).
struct LearnedSamplerRun {
    var sampler: LearnedSampler

    /// A fresh sampler for samples of `sampleShape` ([2] for points, [C, H, W] for images),
    /// from its own seeded stream.
    init(configuration c: TrainingConfiguration, sampleShape: [Int]) throws {
        var rng = SeededGenerator(seed: c.seed &+ 5)
        sampler = try Self.makeSampler(c, sampleShape: sampleShape, using: &rng)
    }

    /// The sampler saved in a checkpoint's state.
    init(configuration c: TrainingConfiguration, sampleShape: [Int], restoring state: [String: Tensor], path: String) throws {
        // The generator is sized from the checkpoint's own claims: refuse one needing more
        // values than the checkpoint stores before anything is allocated.
        let specification = try Self.generatorSpecification(c, sampleShape: sampleShape)
        let needed = specification.parameterCount(producing: sampleShape)
        let stored = state.filter { $0.key.hasPrefix("sampler.generator.") }.values.reduce(0.0) { $0 + Double($1.scalarCount) }
        guard needed <= stored else {
            throw TrainingError.badCheckpoint(path: path, problem: "its configuration describes a \(specification.name) generator of "
                                              + "\(Int(min(needed, 1e18))) parameters, but it holds only \(Int(stored)) generator values")
        }
        try self.init(configuration: c, sampleShape: sampleShape)
        do {
            sampler = try sampler.restoring(state.filter { LearnedSampler.owns($0.key) })
        } catch {
            throw TrainingError.badCheckpoint(path: path, problem: "the learned sampler's state: \(error)")
        }
    }

    /// The generator the configuration names, for samples of `sampleShape`. Kim & Bengio's
    /// estimate sees only batch-normalised units, so a point generator gets a batch norm on
    /// its output (its hidden units are normalised already; image generators end in tanh).
    static func makeSampler(_ c: TrainingConfiguration, sampleShape: [Int], using rng: inout SeededGenerator) throws -> LearnedSampler {
        let settings = c.learnedSamplerSettings
        let sampleSize = sampleShape.reduce(1, *)
        let specification = try generatorSpecification(c, sampleShape: sampleShape)
        var body = specification.make(producing: sampleShape, using: &rng)
        if settings.estimate == .kimBengio, sampleShape.count == 1 { body = Sequential(body.layers + [BatchNorm(channels: sampleSize)]) }
        return LearnedSampler(settings: settings, generator: AnyLayer(body), sampleSize: sampleSize, using: &rng)
    }

    /// The generator the configuration names for samples of `sampleShape`, once it is known
    /// to produce them within `ModelSpecification.maximumParameterCount` parameters.
    static func generatorSpecification(_ c: TrainingConfiguration, sampleShape: [Int]) throws -> GeneratorSpecification {
        let settings = c.learnedSamplerSettings
        let latent = settings.latentSize(forSampleSize: sampleShape.reduce(1, *))
        guard let specification = GeneratorSpecification(name: settings.generator, latentSize: latent) else {
            throw ConfigurationError.invalid(key: "generator", problem: "'\(settings.generator)' is not a generator (mlp[-W], deconv[-F])")
        }
        if let problem = specification.problem(producing: sampleShape) { throw ConfigurationError.invalid(key: "generator", problem: problem) }
        let size = specification.parameterCount(producing: sampleShape)
        guard size <= Double(ModelSpecification.maximumParameterCount) else {
            throw ConfigurationError.invalid(key: "generator", problem: "\(specification.name) with latent size \(latent) for samples \(sampleShape) would have "
                                             + "\(size.formatted(.number.notation(.scientific))) parameters, more than the \(ModelSpecification.maximumParameterCount) this machine can train")
        }
        return specification
    }

    var extraState: [String: Tensor] { sampler.state }

    /// Generator samples drawn per step for a batch of `batch`: as many, but at least two,
    /// because the generator's batch norm needs two values per unit (a last partial batch
    /// can hold one). The energy's loss averages data and samples separately.
    static func sampleCount(_ batch: Int) -> Int { max(batch, 2) }

    /// The generator's step against `energy` (held constant), its learning rate scaled as the
    /// energy's is (`rateScale`: the schedule and any divergence remedy; VERA's posterior
    /// rate stays fixed, as in its code); what to log.
    mutating func generatorStep(energy: @escaping (Tensor) -> Tensor, count: Int, rateScale: Float,
                                using rng: inout SeededGenerator) -> [(String, Double)] {
        let s = sampler.settings
        let start = DispatchTime.now().uptimeNanoseconds
        let result = sampler.generatorStep(energy: energy, count: count, learningRate: s.generatorLearningRate * rateScale,
                                           posteriorLearningRate: s.posteriorLearningRate, using: &rng)
        var metrics: [(String, Double)] = [
            ("sampler/generator_loss", Double(result.loss)), ("sampler/entropy", Double(result.entropy)),
            ("sampler/generator_energy", Double(result.sampleEnergy)),
            ("time/generator_seconds", Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9),
        ]
        if let sigma = sampler.sigma { metrics.append(("sampler/sigma", Double(sigma))) }
        return metrics
    }

    /// Up to 64 generator samples in evaluation mode, from a fixed seed per step.
    func snapshot(step: Int) -> Tensor {
        var rng = SeededGenerator(seed: UInt64(step) &* 7_919)
        return sampler.samples(count: 64, using: &rng)
    }

    /// The learned sampler of a checkpoint, for `joule sample` and `evaluate`.
    static func restore(_ checkpoint: TrainingCheckpoint, path: String) throws -> LearnedSampler {
        let c = checkpoint.configuration
        let shape = c.dataset.hasPrefix("toy:") ? [2] : try checkpoint.inputShape(path: path)
        return try LearnedSamplerRun(configuration: c, sampleShape: shape, restoring: checkpoint.extraState, path: path).sampler
    }
}
