import Objectives
import Sampling
import Settings
import Tensors

/// The settings of the score-matching objectives (`--objective esm|ssm|ssm-vr|dsm|mdsm`).
@SettingsGroup(title: "Score matching (esm, ssm, ssm-vr, dsm, mdsm)")
public struct ScoreMatchingSettings: Sendable, Equatable {
    /// DSM: the noise level σ, data perturbed by N(0, σ²I) (Vincent 2011; default: 0.1).
    @Setting("DSM: noise level σ.", for: .scoreMatching)
    public var sigma: Float = 0.1
    /// MDSM: the largest noise level σ_max (`sigma-max`, default: 1).
    @Setting("MDSM: largest noise level.", key: "sigma-max", for: .scoreMatching)
    public var sigmaLargest: Float = 1
    /// MDSM: the smallest noise level σ_min (`sigma-min`, default: 0.01).
    @Setting("MDSM: smallest noise level.", key: "sigma-min", for: .scoreMatching)
    public var sigmaSmallest: Float = 0.01
    /// MDSM: noise levels from σ_max down to σ_min, 1…1000 (`sigma-levels`, default: 10).
    @Setting("MDSM: noise levels.", key: "sigma-levels", for: .scoreMatching)
    public var levels: Int = 10
    /// MDSM: how the levels are spaced between σ_min and σ_max (`sigma-spacing`, default: geometric).
    @Setting("MDSM: geometric or linear levels.", key: "sigma-spacing", for: .scoreMatching)
    public var spacing: NoiseSpacing = .geometric
    /// MDSM: noise-scaled scores (Song & Ermon; default) or one energy at σ_min (after Li et al.) (`sm-form`).
    @Setting(
        "MDSM: noise-scaled (Song & Ermon) or single-energy (after Li et al.).", key: "sm-form", for: .scoreMatching)
    public var form: MultiscaleFormName = .noiseScaled
    /// SSM: random projections v per sample (default: 1).
    @Setting("SSM: projections per sample.", for: .scoreMatching)
    public var projections: Int = 1
    /// SSM: the projections' distribution, Rademacher (default) or Gaussian.
    @Setting("SSM: rademacher or gaussian projections.", for: .scoreMatching)
    public var projection: ScoreMatching.Projection = .rademacher
    /// ESM: the most input dimensions it accepts, as its Hessian trace costs a backward pass each (default: 64).
    @Setting("ESM: refuse inputs of more dimensions than this.", for: .scoreMatching)
    public var exactLimit: Int = 64
    /// Sampling (grids, scatter plots): annealed Langevin steps per level and ε for
    /// multi-scale runs (defaults 100 and 0.2·σ_min², Song & Ermon's ratio); Langevin steps
    /// and step size η (noise √(2η)) for the others (defaults 300 and 0.005).
    @Setting("Sampler steps (per level for mdsm) for each epoch's pictures.", for: .scoreMatching)
    public var sampleSteps: Int?
    /// Sampler step size (ε for mdsm, η for Langevin); nil: 0.2·σ_min² for mdsm, 0.005 otherwise.
    @Setting("Sampler step size (ε for mdsm, η for Langevin).", for: .scoreMatching)
    public var sampleStepSize: Float?

    /// The defaults, as each setting declares them.
    public init() {}

    var schedule: NoiseSchedule {
        spacing == .linear
            ? .linear(largest: sigmaLargest, smallest: sigmaSmallest, levels: levels)
            : .geometric(largest: sigmaLargest, smallest: sigmaSmallest, levels: levels)
    }

    var multiscaleForm: MultiscaleForm {
        form == .singleEnergy ? .singleEnergy(referenceSigma: sigmaSmallest) : .noiseScaled
    }

    /// The loss of `objective` on a batch.
    public func loss(
        _ objective: Objective, energy: @escaping EnergyFunction, data x: Tensor,
        using generator: inout SeededGenerator
    ) throws -> Tensor {
        switch objective {
        case .esm: return try ScoreMatching.exact(energy: energy, data: x, maximumDimension: exactLimit)
        case .ssm, .ssmVarianceReduced:
            return ScoreMatching.sliced(
                energy: energy, data: x, projections: projections, distribution: projection,
                varianceReduced: objective == .ssmVarianceReduced, using: &generator)
        case .dsm: return ScoreMatching.denoising(energy: energy, data: x, sigma: sigma, using: &generator)
        default:
            return ScoreMatching.multiscaleDenoising(
                energy: energy, data: x, schedule: schedule, form: multiscaleForm,
                using: &generator)
        }
    }

    /// Samples from a trained energy: annealed Langevin over the schedule (multi-scale), or
    /// Langevin at step size η otherwise.
    public func sample(
        _ objective: Objective, energy: @escaping EnergyFunction, from start: Tensor, clamp: ClosedRange<Float>?,
        using generator: inout SeededGenerator
    ) -> Tensor {
        if objective == .mdsm {
            return AnnealedLangevin(
                schedule: schedule, stepsPerLevel: sampleSteps ?? 100,
                stepSize: sampleStepSize ?? 0.2 * sigmaSmallest * sigmaSmallest, clampRange: clamp
            )
            .run(from: start, score: multiscaleForm.score(energy), using: &generator)
        }
        var sgld = SGLD.langevin(steps: sampleSteps ?? 300, stepSize: sampleStepSize ?? 0.005)
        sgld.clampRange = clamp
        return sgld.run(from: start, energy: energy, using: &generator).samples
    }

    /// Checks ranges; the message names the setting.
    public func validate() throws {
        func fail(_ key: String, _ problem: String) -> ConfigurationError { .invalid(key: key, problem: problem) }
        for (key, value) in [
            ("sigma", sigma), ("sigma-max", sigmaLargest), ("sigma-min", sigmaSmallest),
            ("sample-step-size", sampleStepSize ?? 1),
        ] {
            guard value > 0, value.isFinite else { throw fail(key, "must be a positive number") }
        }
        guard levels >= 1, levels <= 1_000 else { throw fail("sigma-levels", "must be between 1 and 1000") }
        guard levels == 1 || sigmaLargest > sigmaSmallest else { throw fail("sigma-max", "must exceed sigma-min") }
        guard projections >= 1 else { throw fail("projections", "must be at least 1") }
        guard exactLimit >= 1 else { throw fail("exact-limit", "must be at least 1") }
        if let sampleSteps, sampleSteps < 0 { throw fail("sample-steps", "must not be negative") }
    }
}
