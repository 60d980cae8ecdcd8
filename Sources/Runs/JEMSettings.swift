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
    /// Proximal SGLD (JEM++, Yang & Ji 2021): each step's change, gradient step and noise
    /// together, is clipped to this radius in `sgldRadiusNorm` (nil: no clipping).
    @Setting(
        "Proximal SGLD (JEM++): clip each step's change (gradient step and noise) to this radius (default: none).",
        for: .jem)
    public var sgldRadius: Float?
    /// The norm of `sgldRadius`: linf (each value moves at most δ; JEM++'s) or l2 (each sample's step).
    @Setting("Norm of --sgld-radius: linf (each value, JEM++'s) or l2 (each sample's whole step).", for: .jem)
    public var sgldRadiusNorm: StepNorm = .linf
    /// Clamp the chains to the data's range −1…1 after each step (JEM++ does; default: off).
    @Setting("Clamp SGLD chains to the data range −1…1 after each step (JEM++).", for: .jem)
    public var sgldClamp: Bool = false
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
    /// Steps over which the p(x) and p(x|y) weights rise linearly from 0 to their values
    /// (`px-warmup`, default: 0, none): the classifier learns first, as a pretrained start would.
    @Setting("Steps over which the p(x) weights rise linearly from 0.", key: "px-warmup", for: .jem)
    public var marginalWarmupSteps: Int = 0
    /// Whether the p(x) term sees the augmented images (default: on). Off, augmentation feeds
    /// the cross-entropy term only and p(x) learns the clean images (SADA-JEM, Yang et al.
    /// 2023); the step then passes both through the model (64 more images at batch 64).
    @Setting(
        "Augment the images of the p(x) term too; --no-px-augmentation: augmentation feeds cross-entropy only (SADA-JEM).",
        key: "px-augmentation", for: .jem)
    public var marginalAugmentation: Bool = true
    /// Data images and SGLD samples in the p(x) term per step (`px-batch-size`); nil: the batch
    /// size. Fewer chains per step make the sampler cheaper (its cost is chains × steps) and the
    /// update's pass smaller, at the price of a noisier estimate of the p(x) gradient; the
    /// cross-entropy term keeps the whole batch.
    @Setting(
        "Data images and SGLD chains in the p(x) term per step (default: the batch size); cross-entropy keeps the batch.",
        key: "px-batch-size", for: .jem)
    public var marginalBatchSize: Int?
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
    /// Semi-supervised: labelled training images per class; nil uses every label. Cross-entropy
    /// trains on those alone (for as many steps as the epochs of the whole set take); JEM and
    /// the learned samplers learn p(x) from every image.
    @Setting(
        "Semi-supervised: this many labelled images per class (default: all); cross-entropy trains on them alone.",
        resume: .fixed, for: .classifiers)
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
        SGLD(
            steps: sgldSteps, stepSize: sgldStepSize, noise: sgldNoise,
            proximal: sgldRadius.map { ProximalStep(radius: $0, norm: sgldRadiusNorm == .l2 ? .l2 : .linf) },
            clampRange: sgldClamp ? -1...1 : nil, precision: samplerPrecision)
    }

    /// The share of the p(x) and p(x|y) weights in force at optimiser step `step` (0-based):
    /// step/`px-warmup` during the warm-up, 1 after it.
    public func marginalShare(atStep step: Int) -> Float {
        guard marginalWarmupSteps > 0, step < marginalWarmupSteps else { return 1 }
        return Float(max(step, 0)) / Float(marginalWarmupSteps)
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
        if let sgldRadius, !(sgldRadius > 0 && sgldRadius.isFinite) {
            throw fail("sgld-radius", "must be a positive number")
        }
        guard marginalWarmupSteps >= 0 else { throw fail("px-warmup", "must not be negative") }
        if let marginalBatchSize, marginalBatchSize < 1 { throw fail("px-batch-size", "must be at least 1") }
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
