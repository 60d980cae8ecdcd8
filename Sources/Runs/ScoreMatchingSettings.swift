import Objectives
import Sampling
import Tensors

/// The settings of the score-matching objectives (`--objective esm|ssm|ssm-vr|dsm|mdsm`).
public struct ScoreMatchingSettings: Codable, Sendable, Equatable {
    /// DSM's noise level σ.
    public var sigma: Float = 0.1
    /// Multi-scale DSM's schedule: `levels` values from `sigmaLargest` down to `sigmaSmallest`,
    /// geometric or linear.
    public var sigmaLargest: Float = 1
    public var sigmaSmallest: Float = 0.01
    public var levels = 10
    public var spacing = "geometric"
    /// noise-scaled (Song & Ermon) or single-energy (after Li et al.).
    public var form = "noise-scaled"
    /// Sliced score matching: projections per sample and their distribution.
    public var projections = 1
    public var projection = "rademacher"
    /// Exact score matching refuses inputs of more dimensions than this.
    public var exactLimit = 64
    /// Sampling (grids, scatter plots): annealed Langevin steps per level and ε for
    /// multi-scale runs (defaults 100 and 0.2·σ_min², Song & Ermon's ratio); Langevin steps
    /// and step size η (noise √(2η)) for the others (defaults 300 and 0.005).
    public var sampleSteps: Int?
    public var sampleStepSize: Float?

    public init() {}

    /// The objectives these settings serve, by their command-line names.
    public static let objectives = ["esm", "ssm", "ssm-vr", "dsm", "mdsm"]

    var schedule: NoiseSchedule {
        spacing == "linear" ? .linear(largest: sigmaLargest, smallest: sigmaSmallest, levels: levels)
            : .geometric(largest: sigmaLargest, smallest: sigmaSmallest, levels: levels)
    }

    var multiscaleForm: MultiscaleForm {
        form == "single-energy" ? .singleEnergy(referenceSigma: sigmaSmallest) : .noiseScaled
    }

    var projectionDistribution: ScoreMatching.Projection { ScoreMatching.Projection(rawValue: projection) ?? .rademacher }

    /// The loss of `objective` on a batch.
    public func loss(_ objective: String, energy: @escaping EnergyFunction, data x: Tensor,
              using generator: inout SeededGenerator) throws -> Tensor {
        switch objective {
        case "esm": return try ScoreMatching.exact(energy: energy, data: x, maximumDimension: exactLimit)
        case "ssm", "ssm-vr":
            return ScoreMatching.sliced(energy: energy, data: x, projections: projections, distribution: projectionDistribution,
                                        varianceReduced: objective == "ssm-vr", using: &generator)
        case "dsm": return ScoreMatching.denoising(energy: energy, data: x, sigma: sigma, using: &generator)
        default: return ScoreMatching.multiscaleDenoising(energy: energy, data: x, schedule: schedule, form: multiscaleForm,
                                                          using: &generator)
        }
    }

    /// Samples from a trained energy: annealed Langevin over the schedule (multi-scale), or
    /// Langevin at step size η otherwise.
    public func sample(_ objective: String, energy: @escaping EnergyFunction, from start: Tensor, clamp: ClosedRange<Float>?,
                using generator: inout SeededGenerator) -> Tensor {
        if objective == "mdsm" {
            return AnnealedLangevin(schedule: schedule, stepsPerLevel: sampleSteps ?? 100,
                                    stepSize: sampleStepSize ?? 0.2 * sigmaSmallest * sigmaSmallest, clampRange: clamp)
                .run(from: start, score: multiscaleForm.score(energy), using: &generator)
        }
        var sgld = SGLD.langevin(steps: sampleSteps ?? 300, stepSize: sampleStepSize ?? 0.005)
        sgld.clampRange = clamp
        return sgld.run(from: start, energy: energy, using: &generator).samples
    }

    /// Checks ranges; the message names the setting.
    public func validate() throws {
        func fail(_ key: String, _ problem: String) -> ConfigurationError { .invalid(key: key, problem: problem) }
        for (key, value) in [("sigma", sigma), ("sigma-max", sigmaLargest), ("sigma-min", sigmaSmallest), ("sample-step-size", sampleStepSize ?? 1)] {
            guard value > 0, value.isFinite else { throw fail(key, "must be a positive number") }
        }
        guard levels >= 1, levels <= 1_000 else { throw fail("sigma-levels", "must be between 1 and 1000") }
        guard levels == 1 || sigmaLargest > sigmaSmallest else { throw fail("sigma-max", "must exceed sigma-min") }
        guard ["geometric", "linear"].contains(spacing) else { throw fail("sigma-spacing", "'\(spacing)' is not geometric or linear") }
        guard ["noise-scaled", "single-energy"].contains(form) else { throw fail("sm-form", "'\(form)' is not noise-scaled or single-energy") }
        guard projections >= 1 else { throw fail("projections", "must be at least 1") }
        guard ScoreMatching.Projection(rawValue: projection) != nil else { throw fail("projection", "'\(projection)' is not rademacher or gaussian") }
        guard exactLimit >= 1 else { throw fail("exact-limit", "must be at least 1") }
        if let sampleSteps, sampleSteps < 0 { throw fail("sample-steps", "must not be negative") }
    }

    /// The settings under their YAML / command-line names, for the params table.
    var flattened: [String: String] {
        ["sigma": "\(sigma)", "sigma-max": "\(sigmaLargest)", "sigma-min": "\(sigmaSmallest)", "sigma-levels": "\(levels)",
         "sigma-spacing": spacing, "sm-form": form, "projections": "\(projections)", "projection": projection,
         "exact-limit": "\(exactLimit)", "sample-steps": sampleSteps.map { "\($0)" } ?? "default",
         "sample-step-size": sampleStepSize.map { "\($0)" } ?? "default"]
    }
}
