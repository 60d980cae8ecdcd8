import Datasets
import Foundation
import Layers
import Metrics
import Objectives
import Runs
import Sampling
import Tensors

/// `joule evaluate` on a toy-density run: how close the model comes to held-out data, as
/// MMD² under a Gaussian kernel, beside the same measure for the untrained network (same
/// initialisation seed) and for a second data sample (the noise floor).
///
/// Two kinds of samples are measured. Exact ones: in two dimensions the model's density
/// exp(−E) can be normalised on a fine grid over [−4.5, 4.5]² and sampled by inverting its
/// distribution function, so this judges the energy alone. And the run's own sampler's
/// (Langevin, or annealed Langevin for mdsm, from Uniform noise; a learned sampler's
/// generator, against the same generator untrained), which also judges the
/// sampler: Langevin cannot move mass between separated modes (rings), so it can miss a
/// density the energy has right.
public struct ToyEvaluation: Codable, Sendable {
    /// The identifier of the run the checkpoint belongs to.
    public var runID: String
    /// The checkpoint file evaluated, as its path was given.
    public var checkpoint: String
    /// The toy density the run was trained on (`8gaussians`, `moons`, `rings`, ...).
    public var density: String
    /// Samples drawn for every comparison (the held-out side has at most as many: all the
    /// validation points when there are fewer).
    public var count: Int
    /// The kernel's bandwidth h in k(a, b) = exp(−‖a − b‖²/(2h²)).
    public var bandwidth: Double
    /// MMD² against the validation points (unbiased estimates; about 0 means alike) of exact
    /// samples from the trained and the untrained energy, of the run's sampler's samples
    /// from both, and of a fresh data sample.
    /// nil for multi-scale DSM's noise-scaled form, whose single energy stands for no one
    /// density (its gradient matches the noise averaged over the levels).
    public var mmd2: Double?
    /// MMD² of exact samples from the untrained network's energy (same initialisation seed); nil as for `mmd2`.
    public var mmd2Untrained: Double?
    /// MMD² of the run's own sampler's samples from the trained model (or of the trained generator's samples).
    public var mmd2Sampler: Double
    /// MMD² of the same sampler's samples from the untrained network (or of the untrained generator's samples).
    public var mmd2SamplerUntrained: Double
    /// MMD² of a fresh sample from the true density: the noise floor the other estimates are judged against.
    public var mmd2Data: Double
    /// The sampler behind `mmd2Sampler`: "Langevin", "annealed Langevin" (mdsm) or "<objective> generator".
    public var sampler: String
    /// The density sampled exactly: exp(−scale · E) on a grid of `grid`² cells.
    public var densityScale: Double?
    /// Grid cells along each axis of [−4.5, 4.5]² for the exact samples (300).
    public var grid: Int

    enum CodingKeys: String, CodingKey {
        case runID = "run_id"
        case checkpoint, density, count, bandwidth, mmd2
        case mmd2Untrained = "mmd2_untrained"
        case mmd2Sampler = "mmd2_sampler"
        case mmd2SamplerUntrained = "mmd2_sampler_untrained"
        case mmd2Data = "mmd2_data"
        case sampler
        case densityScale = "density_scale"
        case grid
    }

