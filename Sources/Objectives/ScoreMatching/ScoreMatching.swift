import Sampling
import Tensors

/// Score matching fits an energy by its score −∇ₓE instead of its density, so neither the
/// partition function nor MCMC is needed in training; every loss here differentiates
/// through ∇ₓE (second-order autodiff).
public enum ScoreMatching {
    /// Distribution of the random projections v of sliced score matching (both have
    /// E[v vᵀ] = I).
    public enum Projection: String, Sendable, Codable, CaseIterable {
        /// v ~ N(0, I).
        case gaussian
        /// Each coordinate ±1 with probability ½ (Hutchinson 1989; lower variance).
        case rademacher
    }

    /// Exact score matching (Hyvärinen 2005), averaged over the batch:
    ///
    ///     J(θ) = E[½‖∇ₓE(x)‖² − tr ∇ₓ²E(x)]
    ///
    /// The Hessian trace takes one extra backward pass per input dimension D (eᵢᵀ H eᵢ for
    /// each unit vector), so it is for low-dimensional data only.
    ///
    /// - Throws: `ScoreMatchingError.dimensionTooLarge` when D exceeds `maximumDimension`.
    public static func exact(energy: EnergyFunction, data x: Tensor, maximumDimension: Int = 64) throws -> Tensor {
        let n = x.shape[0]
        let d = n == 0 ? 0 : x.scalarCount / n
        guard d <= maximumDimension else {
            throw ScoreMatchingError.dimensionTooLarge(dimension: d, limit: maximumDimension)
        }
        let g = energyInputGradient(energy, at: x)
        var trace = Tensor.zeros([n])
        for k in 0..<d {
            // eₖ in every sample: the k-th diagonal entry of each sample's Hessian.
            let unit = Tensor(shape: [1] + Array(x.shape.dropFirst()), generating: { $0 == k ? 1 : 0 })
            let direction = unit * Tensor.ones(x.shape)
            trace = trace + perSampleSum(energyHessianVectorProduct(energy, at: x, along: direction) * direction)
        }
        return (0.5 * perSampleSum(g.squared()) - trace).mean()
    }

    /// Sliced score matching (Song et al. 2019), averaged over the batch and `projections`
    /// random directions per sample:
    ///
    ///     J(θ) = E_x E_v[−vᵀ ∇ₓ²E(x) v + ½ (vᵀ∇ₓE(x))²]
    ///
    /// and with `varianceReduced` the second term is taken exactly as ½‖∇ₓE(x)‖² (SSM-VR,
    /// valid since E[v vᵀ] = I). Both are unbiased estimates of the exact objective, at one
    /// Hessian-vector product (a forward and two backward passes) per projection whatever D is.
    public static func sliced(
        energy: EnergyFunction, data x: Tensor, projections: Int = 1, distribution: Projection = .rademacher,
        varianceReduced: Bool = false, using generator: inout some RandomNumberGenerator
    ) -> Tensor {
        precondition(projections >= 1, "ScoreMatching.sliced: \(projections) projections")
        let g = energyInputGradient(energy, at: x)
        var total = Tensor(0)
        for _ in 0..<projections {
            let v: Tensor
            switch distribution {
            case .gaussian: v = Tensor(randomNormal: x.shape, using: &generator)
            case .rademacher: v = Tensor(shape: x.shape, generating: { _ in Bool.random(using: &generator) ? 1 : -1 })
            }
            let curvature = perSampleSum(energyHessianVectorProduct(energy, at: x, along: v) * v)
            let slope = varianceReduced ? 0.5 * perSampleSum(g.squared()) : 0.5 * perSampleSum(g * v).squared()
            total = total + (slope - curvature).mean()
        }
        return total / Float(projections)
    }

    /// Denoising score matching at one noise level (Vincent 2011): with x̃ = x + σε,
    ///
    ///     J(θ) = E[½‖−∇ₓE(x̃) − (x − x̃)/σ²‖²] = E[½‖∇ₓE(x̃) − ε/σ‖²]
    ///
    /// whose minimiser is the score of the data smoothed by N(0, σ²I).
    public static func denoising(
        energy: EnergyFunction, data x: Tensor, sigma: Float,
        using generator: inout some RandomNumberGenerator
    ) -> Tensor {
        precondition(sigma > 0 && sigma.isFinite, "ScoreMatching.denoising: σ = \(sigma)")
        let epsilon = Tensor(randomNormal: x.shape, using: &generator)
        return denoising(energy: energy, data: x, sigma: sigma, noise: epsilon)
    }

    /// Denoising score matching with the noise ε given (for tests and reproducible steps).
    public static func denoising(energy: EnergyFunction, data x: Tensor, sigma: Float, noise epsilon: Tensor) -> Tensor
    {
        let g = energyInputGradient(energy, at: x + sigma * epsilon)
        return (0.5 * perSampleSum((g - epsilon / sigma).squared())).mean()
    }
}

/// Score-matching requests that cannot be carried out.
public enum ScoreMatchingError: Error, Equatable, CustomStringConvertible {
    case dimensionTooLarge(dimension: Int, limit: Int)

    /// The problem, in words for the terminal.
    public var description: String {
        switch self {
        case .dimensionTooLarge(let d, let limit):
            return
                "exact score matching needs one backward pass per input dimension: \(d) dimensions exceed the limit of \(limit) "
                + "(use sliced or denoising score matching, or raise the limit)"
        }
    }
}
