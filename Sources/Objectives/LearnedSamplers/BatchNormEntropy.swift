import Foundation
import Layers
import Tensors

/// Kim & Bengio's entropy estimate (2016, "Deep directed generative models with
/// energy-based probability estimation"; author code taesupkim/dcgan_code;
/// docs/research/learned-samplers.md §1).
///
/// Each batch-normalised unit aᵢ = γᵢ·(uᵢ − μ_B)/σ_B + βᵢ of the generator is treated as an
/// independent Gaussian of variance γᵢ², so
///
///     Ĥ = Σᵢ ½ log(2πe γᵢ²)     (every batch-norm unit of every layer; γ² + 10⁻⁸ inside the log)
///
/// a function of the scales γ alone: only they receive the entropy's gradient (∂Ĥ/∂γᵢ = 1/γᵢ).
/// It is a sum, as the paper writes it and musyoku/ddgm computes it; the author's code takes
/// the mean, which divides the entropy weight by the number of units. It ignores correlations
/// between units (it overestimates the entropy of correlated units by −½ log det R, R their
/// correlation matrix) and the layers after the last batch norm.
public enum BatchNormEntropy {
    /// Ĥ over the batch-norm layers found in `generator` (nested `Sequential`s included); a
    /// scalar differentiable in their scales. A generator without batch norm gives 0. The
    /// generators of `GeneratorSpecification` end in a plain layer that this estimate does not
    /// see: give them an output batch norm for it (as the tests do), or they may shrink unseen.
    public static func entropy(of generator: any Layer) -> Tensor {
        let scales = batchNormScales(in: generator)
        guard !scales.isEmpty else { return Tensor(0) }
        let halfLog2PiE = Float(0.5 * (Foundation.log(2 * Double.pi) + 1))
        return scales.map { γ in ((γ.squared() + 1e-8).log() * 0.5 + halfLog2PiE).sum() }.reduce(Tensor(0), +)
    }

    /// The units counted: the number of batch-norm channels.
    public static func unitCount(of generator: any Layer) -> Int {
        batchNormScales(in: generator).map(\.scalarCount).reduce(0, +)
    }

    static func batchNormScales(in layer: any Layer) -> [Tensor] {
        if let norm = layer as? BatchNorm { return [norm.weight] }
        if let wrapped = layer as? AnyLayer { return batchNormScales(in: wrapped.base) }
        if let sequence = layer as? Sequential { return sequence.layers.flatMap { batchNormScales(in: $0) } }
        return []
    }
}
