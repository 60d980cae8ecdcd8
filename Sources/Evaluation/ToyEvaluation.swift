import Datasets
import Foundation
import Layers
import Metrics
import Sampling
import Tensors
import Training

/// `joule evaluate` on a toy-density run: how close the model's samples come to held-out
/// data, as MMD² under a Gaussian kernel, beside the same measure for the untrained network
/// (same initialisation seed, same sampler) and for a second data sample (the noise floor).
public struct ToyEvaluation: Codable, Sendable {
    public var runID: String
    public var checkpoint: String
    public var density: String
    /// Points on each side of every comparison.
    public var count: Int
    /// The kernel's bandwidth h in k(a, b) = exp(−‖a − b‖²/(2h²)).
    public var bandwidth: Double
    /// MMD² of the trained model's samples, the untrained network's samples and a fresh data
    /// sample against the validation points (unbiased estimates; about 0 means alike).
    public var mmd2: Double
    public var mmd2Untrained: Double
    public var mmd2Data: Double
    public var sampler: String

    enum CodingKeys: String, CodingKey {
        case runID = "run_id", checkpoint, density, count, bandwidth, mmd2, mmd2Untrained = "mmd2_untrained"
        case mmd2Data = "mmd2_data", sampler
    }

    /// Draws `count` samples from the checkpoint's energy and from the untrained network, both
    /// from Uniform(−4.5, 4.5)² with the run's sampler settings.
    public static func run(_ checkpoint: TrainingCheckpoint, path: String, count: Int = 1_000, bandwidth: Double = 0.5,
                           seed: UInt64 = 0) throws -> ToyEvaluation {
        let c = checkpoint.configuration
        guard case .points(let density, _, let validation) = try EnergyData.load(c) else {
            throw EvaluationError.invalid("\(path): not a toy-density run")
        }
        let (model, shape, _) = try checkpoint.makeModel(path: path)
        var initGenerator = SeededGenerator(seed: c.seed)
        let untrained = c.modelSpecification.make(channels: shape[0], height: shape[1], width: shape[2], classes: 1, using: &initGenerator)
        func samples(_ network: some Layer, seed: UInt64) -> [[Double]] {
            var generator = SeededGenerator(seed: seed)
            let start = Tensor(randomUniform: [count, 2], lower: -4.5, upper: 4.5, using: &generator)
            let energy: EnergyFunction = { x in network(x, context: .inference()).reshaped(to: [x.shape[0]]) }
            return points(c.scoreMatchingSettings.sample(c.objective, energy: energy, from: start, clamp: nil, using: &generator))
        }
        var dataGenerator = SeededGenerator(seed: seed &+ 99)
        let reference = points(validation.sliced(alongAxis: 0, range: 0..<min(count, validation.shape[0])))
        let fresh = points(density.sample(count: count, using: &dataGenerator))
        let mmd = { (x: [[Double]]) in try MaximumMeanDiscrepancy.squared(x, reference, bandwidth: bandwidth) }
        return ToyEvaluation(runID: checkpoint.progress.runID, checkpoint: path, density: density.name, count: count, bandwidth: bandwidth,
                             mmd2: try mmd(samples(model, seed: seed)), mmd2Untrained: try mmd(samples(untrained, seed: seed)),
                             mmd2Data: try mmd(fresh), sampler: c.objective == "mdsm" ? "annealed Langevin" : "Langevin")
    }

    private static func points(_ t: Tensor) -> [[Double]] {
        let v = t.scalars
        return (0..<t.shape[0]).map { [Double(v[2 * $0]), Double(v[2 * $0 + 1])] }
    }
}
