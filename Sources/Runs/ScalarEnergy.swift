import Layers
import Sampling
import Tensors

/// A single-output network read as an energy E(x): its one output per sample, in inference
/// mode (score-matching runs and unconditional learned-sampler energies).
public enum ScalarEnergy {
    /// E(x) = the network's output, shaped [N].
    public static func of(_ model: AnyLayer) -> EnergyFunction {
        { x in model(x, context: .inference()).reshaped(to: [x.shape[0]]) }
    }
}