    /// Draws `count` samples from the checkpoint's energy and from the untrained network, both
    /// from Uniform(−4.5, 4.5)² with the run's sampler settings — or, for a learned sampler,
    /// from its trained and its untrained generator.
    public static func run(
        _ checkpoint: TrainingCheckpoint, path: String, count: Int = 1_000, bandwidth: Double = 0.5,
        seed: UInt64 = 0
    ) throws -> ToyEvaluation {
        let c = checkpoint.configuration
        guard case .points(let density, _, let validation) = try EnergyData.load(c) else {
            throw EvaluationError.invalid("\(path): not a toy-density run")
        }
        let (model, shape, _) = try checkpoint.makeModel(path: path)
        var initGenerator = SeededGenerator(seed: c.core.seed)
        let untrained = c.modelSpecification.make(
            channels: shape[0], height: shape[1], width: shape[2], classes: 1, using: &initGenerator)
        let settings = c.scoreMatching
        let reference = points(validation.sliced(alongAxis: 0, range: 0..<min(count, validation.shape[0])))
        func energy(_ network: some Layer) -> EnergyFunction {
            { x in network(x, context: .inference()).reshaped(to: [x.shape[0]]) }
        }
        func samplerSamples(_ network: some Layer) -> [[Double]] {
            var generator = SeededGenerator(seed: seed)
            let start = Tensor(randomUniform: [count, 2], lower: -4.5, upper: 4.5, using: &generator)
            return points(
                settings.sample(c.core.objective, energy: energy(network), from: start, clamp: nil, using: &generator))
        }
        // The density the energy stands for: exp(−E) for esm, ssm and dsm (the latter smoothed
        // by σ), and for mdsm's single-energy form (at σ₀ = σ_min); none for the noise-scaled form.
        // A learned sampler's own samples are its generator's: trained, and as initialised.
        var learned: (trained: LearnedSampler, untrained: LearnedSampler)?
        if c.core.objective.isLearnedSampler {
            learned = (try checkpoint.learnedSampler(path: path), try checkpoint.untrainedLearnedSampler(path: path))
        }
        // The trained generator in evaluation mode (its running statistics); the untrained one
        // with batch statistics, as it drew at the first step (its running statistics are
        // still the initial 0 and 1, which no batch of it ever had).
        func generatorSamples(_ sampler: LearnedSampler, trained: Bool) -> [[Double]] {
            var generator = SeededGenerator(seed: seed)
            return points(
                trained
                    ? sampler.samples(count: count, using: &generator)
                    : sampler.negatives(count: count, using: &generator))
        }
        let scale: Double? = c.core.objective == .mdsm && settings.form == .noiseScaled ? nil : 1
        let grid = 300
        func exactMMD(_ network: some Layer) throws -> Double? {
            guard let scale else { return nil }
            var generator = SeededGenerator(seed: seed &+ 1)
            return try MaximumMeanDiscrepancy.squared(
                gridSamples(energy(network), scale: scale, grid: grid, count: count, using: &generator),
                reference, bandwidth: bandwidth)
        }
        var dataGenerator = SeededGenerator(seed: seed &+ 99)
        let fresh = points(density.sample(count: count, using: &dataGenerator))
        let mmd = { (x: [[Double]]) in try MaximumMeanDiscrepancy.squared(x, reference, bandwidth: bandwidth) }
        return ToyEvaluation(
            runID: checkpoint.progress.runID, checkpoint: path, density: density.name, count: count,
            bandwidth: bandwidth,
            mmd2: try exactMMD(model), mmd2Untrained: try exactMMD(untrained),
            mmd2Sampler: try mmd(learned.map { generatorSamples($0.trained, trained: true) } ?? samplerSamples(model)),
            mmd2SamplerUntrained: try mmd(
                learned.map { generatorSamples($0.untrained, trained: false) } ?? samplerSamples(untrained)),
            mmd2Data: try mmd(fresh),
            sampler: learned != nil
                ? "\(c.core.objective) generator" : c.core.objective == .mdsm ? "annealed Langevin" : "Langevin",
            densityScale: scale, grid: grid)
    }

    /// `count` independent draws from exp(−scale·E) restricted to [−4.5, 4.5]²: a cell of a
    /// grid×grid partition by its probability, then a uniform point inside it.
    static func gridSamples(
        _ energy: EnergyFunction, scale: Double, grid: Int, count: Int,
        using generator: inout SeededGenerator
    ) -> [[Double]] {
        let extent = 4.5
        let cell = 2 * extent / Double(grid)
        var centres: [Float] = []
        centres.reserveCapacity(grid * grid * 2)
        for row in 0..<grid {
            for column in 0..<grid {
                centres += [
                    Float(-extent + (Double(column) + 0.5) * cell), Float(-extent + (Double(row) + 0.5) * cell),
                ]
            }
        }
        let energies: [Double] = withoutRecording { energy(Tensor(centres, shape: [grid * grid, 2])) }.scalars.map {
            Double($0)
        }
        let lowest = energies.filter(\.isFinite).min() ?? 0
        var cumulative = [Double](repeating: 0, count: energies.count)
        var total = 0.0
        for (i, e) in energies.enumerated() {
            total += e.isFinite ? Foundation.exp(-scale * (e - lowest)) : 0
            cumulative[i] = total
        }
        return (0..<count).map { _ in
            let u = Double.random(in: 0..<total, using: &generator)
            var low = 0
            var high = cumulative.count - 1
            while low < high {
                let middle = (low + high) / 2
                if cumulative[middle] > u { high = middle } else { low = middle + 1 }
            }
            return [
                Double(centres[2 * low]) + Double.random(in: -cell / 2..<cell / 2, using: &generator),
                Double(centres[2 * low + 1]) + Double.random(in: -cell / 2..<cell / 2, using: &generator),
            ]
        }
    }

    private static func points(_ t: Tensor) -> [[Double]] {
        let v = t.scalars
        return (0..<t.shape[0]).map { [Double(v[2 * $0]), Double(v[2 * $0 + 1])] }
    }
}
