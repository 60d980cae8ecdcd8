import Foundation
import Layers
import Optimizers
import Tensors

/// VERA's entropy-gradient estimator (Grathwohl et al. 2021, "No MCMC for me"; reference
/// code wgrathwohl/VERA, `models/generator.py`; docs/research/learned-samplers.md §3).
///
/// The generator is a latent-variable model with Gaussian output noise:
///
///     h ~ N(0, I_k),   x = g(h) + σ·ε,   ε ~ N(0, I_d),   σ = exp(logSigma) learnt, clamped to `sigmaRange`.
///
/// Its entropy H(q) = −E_q[log q(x)] has the reparameterised gradient
/// ∇_θ H = −E[∇ₓ log q(x) · ∂x/∂θ], and ∇ₓ log q(x) = E_{q(h|x)}[−(x − g(h))/σ²]. VERA
/// estimates that posterior expectation by self-normalised importance sampling from a
/// variational posterior q_φ(h | x) = N(h₀, diag(s²)) centred on the latent h₀ that made x,
/// with one learnt scale vector s = exp(posteriorLogSigma):
///
///     h_j ~ N(h₀, s²),   log w̃_j = log N(h_j; 0, I) + log N(x; g(h_j), σ²I) − log N(h_j; h₀, s²),
///     w = softmax_j(log w̃),   c = Σ_j w_j (x − g(h_j)) / σ²   (≈ −∇ₓ log q(x), held constant)
///
/// so that the surrogate mean_i ⟨c_i, x_i⟩ has gradient ≈ ∇_θ H through x = g(h₀) + σε
/// (to g's weights and to logSigma). Its value is not the entropy; log it only as a
/// diagnostic. The posterior scale s is fitted on the side by one step per generator step
/// on −ELBO = −[log q(x, h̃) + H(q_φ)], h̃ = h₀ + s⊙ε' (`posteriorLoss`).
public struct VariationalEntropy: Sendable {
    /// log σ, a scalar (VERA starts at log 0.01, the floor of `sigmaRange`).
    public var logSigma: Tensor
    /// log s, one per latent dimension (VERA starts at log 0.1).
    public var posteriorLogSigma: Tensor
    /// Importance samples per data point (VERA: 20).
    public var importanceSamples: Int
    /// σ's range after each update (VERA: 0.01…0.3).
    public var sigmaRange: ClosedRange<Float>

    /// An estimator for `latentSize`-dimensional latents, starting at σ = `sigma` and s = `posteriorSigma`.
    public init(
        latentSize: Int, sigma: Float = 0.01, posteriorSigma: Float = 0.1, importanceSamples: Int = 20,
        sigmaRange: ClosedRange<Float> = 0.01...0.3
    ) {
        precondition(
            latentSize >= 1 && importanceSamples >= 1 && sigma > 0 && posteriorSigma > 0 && sigmaRange.lowerBound > 0,
            "VariationalEntropy: sizes must be positive, σ and s positive")
        logSigma = Tensor(Foundation.log(sigma))
        posteriorLogSigma = Tensor(repeating: Foundation.log(posteriorSigma), shape: [latentSize])
        self.importanceSamples = importanceSamples
        self.sigmaRange = sigmaRange
    }

    /// Keeps σ inside `sigmaRange` (VERA clamps after every step).
    public mutating func clampSigma() {
        let low = Foundation.log(sigmaRange.lowerBound)
        let high = Foundation.log(sigmaRange.upperBound)
        logSigma = Tensor(Swift.min(Swift.max(logSigma.scalar, low), high))
    }

    /// Samples x = g(h) + σε with their latents h; differentiable in g's weights and `logSigma`.
    public static func sample<G: Layer>(
        _ g: G, logSigma: Tensor, count: Int, latentSize: Int, context: ForwardContext,
        using generator: inout SeededGenerator
    ) -> (x: Tensor, h: Tensor) {
        let h = Tensor(randomNormal: [count, latentSize], using: &generator)
        let mean = g(h, context: context)
        let noise = Tensor(randomNormal: mean.shape, using: &generator)
        return (mean + noise * logSigma.exp(), h)
    }

    static let halfLog2Pi = Float(0.5 * Foundation.log(2 * Double.pi))

    /// log q(x, h) per row: log N(h; 0, I) + log N(x; g(h), σ²I), for x [N, …] and h [N, k];
    /// also the residuals x − g(h), flattened to [N, d].
    static func logJoint<G: Layer>(_ g: G, x: Tensor, h: Tensor, logSigma: Tensor, context: ForwardContext)
        -> (value: Tensor, residual: Tensor)
    {
        let d = Float(x.scalarCount / x.shape[0])
        let k = Float(h.shape[1])
        let prior = h.squared().sum(squeezingAxes: [1]) * -0.5 - k * halfLog2Pi
        let residual = (x - g(h, context: context)).flattenedBatch()
        let likelihood =
            residual.squared().sum(squeezingAxes: [1]) * -0.5 / (logSigma * 2).exp() - (logSigma + halfLog2Pi) * d
        return (prior + likelihood, residual)
    }

