import Foundation
import Layers
import Objectives
import Runs
import Sampling
import Tensors

/// `joule sample`: SGLD samples of a trained model — continued from its replay buffer,
/// short-run chains from Uniform(−1, 1) noise, or (learned-sampler runs) the run's generator,
/// optionally refined by SGLD on the energy as VERA's evaluation does; unconditional, for one
/// class, or one row per class. A score-matching energy samples as its training did
/// (annealed Langevin for mdsm).
public struct SampleGeneration {
    /// Where SGLD chains start: the run's replay buffer (JEM runs), Uniform(−1, 1) noise, or the learned
    /// sampler's generator.
    public enum Start: String, CaseIterable, Sendable { case buffer, noise, generator }

    /// Where chains start; nil: the run's own start (`origin(for:)`).
    public var start: Start?
    /// SGLD steps (nil: the run's own count from the buffer; 100 from noise; none after the generator).
    public var steps: Int?
    /// SGLD step size η (nil: the run's own; JEM's `sgldStepSize`, or a score-matching run's sample step size).
    public var stepSize: Float?
    /// SGLD noise standard deviation (nil: the run's `sgldNoise`); an unconditional energy's Langevin noise is
    /// fixed at √(2η), so setting this for one is an error.
    public var noise: Float?
    /// Samples in all (unconditional or one class).
    public var count = 64
    /// Sample p(x | y = label) only.
    public var label: Int?
    /// One row of `columns` samples per class.
    public var perClass = false
    /// Samples per row of the picture, and per class with `perClass`.
    public var columns = 8
    /// Seeds the starting noise, the buffer and generator draws, and the SGLD noise.
    public var seed: UInt64 = 0

    /// Settings that sample 64 images unconditionally from the run's own start, with the run's own SGLD settings.
    public init() {}

    /// Where chains start for a run: `start`, else the generator (learned samplers), the replay
    /// buffer (JEM) or noise (score matching).
    public func origin(for configuration: RunConfiguration) -> Start {
        start
            ?? (configuration.core.objective.isLearnedSampler
                ? .generator : configuration.core.objective.isScoreMatching ? .noise : .buffer)
    }

    /// The samples and the labels they were drawn for (nil when unconditional).
    public func run(_ checkpoint: TrainingCheckpoint, path: String) throws -> (samples: Tensor, labels: [Int]?) {
        let c = checkpoint.configuration
        let (model, shape, classes) = try checkpoint.makeModel(path: path)
        if c.isUnconditionalEnergy {
            return (try unconditionalSamples(checkpoint, model: model, shape: shape, path: path), nil)
        }
        if let label, !(0..<classes).contains(label) {
            throw TrainingError.dataset("--class \(label) is outside 0..<\(classes)")
        }
        let labels: [Int]? =
            perClass
            ? (0..<classes).flatMap { [Int](repeating: $0, count: columns) }
            : label.map { [Int](repeating: $0, count: count) }
        let n = labels?.count ?? count
        var generator = SeededGenerator(seed: seed)
        let starts: Tensor
        let origin = origin(for: c)
        switch origin {
        case .noise:
            starts = Tensor(randomUniform: [n] + shape, lower: -1, upper: 1, using: &generator)
        case .generator:
            guard c.core.objective.isLearnedSampler else {
                throw TrainingError.dataset("a \(c.core.objective) run has no generator: use --from buffer or noise")
            }
            guard labels == nil || (steps ?? 0) > 0 else {
                throw TrainingError.dataset(
                    "the generator is unconditional: add --steps N to refine its samples toward the class by SGLD")
            }
            starts = try checkpoint.learnedSampler(path: path).samples(count: n, using: &generator)
        case .buffer:
            guard let buffer = checkpoint.extraState[TrainingCheckpoint.replayBufferKey] else {
                throw TrainingError.badCheckpoint(
                    path: path,
                    problem: "no replay buffer (not a JEM run): use --from noise"
                        + (c.core.objective.isLearnedSampler ? " or --from generator" : ""))
            }
            // The run's buffer, drawn as in training (per-class segments when it has them) but
            // with no restarts: the chains continue where training left them.
            let conditional = c.jem.classConditional && buffer.shape[0] % classes == 0
            var chains = ReplayBuffer(
                samples: buffer, classes: conditional ? classes : nil, reinitializationRate: 0,
                start: .uniform(lower: -1, upper: 1))
            starts = chains.draw(count: n, labels: conditional ? labels : nil, using: &generator).starts
        }
        let settings = c.jem
        // The run's own chain (its proximal clip and clamp too), with the steps asked for.
        let trained = settings.sgld
        let sgld = SGLD(
            steps: steps ?? (origin == .buffer ? settings.sgldSteps : origin == .generator ? 0 : 100),
            stepSize: stepSize ?? settings.sgldStepSize, noise: noise ?? settings.sgldNoise,
            proximal: trained.proximal, clampRange: trained.clampRange, precision: settings.samplerPrecision)
        let jem = JointEnergyModel(model)
        let energy = labels.map { jem.conditionalEnergyFunction(labels: $0) } ?? jem.energyFunction
        return (sgld.run(from: starts, energy: energy, using: &generator).samples, labels)
    }

