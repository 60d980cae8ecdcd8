import Foundation
import Layers
import Objectives
import Sampling
import Tensors

/// `joule sample`: SGLD samples of a trained model — continued from its replay buffer or
/// short-run chains from Uniform(−1, 1) noise; unconditional, for one class, or one row per
/// class.
public struct SampleGeneration {
    public enum Start: String, Sendable { case buffer, noise }

    public var start = Start.buffer
    /// SGLD steps (nil: the run's own count from the buffer; 100 from noise).
    public var steps: Int?
    public var stepSize: Float?
    public var noise: Float?
    /// Samples in all (unconditional or one class).
    public var count = 64
    /// Sample p(x | y = label) only.
    public var label: Int?
    /// One row of `columns` samples per class.
    public var perClass = false
    public var columns = 8
    public var seed: UInt64 = 0

    public init() {}

    /// The samples and the labels they were drawn for (nil when unconditional).
    public func run(_ checkpoint: TrainingCheckpoint, path: String) throws -> (samples: Tensor, labels: [Int]?) {
        let c = checkpoint.configuration
        let (model, shape, classes) = try checkpoint.makeModel(path: path)
        if let label, !(0..<classes).contains(label) {
            throw TrainingError.dataset("--class \(label) is outside 0..<\(classes)")
        }
        let labels: [Int]? = perClass ? (0..<classes).flatMap { [Int](repeating: $0, count: columns) }
            : label.map { [Int](repeating: $0, count: count) }
        let n = labels?.count ?? count
        var generator = SeededGenerator(seed: seed)
        let starts: Tensor
        switch start {
        case .noise:
            starts = Tensor(randomUniform: [n] + shape, lower: -1, upper: 1, using: &generator)
        case .buffer:
            guard let buffer = checkpoint.extraState[JEMTraining.bufferKey] else {
                throw TrainingError.badCheckpoint(path: path, problem: "no replay buffer (not a JEM run): use --from noise")
            }
            // The run's buffer, drawn as in training (per-class segments when it has them) but
            // with no restarts: the chains continue where training left them.
            let conditional = c.jemSettings.classConditional && buffer.shape[0] % classes == 0
            var chains = ReplayBuffer(samples: buffer, classes: conditional ? classes : nil, reinitializationRate: 0,
                                      start: .uniform(lower: -1, upper: 1))
            starts = chains.draw(count: n, labels: conditional ? labels : nil, using: &generator).starts
        }
        let settings = c.jemSettings
        let sgld = SGLD(steps: steps ?? (start == .buffer ? settings.sgldSteps : 100),
                        stepSize: stepSize ?? settings.sgldStepSize, noise: noise ?? settings.sgldNoise)
        let jem = JointEnergyModel(model)
        let energy = labels.map { jem.conditionalEnergyFunction(labels: $0) } ?? jem.energyFunction
        return (sgld.run(from: starts, energy: energy, using: &generator).samples, labels)
    }
}
