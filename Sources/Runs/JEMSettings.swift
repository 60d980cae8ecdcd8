import Objectives
import Sampling
import Tensors

/// The settings of `--objective jem`, with the JEM reference's defaults (design.md §2):
/// 20 SGLD steps of size 1 and noise 0.01, a 10,000-sample replay buffer restarting 5% of
/// its chains from Uniform(−1, 1), and weight 1 on p(x) and p(y|x).
public struct JEMSettings: Codable, Sendable, Equatable {
    public var sgldSteps = 20
    public var sgldStepSize: Float = 1
    public var sgldNoise: Float = 0.01
    public var bufferSize = 10_000
    public var reinitializationRate: Float = 0.05
    /// uniform, or class-gaussian (JEM++'s informative start from per-class statistics).
    public var bufferStart = "uniform"
    /// Per-class buffers and class-conditional chains (needed by the p(x|y) term).
    public var classConditional = false
    /// The p(x) and p(y|x) weights; nil: 1 each (with a learned sampler, VERA's reference:
    /// 1 and 100 — `TrainingConfiguration.jemWeights`).
    public var marginalWeight: Float?
    public var classificationWeight: Float?
    public var conditionalWeight: Float = 0
    public var energySquaredWeight: Float = 0
    /// Semi-supervised: cross-entropy sees only this many labelled images per class (a fixed,
    /// seeded choice); p(x) sees all. nil: every label is used.
    public var labelsPerClass: Int?
    /// The number format of the SGLD gradient's convolutions, resolved from
    /// `TrainingConfiguration.samplerPrecision` by `jemSettings` (not saved with these settings).
    public internal(set) var precision: ConvolutionPrecision = .float32

    public init() {}

    /// Every setting but `precision`, which the configuration holds.
    enum CodingKeys: String, CodingKey {
        case sgldSteps, sgldStepSize, sgldNoise, bufferSize, reinitializationRate, bufferStart, classConditional
        case marginalWeight, classificationWeight, conditionalWeight, energySquaredWeight, labelsPerClass
    }

    /// The loss weights these settings give (p(x) and p(y|x) default to 1).
    public var weights: JEMWeights {
        JEMWeights(classification: classificationWeight ?? 1, marginal: marginalWeight ?? 1, conditional: conditionalWeight,
                   energySquared: energySquaredWeight)
    }

    /// The sampler these settings give.
    public var sgld: SGLD { SGLD(steps: sgldSteps, stepSize: sgldStepSize, noise: sgldNoise, precision: precision) }

    /// What the sampler's convolutions really multiply in on this CPU (the params table's
    /// value): bfloat16 falls back to float32 without native instructions.
    var effectivePrecision: ConvolutionPrecision {
        precision == .bfloat16 && !ConvolutionPrecision.bfloat16IsNative ? .float32 : precision
    }

    /// Checks ranges; the message names the setting.
    public func validate(classes: Int?) throws {
        func fail(_ key: String, _ problem: String) -> ConfigurationError { .invalid(key: key, problem: problem) }
        guard sgldSteps >= 0 else { throw fail("sgld-steps", "must not be negative") }
        guard sgldStepSize >= 0, sgldStepSize.isFinite else { throw fail("sgld-step-size", "must not be negative") }
        guard sgldNoise >= 0, sgldNoise.isFinite else { throw fail("sgld-noise", "must not be negative") }
        guard bufferSize >= 1 else { throw fail("buffer-size", "must be at least 1") }
        guard (0...1).contains(reinitializationRate) else { throw fail("reinit-rate", "must lie in 0…1") }
        guard ["uniform", "class-gaussian"].contains(bufferStart) else {
            throw fail("buffer-start", "'\(bufferStart)' is not uniform or class-gaussian")
        }
        guard conditionalWeight == 0 || classConditional else {
            throw fail("pxy-weight", "the p(x|y) term needs class-conditional chains (class-conditional: true)")
        }
        for (key, value) in [("px-weight", marginalWeight ?? 1), ("pyx-weight", classificationWeight ?? 1),
                             ("pxy-weight", conditionalWeight), ("energy-l2", energySquaredWeight)] {
            guard value >= 0, value.isFinite else { throw fail(key, "must be a non-negative number") }
        }
        if let labelsPerClass, labelsPerClass < 1 { throw fail("labels-per-class", "must be at least 1") }
        if classConditional, let classes, bufferSize % classes != 0 {
            throw fail("buffer-size", "\(bufferSize) does not split evenly into \(classes) class buffers")
        }
    }

    /// The settings under their YAML / command-line names, for the params table.
    var flattened: [String: String] {
        ["sgld-steps": "\(sgldSteps)", "sgld-step-size": "\(sgldStepSize)", "sgld-noise": "\(sgldNoise)",
         "buffer-size": "\(bufferSize)", "reinit-rate": "\(reinitializationRate)", "buffer-start": bufferStart,
         "class-conditional": "\(classConditional)", "px-weight": "\(marginalWeight ?? 1)", "pyx-weight": "\(classificationWeight ?? 1)",
         "pxy-weight": "\(conditionalWeight)", "energy-l2": "\(energySquaredWeight)",
         "labels-per-class": labelsPerClass.map { "\($0)" } ?? "all", "sampler-precision": effectivePrecision.rawValue]
    }
}
