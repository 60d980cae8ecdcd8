import Datasets
import Layers
import Objectives
import Settings
import Tensors

/// What a run trains: cross-entropy, JEM, one of the score-matching objectives, or a learned
/// sampler (a generator trained against the energy).
public enum Objective: String, SettingChoice {
    case ce, jem, esm, ssm
    case ssmVarianceReduced = "ssm-vr"
    case dsm, mdsm, vera, meg
    case kimBengio = "kim-bengio"

    /// esm, ssm, ssm-vr, dsm, mdsm: an energy with no classes, trained without sampling.
    public var isScoreMatching: Bool { [.esm, .ssm, .ssmVarianceReduced, .dsm, .mdsm].contains(self) }
    /// vera, meg, kim-bengio: a generator takes the place of MCMC.
    public var isLearnedSampler: Bool { [.vera, .meg, .kimBengio].contains(self) }
    /// The entropy estimate of a learned sampler.
    public var entropyEstimate: EntropyEstimate? { EntropyEstimate(rawValue: rawValue) }

    /// The objective's bit in `SettingScope`.
    public var scope: SettingScope { SettingScope(rawValue: 1 << UInt32(Self.allCases.firstIndex(of: self) ?? 0)) }
}

extension SettingScope {
    /// Cross-entropy alone.
    public static let ce = Objective.ce.scope
    /// JEM with SGLD.
    public static let jem = Objective.jem.scope
    /// The score-matching objectives.
    public static let scoreMatching = SettingScope(Objective.allCases.filter(\.isScoreMatching).map(\.scope))
    /// The learned samplers.
    public static let learnedSamplers = SettingScope(Objective.allCases.filter(\.isLearnedSampler).map(\.scope))
    /// What trains an energy against samples of a model: JEM and the learned samplers.
    public static let jemAndSamplers = SettingScope.jem.union(.learnedSamplers)
    /// Objectives with a classifier head (or which may have one).
    public static let classifiers = SettingScope.ce.union(.jemAndSamplers)
}

/// The data a run learns from: Fashion-MNIST (the Debian package), a folder of PNG images with
/// one subfolder per class, or a 2-D toy density's points.
public enum DatasetName: TextSettingValue, Hashable {
    case fashionMNIST
    case pngFolder(String)
    case toy(ToyDensity)

    /// Reads `fashion-mnist`, `png:FOLDER` or `toy:NAME`.
    public init?(argument: String) {
        if argument == "fashion-mnist" {
            self = .fashionMNIST
        } else if argument.hasPrefix("png:"), argument.count > 4 {
            self = .pngFolder(String(argument.dropFirst(4)))
        } else if argument.hasPrefix("toy:"), let density = ToyDensity(name: String(argument.dropFirst(4))) {
            self = .toy(density)
        } else {
            return nil
        }
    }

    /// What a dataset must look like, for errors, listing every toy density.
    public static var expected: String {
        "fashion-mnist, png:FOLDER or toy:NAME (" + ToyDensity.allCases.map { "toy:" + $0.name }.joined(separator: ", ")
            + ")"
    }

    /// The name as the command line spells it (`fashion-mnist`, `png:FOLDER`, `toy:NAME`).
    public var settingText: String {
        switch self {
        case .fashionMNIST: "fashion-mnist"
        case .pngFolder(let folder): "png:" + folder
        case .toy(let density): "toy:" + density.name
        }
    }

    /// Shell completion for the option: ArgumentParser's default kind (no fixed list of values).
    public static var defaultCompletionKind: CompletionKind { .default }

    /// The toy density, for a toy run.
    public var toyDensity: ToyDensity? {
        if case .toy(let density) = self { return density }
        return nil
    }

    /// Whether the run's inputs are a toy density's 2-D points.
    public var isToy: Bool { toyDensity != nil }
}

/// A model by name: `mlp`, `cnn-s`, `wrn-D-W` or `energy-mlp[-W]`.
public struct ModelName: TextSettingValue, Hashable {
    /// Which network it is, with its depth and width where the name gives them (`wrn-16-4`, `energy-mlp-256`).
    public var architecture: ModelSpecification.Architecture

    /// The model of `architecture`.
    public init(_ architecture: ModelSpecification.Architecture) { self.architecture = architecture }

    /// The small fully connected classifier.
    public static let mlp = ModelName(.mlp)
    /// The small convolutional classifier.
    public static let cnnS = ModelName(.cnnS)

    /// A single-output energy MLP `width` units wide (`energy-mlp` is 128).
    public static func energyMLP(width: Int = 128) -> ModelName { ModelName(.energyMLP(width: width)) }

    /// Reads a model name (`mlp`, `cnn-s`, `wrn-16-4`, `energy-mlp-256`); nil for any other.
    public init?(argument: String) {
        guard let specification = ModelSpecification(name: argument) else { return nil }
        architecture = specification.architecture
    }

    /// What a model name must look like, for errors.
    public static var expected: String {
        "a model: mlp, cnn-s, wrn-D-W with D = 6n+4 (e.g. wrn-16-4), or energy-mlp[-W]"
    }
    /// The model's canonical name (`cnn-s`, `wrn-16-4`; `energy-mlp` for width 128).
    public var settingText: String { ModelSpecification(architecture: architecture).name }

    /// Whether the model is a single-output energy (no classifier head).
    public var isEnergy: Bool {
        if case .energyMLP = architecture { return true }
        return false
    }
}

/// The optimiser: Adam, AdamW (decoupled weight decay) or SGD.
public enum OptimizerKind: String, SettingChoice {
    case adam, adamw, sgd
}

/// The learning-rate schedule after warm-up.
public enum ScheduleKind: String, SettingChoice {
    case constant, cosine, step
}

/// Where JEM's chains start: Uniform(−1, 1), or per-class Gaussians fitted to the data (JEM++).
public enum BufferStart: String, SettingChoice {
    case uniform
    case classGaussian = "class-gaussian"
}

/// Sharpness-aware minimisation: off, SAM's Euclidean ball, or ASAM's scale-invariant one.
public enum SharpnessAwareness: String, SettingChoice {
    case none, sam, asam
}

/// The norm a proximal SGLD step is clipped in: each value (L∞) or each sample's whole step (L2).
public enum StepNorm: String, SettingChoice {
    case linf, l2
}

/// How multi-scale DSM spaces its noise levels.
public enum NoiseSpacing: String, SettingChoice {
    case geometric, linear
}

/// Multi-scale DSM's form: the noise-scaled score (Song & Ermon) or one energy at σ_min (after Li et al.).
public enum MultiscaleFormName: String, SettingChoice {
    case noiseScaled = "noise-scaled"
    case singleEnergy = "single-energy"
}

extension NormalizationKind: ExpressibleByArgument, SettingValue, SettingChoice {}
extension ConvolutionPrecision: ExpressibleByArgument, SettingValue, SettingChoice {}
extension ScoreMatching.Projection: ExpressibleByArgument, SettingValue, SettingChoice {}
