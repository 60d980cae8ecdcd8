import Layers
import Tensors

/// What a learned-sampler run trains beside the energy, as one module so that one gradient
/// and one optimiser cover it and a checkpoint stores it by name: the generator
/// (`generator.*`), VERA's output noise log σ (`log_sigma`), and MEG's statistics network
/// (`statistics.*`, empty for the other estimates).
public struct GeneratorModule: Module {
    public var generator: AnyLayer
    public var logSigma: Tensor
    public var statistics: AnyLayer

    public init(generator: AnyLayer, logSigma: Tensor, statistics: AnyLayer) {
        self.generator = generator
        self.logSigma = logSigma
        self.statistics = statistics
    }

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