    /// The surrogate mean_i ⟨c_i, x_i⟩ for samples `x` made from latents `h` (see the type's
    /// comment), and the mean norm of c (VERA logs it as the entropy gradient's size).
    /// The importance pass runs g on K·N latents in its own forward state, so it neither
    /// updates batch-norm statistics nor records gradients.
    public func entropySurrogate<G: Layer>(
        _ g: G, x: Tensor, h: Tensor, isTraining: Bool,
        using generator: inout SeededGenerator
    ) -> (surrogate: Tensor, scoreNorm: Float) {
        let n = x.shape[0]
        let k = h.shape[1]
        let kSamples = importanceSamples
        let c: Tensor = withoutRecording {
            let x0 = withoutDerivative(at: x)
            let h0 = withoutDerivative(at: h)
            let s = posteriorLogSigma.exp()
            let logS = posteriorLogSigma
            let ls = withoutDerivative(at: logSigma)
            // K copies of the batch, sample-major: row j·N + i is importance sample j of point i.
            let repeated = concatenate(Array(repeating: h0, count: kSamples), alongAxis: 0)
            let xRepeated = concatenate(Array(repeating: x0, count: kSamples), alongAxis: 0)
            let epsilon = Tensor(randomNormal: [kSamples * n, k], using: &generator)
            let hj = repeated + epsilon * s
            let context = ForwardContext(state: ForwardState(isTraining: isTraining))
            let (logJoint, residual) = Self.logJoint(g, x: xRepeated, h: hj, logSigma: ls, context: context)
            let proposal = epsilon.squared().sum(squeezingAxes: [1]) * -0.5 - logS.sum() - Float(k) * Self.halfLog2Pi
            let sigma2 = (ls * 2).exp()
            let logWeights = (logJoint - proposal).reshaped(to: [kSamples, n])
            let weights = logWeights.softmax(alongAxis: 0).reshaped(to: [kSamples, n, 1])
            let scores = residual.reshaped(to: [kSamples, n, residual.shape[1]]) / sigma2
            return (scores * weights).sum(squeezingAxes: [0])
        }
        let surrogate = (c * x.flattenedBatch()).sum(squeezingAxes: [1]).mean()
        let norm = c.squared().sum(squeezingAxes: [1]).sqrt().mean().scalar
        return (surrogate, norm)
    }

    /// −ELBO of the posterior at one reparameterised sample per point, a function of
    /// `posteriorLogSigma` (differentiate it there; g and σ are held constant):
    /// −mean_i [log q(x_i, h₀ᵢ + s⊙ε') + Σ_k (½ log 2πe + log s_k)].
    public static func posteriorLoss<G: Layer>(
        _ g: G, posteriorLogSigma: Tensor, logSigma: Tensor, x: Tensor, h: Tensor,
        isTraining: Bool, using generator: inout SeededGenerator
    ) -> Tensor {
        let h0 = withoutDerivative(at: h)
        let x0 = withoutDerivative(at: x)
        let epsilon = Tensor(randomNormal: h0.shape, using: &generator)
        let hTilde = h0 + epsilon * posteriorLogSigma.exp()
        let logJoint = Self.logJoint(
            g, x: x0, h: hTilde, logSigma: withoutDerivative(at: logSigma),
            context: ForwardContext(state: ForwardState(isTraining: isTraining))
        ).value
        let halfLog2PiE = Float(0.5 * (Foundation.log(2 * Double.pi) + 1))
        let entropy = posteriorLogSigma.sum() + Float(h0.shape[1]) * halfLog2PiE
        return -(logJoint.mean() + entropy)
    }

    /// One step of the posterior scale on `posteriorLoss` at samples `x` made from `h` by
    /// generator `g` with output noise `logSigma`; `optimizer` is the posterior's own.
    public mutating func fitPosterior<G: Layer>(
        _ g: G, logSigma: Tensor, x: Tensor, h: Tensor, isTraining: Bool,
        optimizer: inout some Optimizer, learningRate: Float,
        using generator: inout SeededGenerator
    ) {
        let g = gradient(at: posteriorLogSigma) { posterior in
            Self.posteriorLoss(
                g, posteriorLogSigma: posterior, logSigma: logSigma, x: x, h: h, isTraining: isTraining,
                using: &generator)
        }
        optimizer.update(&posteriorLogSigma, along: g, learningRate: learningRate)
    }
}
