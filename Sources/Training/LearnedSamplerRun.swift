import Datasets
import Foundation
import Layers
import Objectives
import Runs
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
    init(configuration c: RunConfiguration, sampleShape: [Int]) throws {
        sampler = try LearnedSamplerConstruction.fresh(c, sampleShape: sampleShape)
    }

    /// The sampler saved in a checkpoint's state.
    init(configuration c: RunConfiguration, sampleShape: [Int], restoring state: [String: Tensor], path: String) throws {
        sampler = try LearnedSamplerConstruction.restoring(c, sampleShape: sampleShape, state: state, path: path)
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
}
