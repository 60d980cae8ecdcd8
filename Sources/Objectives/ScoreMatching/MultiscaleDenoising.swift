import Sampling
import Tensors

/// Multi-scale denoising score matching over a noise schedule σ₁ > … > σ_L: each sample
/// gets a level drawn uniformly, x̃ = x + σε. Our energies take no σ, so the noise
/// conditioning comes from one of two forms:
public enum MultiscaleForm: Sendable, Equatable, Codable {
    /// Song & Ermon 2019 with their σ² weighting, and the score s(x, σ) = −∇ₓE(x)/σ
    /// (Song & Ermon 2020's conditioning of an unconditional network by 1/σ):
    ///
    ///     ℓ = σ²·½‖s(x̃, σ) − (x − x̃)/σ²‖² = ½‖∇ₓE(x̃) − ε‖²
    case noiseScaled
    /// The single-energy form after Li et al. 2019: one energy is the density at the
    /// reference level σ₀ for every level, s(x, σ) = −(σ₀/σ)² ∇ₓE(x), fitted by
    ///
    ///     ℓ = ½‖x − x̃ + σ₀² ∇ₓE(x̃)‖² / σ₀²  = ½‖σ₀ ∇ₓE(x̃) − (σ/σ₀) ε‖²
    case singleEnergy(referenceSigma: Float)

    /// The noise-conditional score this form gives an energy, for annealed Langevin.
    public func score(_ energy: @escaping EnergyFunction) -> NoiseConditionalScore {
        switch self {
        case .noiseScaled:
            return { x, sigma in -energyAndGradient(energy, at: x).gradient / sigma }
        case .singleEnergy(let reference):
            return { x, sigma in
                -energyAndGradient(energy, at: x).gradient * ((reference * reference) / (sigma * sigma))
            }
        }
    }
}

extension ScoreMatching {
    /// Multi-scale denoising score matching (see `MultiscaleForm`), averaged over the batch.
    public static func multiscaleDenoising(
        energy: EnergyFunction, data x: Tensor, schedule: NoiseSchedule, form: MultiscaleForm,
        using generator: inout some RandomNumberGenerator
    ) -> Tensor {
        let n = x.shape[0]
        let levels = (0..<n).map { _ in schedule.sigmas[Int.random(in: 0..<schedule.sigmas.count, using: &generator)] }
        let epsilon = Tensor(randomNormal: x.shape, using: &generator)
        return multiscaleDenoising(energy: energy, data: x, levels: levels, noise: epsilon, form: form)
    }

    /// Multi-scale denoising with each sample's level and noise given.
    public static func multiscaleDenoising(
        energy: EnergyFunction, data x: Tensor, levels: [Float], noise epsilon: Tensor,
        form: MultiscaleForm
    ) -> Tensor {
        precondition(
            levels.count == x.shape[0] && epsilon.shape == x.shape,
            "multiscaleDenoising: \(levels.count) levels and noise \(epsilon.shape) for data \(x.shape)")
        let sigma = Tensor(levels, shape: [levels.count] + Array(repeating: 1, count: x.rank - 1))
        let g = energyInputGradient(energy, at: x + sigma * epsilon)
        switch form {
        case .noiseScaled:
            return (0.5 * perSampleSum((g - epsilon).squared())).mean()
        case .singleEnergy(let reference):
            return (0.5 * perSampleSum((reference * g - (sigma / reference) * epsilon).squared())).mean()
        }
    }
}