    /// Writes samples as a picture: a grid for images; for 2-D points a scatter plot over the
    /// run's held-out points in light grey (when `checkpoint` names a toy density).
    public static func writePicture(_ samples: Tensor, columns: Int, checkpoint: TrainingCheckpoint, to url: URL) throws
    {
        guard samples.shape.count == 2 else { return try SampleGrid.write(samples, columns: columns, to: url) }
        var data = Tensor([], shape: [0, 2])
        if checkpoint.configuration.core.dataset.isToy,
            case .points(_, _, let validation) = try EnergyData.load(checkpoint.configuration)
        {
            data = validation
        }
        let size = 320
        try SampleGrid.writePNG(
            ToyPlots.scatterImage(samples: samples, data: data, size: size),
            width: size, height: size, channels: 3, to: url)
    }

    /// An unconditional energy's samples. From the generator (learned samplers): its samples,
    /// then `steps` Langevin steps on the energy if asked. From noise: as a score-matching run's
    /// training drew them — annealed Langevin over the run's σ schedule (mdsm), Langevin at
    /// the run's step size otherwise — from Uniform(−1, 1) noise (Uniform over the plot's box
    /// for 2-D points). `steps` and `stepSize` override the run's (per level for mdsm); the
    /// noise is Langevin's √(2η).
    func unconditionalSamples(_ checkpoint: TrainingCheckpoint, model: AnyLayer, shape: [Int], path: String) throws
        -> Tensor
    {
        let c = checkpoint.configuration
        guard origin(for: c) != .buffer else {
            throw TrainingError.dataset(
                "a \(c.core.objective) run has no replay buffer: use --from noise"
                    + (c.core.objective.isLearnedSampler ? " or --from generator" : ""))
        }
        guard origin(for: c) == .noise || c.core.objective.isLearnedSampler else {
            throw TrainingError.dataset("a \(c.core.objective) run has no generator: use --from noise")
        }
        guard label == nil, !perClass else {
            throw TrainingError.dataset("a \(c.core.objective) energy has no classes: drop --class and --per-class")
        }
        guard noise == nil else {
            throw TrainingError.dataset(
                "a \(c.core.objective) energy samples by Langevin, whose noise is √(2η): set --step-size, not --noise")
        }
        var settings = c.scoreMatching
        if let steps { settings.sampleSteps = steps }
        if let stepSize { settings.sampleStepSize = stepSize }
        var generator = SeededGenerator(seed: seed)
        // Toy runs' models read 2-D points ([N, 2]; their recorded input shape is 1×1×2).
        let isPoints = c.core.dataset.isToy
        if origin(for: c) == .generator {
            let drawn = try checkpoint.learnedSampler(path: path).samples(count: count, using: &generator)
            guard let steps, steps > 0 else { return drawn }
            var sgld = SGLD.langevin(steps: steps, stepSize: stepSize ?? c.scoreMatching.sampleStepSize ?? 0.005)
            sgld.clampRange = isPoints ? nil : -1...1
            return sgld.run(from: drawn, energy: ScalarEnergy.of(model), using: &generator).samples
        }
        let extent = isPoints ? ToyPlots.extent : 1
        let starts = Tensor(
            randomUniform: [count] + (isPoints ? [2] : shape), lower: -extent, upper: extent, using: &generator)
        return settings.sample(
            c.core.objective, energy: ScalarEnergy.of(model), from: starts, clamp: isPoints ? nil : -1...1,
            using: &generator)
    }
}
