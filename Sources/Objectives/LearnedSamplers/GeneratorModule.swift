import Layers
import Tensors

/// What a learned-sampler run trains beside the energy, as one module so that one gradient
/// and one optimiser cover it and a checkpoint stores it by name: the generator
/// (`generator.*`), VERA's output noise log σ (`log_sigma`), and MEG's statistics network
/// (`statistics.*`, empty for the other estimates).
public struct GeneratorModule: Module {
    /// The generator g, mapping latents [N, latentSize] to samples; its tensors are named `generator.*`.
    public var generator: AnyLayer
    /// VERA's output-noise log σ, a scalar (`log_sigma`); an unused 0 for MEG and Kim & Bengio.
    public var logSigma: Tensor
    /// MEG's statistics network T(x, h) (`statistics.*`); an empty `Sequential` for the other estimates.
    public var statistics: AnyLayer

    /// The module from its three parts.
    public init(generator: AnyLayer, logSigma: Tensor, statistics: AnyLayer) {
        self.generator = generator
        self.logSigma = logSigma
        self.statistics = statistics
    }

    /// The module with `transform` applied to the generator's tensors, then `log_sigma`, then the statistics
    /// network's, each under its dotted name below `prefix`.
    public func mapNamedTensors(prefix: String, _ transform: (TensorSlot, Tensor) throws -> Tensor) rethrows
        -> GeneratorModule
    {
        func child(_ name: String) -> String { prefix.isEmpty ? name : "\(prefix).\(name)" }
        return GeneratorModule(
            generator: try generator.mapNamedTensors(prefix: child("generator"), transform),
            logSigma: try transform(.named("log_sigma", in: prefix), logSigma),
            statistics: try statistics.mapNamedTensors(prefix: child("statistics"), transform))
    }
}
