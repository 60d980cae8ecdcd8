import Layers
import Sampling
import Tensors

/// JEM's sampler: persistent SGLD chains kept in a replay buffer. Each draw restarts some
/// chains, runs SGLD on the model's energy with its parameters held constant, and the
/// finished chains are written back with `commit` (after the update, as the reference does).
public struct PersistentChains: Sendable {
    /// The replay buffer the chains start from and are written back to (per-class segments when it has classes).
    public var buffer: ReplayBuffer
    /// The SGLD sampler run on each draw: steps, step size η and noise σ.
    public var sgld: SGLD

    /// Chains over `buffer`, advanced by `sgld`.
    public init(buffer: ReplayBuffer, sgld: SGLD) {
        self.buffer = buffer
        self.sgld = sgld
    }

    /// `count` samples of p(x) — or, with `labels`, of p(x | y) from the labels' segments.
    public mutating func sample<Model: Layer>(
        from model: Model, count: Int, labels: [Int]? = nil,
        using generator: inout some RandomNumberGenerator
    )
        -> (samples: Tensor, indices: [Int], meanGradientNorm: Float)
    {
        let (starts, indices) = buffer.draw(count: count, labels: labels, using: &generator)
        let jem = JointEnergyModel(model)
        let energy = labels.map { jem.conditionalEnergyFunction(labels: $0) } ?? jem.energyFunction
        let (samples, norm) = sgld.run(from: starts, energy: energy, using: &generator)
        return (samples, indices, norm)
    }

    /// Writes finished chains back to the buffer.
    public mutating func commit(_ samples: Tensor, at indices: [Int]) { buffer.store(samples, at: indices) }
}
