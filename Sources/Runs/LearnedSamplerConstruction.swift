import Datasets
import Foundation
import Layers
import Objectives
import Settings
import Tensors

/// A learned-sampler run's generator side (vera, meg, kim-bengio) built from its
/// configuration: fresh from the run's own seed stream, or restored from a checkpoint's
/// `state.sampler*` tensors. Training steps it (`LearnedSamplerRun`); `joule sample` and
/// `evaluate` draw from it.
public enum LearnedSamplerConstruction {
    /// A fresh sampler for samples of `sampleShape` ([2] for points, [C, H, W] for images),
    /// from the run's own seeded stream (seed + 5).
    public static func fresh(_ c: RunConfiguration, sampleShape: [Int]) throws -> LearnedSampler {
        var rng = SeededGenerator(seed: c.core.seed &+ 5)
        return try makeSampler(c, sampleShape: sampleShape, using: &rng)
    }

    /// The sampler saved in a checkpoint's state: sized from the checkpoint's own claims,
    /// refused when it needs more values than the checkpoint stores, before anything is
    /// allocated.
    public static func restoring(_ c: RunConfiguration, sampleShape: [Int], state: [String: Tensor], path: String)
        throws
        -> LearnedSampler
    {
        let specification = try generatorSpecification(c, sampleShape: sampleShape)
        let needed = specification.parameterCount(producing: sampleShape)
        let stored = state.filter { $0.key.hasPrefix("sampler.generator.") }.values.reduce(0.0) {
            $0 + Double($1.scalarCount)
        }
        guard needed <= stored else {
            throw TrainingError.badCheckpoint(
                path: path,
                problem: "its configuration describes a \(specification.name) generator of "
                    + "\(Int(min(needed, 1e18))) parameters, but it holds only \(Int(stored)) generator values")
        }
        do {
            return try fresh(c, sampleShape: sampleShape).restoring(state.filter { LearnedSampler.owns($0.key) })
        } catch let error as TrainingError {
            throw error
        } catch {
            throw TrainingError.badCheckpoint(path: path, problem: "the learned sampler's state: \(error)")
        }
    }

    /// The generator the configuration names, for samples of `sampleShape`. Kim & Bengio's
    /// estimate sees only batch-normalised units, so a point generator gets a batch norm on
    /// its output (its hidden units are normalised already; image generators end in tanh).
    public static func makeSampler(_ c: RunConfiguration, sampleShape: [Int], using rng: inout SeededGenerator) throws
        -> LearnedSampler
    {
        let settings = c.learnedSamplerSettings
        let sampleSize = sampleShape.reduce(1, *)
        let specification = try generatorSpecification(c, sampleShape: sampleShape)
        var body = specification.make(producing: sampleShape, using: &rng)
        if settings.estimate == .kimBengio, sampleShape.count == 1 {
            body = Sequential(body.layers + [BatchNorm(channels: sampleSize)])
        }
        return LearnedSampler(settings: settings, generator: AnyLayer(body), sampleSize: sampleSize, using: &rng)
    }

    /// The generator the configuration names for samples of `sampleShape`, once it is known
    /// to produce them within `ModelSpecification.maximumParameterCount` parameters.
    public static func generatorSpecification(_ c: RunConfiguration, sampleShape: [Int]) throws
        -> GeneratorSpecification
    {
        let settings = c.learnedSamplerSettings
        let latent = settings.latentSize(forSampleSize: sampleShape.reduce(1, *))
        guard let specification = GeneratorSpecification(name: settings.generator, latentSize: latent) else {
            throw ConfigurationError.invalid(
                key: "generator", problem: "'\(settings.generator)' is not a generator (mlp[-W], deconv[-F])")
        }
        if let problem = specification.problem(producing: sampleShape) {
            throw ConfigurationError.invalid(key: "generator", problem: problem)
        }
        let size = specification.parameterCount(producing: sampleShape)
        guard size <= Double(ModelSpecification.maximumParameterCount) else {
            throw ConfigurationError.invalid(
                key: "generator",
                problem: "\(specification.name) with latent size \(latent) for samples \(sampleShape) would have "
                    + "\(size.formatted(.number.notation(.scientific))) parameters, more than the \(ModelSpecification.maximumParameterCount) this machine can train"
            )
        }
        return specification
    }

}

extension TrainingCheckpoint {
    /// The trained generator side of a learned-sampler run (vera, meg, kim-bengio).
    public func learnedSampler(path: String) throws -> LearnedSampler {
        guard configuration.core.objective.isLearnedSampler else {
            throw TrainingError.badCheckpoint(
                path: path, problem: "a \(configuration.core.objective) run has no generator")
        }
        return try LearnedSamplerConstruction.restoring(
            configuration, sampleShape: try sampleShape(path: path), state: extraState, path: path)
    }

    /// The run's generator as it was before training (same seed), for comparisons.
    public func untrainedLearnedSampler(path: String) throws -> LearnedSampler {
        try LearnedSamplerConstruction.fresh(configuration, sampleShape: try sampleShape(path: path))
    }

    /// The shape of one sample: [2] for a toy density's points, [C, H, W] for images.
    public func sampleShape(path: String) throws -> [Int] {
        configuration.core.dataset.isToy ? [2] : try inputShape(path: path)
    }
}
