import Objectives
import Sampling
import Settings
import Tensors

/// The settings of `--objective jem`, with the JEM reference's defaults (design.md §2):
/// 20 SGLD steps of size 1 and noise 0.01, a 10,000-sample replay buffer restarting 5% of
/// its chains from Uniform(−1, 1), and weight 1 on p(x) and p(y|x). The weights, the energy
/// penalty and the labelled subset serve the learned samplers' JEM too.
@SettingsGroup(title: "JEM")
public struct JEMSettings: Sendable, Equatable {
    /// SGLD steps per training iteration (default: 20).
    @Setting("SGLD steps per iteration.", for: .jem)
    public var sgldSteps: Int = 20
    /// SGLD step size η in xₜ₊₁ = xₜ − η∇E(xₜ) + σε (default: 1, JEM's).
    @Setting("SGLD step size η.", for: .jem)
    public var sgldStepSize: Float = 1
    /// SGLD noise σ in xₜ₊₁ = xₜ − η∇E(xₜ) + σε, ε ~ N(0, I) (default: 0.01, JEM's).
    @Setting("SGLD noise σ.", for: .jem)
    public var sgldNoise: Float = 0.01
    /// Samples in the replay buffer (default: 10,000); a resumed run keeps it.
    @Setting("Replay buffer size.", resume: .fixed, for: .jem)
    public var bufferSize: Int = 10_000
    /// Share of chains restarted from the start distribution at each draw, in 0…1 (`reinit-rate`, default: 0.05).
    @Setting("Share of chains restarted per draw.", key: "reinit-rate", aliases: ["reinitialization-rate"], for: .jem)
    public var reinitializationRate: Float = 0.05
    /// Where new chains start: Uniform(−1, 1) (default) or per-class Gaussians fitted to the data (JEM++).
    @Setting("Where chains start: uniform or class-gaussian (JEM++).", resume: .fixed, for: .jem)
    public var bufferStart: BufferStart = .uniform
    /// Per-class replay buffers and class-conditional chains (default: off), which the p(x|y) term needs.
    @Setting("Per-class buffers and class-conditional chains.", resume: .fixed, for: .jem)
    public var classConditional: Bool = false
    /// Weight of the p(x) term, mean E(data) − mean E(samples) (`px-weight`); nil: 1.
    @Setting("Weight of the p(x) term (default: 1).", key: "px-weight", for: .jemAndSamplers)
    public var marginalWeight: Float?
    /// Weight of the cross-entropy p(y|x) term (`pyx-weight`); nil: 1 with SGLD, 100 with a learned sampler.
    @Setting(
        "Weight of the p(y|x) term (default: 1; 100 with a learned sampler, VERA's).", key: "pyx-weight",
        for: .jemAndSamplers)
    public var classificationWeight: Float?
    /// Weight of the p(x|y) term, which needs `classConditional` (`pxy-weight`, default: 0).
    @Setting("Weight of the p(x|y) term, with --class-conditional.", key: "pxy-weight", for: .jem)
    public var conditionalWeight: Float = 0
    /// Weight of the L2 penalty on the energies of data and samples (`energy-l2`, default: 0).
    @Setting("Weight of the energies' L2 penalty.", key: "energy-l2", for: .jemAndSamplers)
    public var energySquaredWeight: Float = 0
    /// Semi-supervised: labelled training images per class; nil uses every label.
    @Setting(
        "Semi-supervised: this many labelled images per class (default: all).", resume: .fixed, for: .jemAndSamplers)
    public var labelsPerClass: Int?
    /// Number format of the SGLD gradient's convolutions (default: bfloat16, float32 where that is not native).
    @Setting(
        """
        Number format of the SGLD gradient's convolutions: bfloat16 (inputs rounded, float32 sums: ≈ 25% faster cnn-s \
        iterations, same accuracy; float32 on CPUs without AVX512_BF16 or AMX) or float32; a run saved before the setting \
        existed resumes in float32.
        """, for: .jem)
    public var samplerPrecision: ConvolutionPrecision = .bfloat16

    /// The defaults, as each setting declares them.
    public init() {}

    /// The loss weights these settings give (p(x) and p(y|x) default to 1).
    public var weights: JEMWeights {
        JEMWeights(
            classification: classificationWeight ?? 1, marginal: marginalWeight ?? 1, conditional: conditionalWeight,
            energySquared: energySquaredWeight)
    }

    /// The sampler these settings give.
    public var sgld: SGLD {
        SGLD(steps: sgldSteps, stepSize: sgldStepSize, noise: sgldNoise, precision: samplerPrecision)
    }

    /// What the sampler's convolutions really multiply in on this CPU (the params table's
    /// value): bfloat16 falls back to float32 without native instructions.
    public var effectivePrecision: ConvolutionPrecision {
        samplerPrecision == .bfloat16 && !ConvolutionPrecision.bfloat16IsNative ? .float32 : samplerPrecision
    }

    /// Checks ranges; the message names the setting.
    public func validate(classes: Int?) throws {
        func fail(_ key: String, _ problem: String) -> ConfigurationError { .invalid(key: key, problem: problem) }
        guard sgldSteps >= 0 else { throw fail("sgld-steps", "must not be negative") }
        guard sgldStepSize >= 0, sgldStepSize.isFinite else {
            throw fail("sgld-step-size", "must be a non-negative number")
        }
        guard sgldNoise >= 0, sgldNoise.isFinite else { throw fail("sgld-noise", "must be a non-negative number") }
        guard bufferSize >= 1 else { throw fail("buffer-size", "must be at least 1") }
        guard (0...1).contains(reinitializationRate) else { throw fail("reinit-rate", "must lie in 0…1") }
        guard conditionalWeight == 0 || classConditional else {
            throw fail("pxy-weight", "the p(x|y) term needs class-conditional chains (class-conditional: true)")
        }
        for (key, value) in [
            ("px-weight", marginalWeight ?? 1), ("pyx-weight", classificationWeight ?? 1),
            ("pxy-weight", conditionalWeight), ("energy-l2", energySquaredWeight),
        ] {
            guard value >= 0, value.isFinite else { throw fail(key, "must be a non-negative number") }
        }
        if let labelsPerClass, labelsPerClass < 1 { throw fail("labels-per-class", "must be at least 1") }
        if classConditional, let classes, bufferSize % classes != 0 {
            throw fail("buffer-size", "\(bufferSize) does not split evenly into \(classes) class buffers")
        }
    }
}
