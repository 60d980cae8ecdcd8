import Tensors

/// A noise-conditional score s(x, σ) ≈ ∇ₓ log p_σ(x): the density smoothed by N(0, σ²I).
public typealias NoiseConditionalScore = (_ x: Tensor, _ sigma: Float) -> Tensor

/// Annealed Langevin dynamics (Song & Ermon 2019, Algorithm 1): Langevin chains at each
/// noise level from the largest down, each level starting where the last ended.
///
///     for σᵢ in σ₁ > … > σ_L:  αᵢ = ε σᵢ² / σ_L²
///         repeat T times:      x ← x + (αᵢ / 2) s(x, σᵢ) + √αᵢ z,  z ~ N(0, I)
///
/// then, optionally, one noise-free denoising step x ← x + σ_L² s(x, σ_L) (Tweedie's formula;
/// Jolicoeur-Martineau et al. 2020, Song & Ermon 2020), which removes the last level's noise.
public struct AnnealedLangevin: Sendable, Equatable, Codable {
    /// The noise levels σ₁ > … > σ_L, visited largest first.
    public var schedule: NoiseSchedule
    /// Langevin steps T at each level.
    public var stepsPerLevel: Int
    /// ε: the step size at the smallest level (αᵢ = ε σᵢ² / σ_L²).
    public var stepSize: Float
    /// Ends with the denoising step.
    public var denoiseAtEnd: Bool
    /// When set, each step's result is clamped to this range.
    public var clampRange: ClosedRange<Float>?

    /// A sampler over `schedule`, by default with Song & Ermon's T = 100 steps per level and ε = 2e-5, denoising
    /// at the end and no clamping.
    public init(
        schedule: NoiseSchedule, stepsPerLevel: Int = 100, stepSize: Float = 2e-5, denoiseAtEnd: Bool = true,
        clampRange: ClosedRange<Float>? = nil
    ) {
        precondition(
            stepsPerLevel >= 0 && stepSize > 0 && stepSize.isFinite,
            "AnnealedLangevin: \(stepsPerLevel) steps per level and step size \(stepSize)")
        self.schedule = schedule
        self.stepsPerLevel = stepsPerLevel
        self.stepSize = stepSize
        self.denoiseAtEnd = denoiseAtEnd
        self.clampRange = clampRange
    }

    /// The step size αᵢ at level `sigma`.
    public func stepSize(atLevel sigma: Float) -> Float {
        stepSize * (sigma * sigma) / (schedule.smallest * schedule.smallest)
    }

    /// Runs the annealed chains from `x` under `score`.
    public func run(from x: Tensor, score: NoiseConditionalScore, using generator: inout some RandomNumberGenerator)
        -> Tensor
    {
        var current = withoutDerivative(at: x)
        let clamp = { (t: Tensor) -> Tensor in
            guard let range = self.clampRange else { return t }
            return minimum(maximum(t, Tensor(range.lowerBound)), Tensor(range.upperBound))
        }
        for sigma in schedule.sigmas {
            let alpha = stepSize(atLevel: sigma)
            for _ in 0..<stepsPerLevel {
                let s = withoutDerivative(at: score(current, sigma))
                current = withoutRecording {
                    clamp(
                        current + (alpha / 2) * s + alpha.squareRoot()
                            * Tensor(randomNormal: current.shape, using: &generator))
                }
            }
        }
        if denoiseAtEnd {
            let sigma = schedule.smallest
            let s = withoutDerivative(at: score(current, sigma))
            current = withoutRecording { clamp(current + (sigma * sigma) * s) }
        }
        return current
    }
}
