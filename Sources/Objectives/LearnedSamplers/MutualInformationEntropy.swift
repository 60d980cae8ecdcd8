import Foundation
import Layers
import Tensors

/// MEG's entropy term (Kumar, Ozair, Goyal, Courville & Bengio 2019, "Maximum entropy
/// generators for energy-based models"; reference code ritheshkumar95/energy_based_generative_models,
/// `train_functions.py`; docs/research/learned-samplers.md §2).
///
/// For a generator x = G(z), I(z; x) = H(x) − H(x | z), and H(x | z) does not depend on G's
/// weights when G is deterministic (or its noise fixed), so raising a lower bound on the
/// mutual information raises the entropy. The bound is the Jensen–Shannon one of Deep
/// InfoMax: a statistics network T(x, z) scores matched pairs (x = G(z), z) against pairs
/// whose latents are shuffled across the batch (samples of p(x)p(z)):
///
///     L_MI = ½ [mean softplus(−T(x, z)) + mean softplus(T(x, z̄))]    (binary cross-entropy, 2B pairs)
///     Î_JSD = −2 L_MI = E_P[−softplus(−T)] − E_{P⊗P}[softplus(T)] ∈ [−2 log 2, 0]
///
/// G and T both descend mean E(G(z)) + L_MI (gradients reach x through both kinds of pair).
/// Î_JSD grows with the mutual information and saturates: it orders generators by their
/// entropy but is not an entropy in nats.
public enum MutualInformationEntropy {
    /// L_MI and Î_JSD for samples `x` [B, …] made from latents `z` [B, k]; `t` reads
    /// [2B, x-size + k] rows of flattened x followed by z. The mismatched latents are a random
    /// permutation of the batch's, as the reference draws them (a pair may keep its own).
    public static func loss<T: Layer>(
        statistics t: T, x: Tensor, z: Tensor, context: ForwardContext,
        using generator: inout SeededGenerator
    ) -> (loss: Tensor, estimate: Float) {
        let b = x.shape[0]
        precondition(
            z.shape.count == 2 && z.shape[0] == b,
            "MutualInformationEntropy: \(b) samples but latents of shape \(z.shape)")
        let shuffled = z.gathering(atIndices: Array(0..<b).shuffled(using: &generator), alongAxis: 0)
        let flat = x.flattenedBatch()
        let pairs = concatenate(
            [concatenate([flat, z], alongAxis: 1), concatenate([flat, shuffled], alongAxis: 1)], alongAxis: 0)
        let scores = t(pairs, context: context).reshaped(to: [2 * b])
        let matched = scores.sliced(alongAxis: 0, range: 0..<b)
        let mismatched = scores.sliced(alongAxis: 0, range: b..<(2 * b))
        let loss = ((-matched).softplus().mean() + mismatched.softplus().mean()) * 0.5
        return (loss, -2 * loss.scalar)
    }

    /// A statistics network over [x-size + latent] inputs: three hidden layers of `width`
    /// with LeakyReLU(0.2) and one output (MEG's toy T is 512 wide; here the width is a setting).
    public static func statisticsNetwork(
        sampleSize: Int, latentSize: Int, width: Int,
        using generator: inout some RandomNumberGenerator
    ) -> Sequential {
        Sequential([
            Linear(inputSize: sampleSize + latentSize, outputSize: width, using: &generator),
            LeakyReLU(negativeSlope: 0.2),
            Linear(inputSize: width, outputSize: width, using: &generator), LeakyReLU(negativeSlope: 0.2),
            Linear(inputSize: width, outputSize: width, using: &generator), LeakyReLU(negativeSlope: 0.2),
            Linear(inputSize: width, outputSize: 1, using: &generator),
        ])
    }
}
