import Foundation
import Layers
import Objectives
import Yams

/// Settings read from a YAML file: a flat mapping of setting names (`batch-size` or
/// `batch_size`) to values, applied over the defaults. Unknown names and wrong types are
/// errors naming the file and the setting.
public enum ConfigurationFile {
    /// The largest configuration file read (it is a handful of settings).
    static let maximumBytes = 1 << 20

    public static func apply(_ url: URL, to configuration: TrainingConfiguration) throws -> TrainingConfiguration {
        let path = url.path
        let attributes = try? FileManager.default.attributesOfItem(atPath: path)
        guard let size = attributes?[.size] as? Int else { throw ConfigurationError.unreadable(file: path, problem: "cannot read the file") }
        guard size <= maximumBytes else { throw ConfigurationError.unreadable(file: path, problem: "larger than \(maximumBytes) bytes") }
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            throw ConfigurationError.unreadable(file: path, problem: "not UTF-8 text")
        }
        // Composed to nodes and read here rather than through `Yams.load`, whose conversion
        // to Swift values traps on a key that is not text (`? [a]: 1`, found by
        // `scripts/fuzz.sh yaml`). Only a flat mapping of text keys to scalars or lists of
        // scalars is a configuration, so nothing deeper is converted.
        let root: Node?
        do { root = try Yams.compose(yaml: text) } catch {
            throw ConfigurationError.unreadable(file: path, problem: "not valid YAML: \(error)")
        }
        guard let root else { return configuration }
        guard case .mapping(let mapping) = root else {
            throw ConfigurationError.unreadable(file: path, problem: "expected a mapping of setting names to values")
        }
        var settings: [String: Any] = [:]
        for (keyNode, valueNode) in mapping {
            guard case .scalar(let keyScalar) = keyNode else {
                throw ConfigurationError.unreadable(file: path, problem: "setting names must be text, not a list or a mapping")
            }
            let key = keyScalar.string.replacingOccurrences(of: "_", with: "-")
            guard settings[key] == nil else {
                throw ConfigurationError.unreadable(file: path, problem: "setting '\(key)' is given twice")
            }
            settings[key] = try value(of: valueNode, key: key, file: path)
        }
        var result = configuration
        for (key, value) in settings.sorted(by: { $0.key < $1.key }) {
            try set(key, to: value, in: &result, file: path)
        }
        return result
    }

    /// A setting's value: a scalar (text, number, bool as YAML resolves it) or a list of them.
    private static func value(of node: Node, key: String, file: String) throws -> Any {
        switch node {
        case .scalar:
            return node.any
        case .sequence(let items):
            return try items.map { item -> Any in
                guard case .scalar = item else {
                    throw ConfigurationError.wrongType(key: key, expected: "a value or a list of values, not nested lists or mappings", file: file)
                }
                return item.any
            }
        case .mapping, .alias:
            throw ConfigurationError.wrongType(key: key, expected: "a value or a list of values, not a mapping", file: file)
        }
    }

    /// Applies one setting by name (`file` names where it came from, for errors).
    public static func set(_ key: String, to value: Any, in c: inout TrainingConfiguration, file: String) throws {
        func string() throws -> String {
            if let s = value as? String { return s }
            throw ConfigurationError.wrongType(key: key, expected: "text", file: file)
        }
        func int() throws -> Int {
            if let i = value as? Int { return i }
            throw ConfigurationError.wrongType(key: key, expected: "a whole number", file: file)
        }
        func float() throws -> Float {
            if let d = value as? Double { return Float(d) }
            if let i = value as? Int { return Float(i) }
            throw ConfigurationError.wrongType(key: key, expected: "a number", file: file)
        }
        /// A nested settings group (nil until first set) with one field changed.
        func update<Group>(_ group: Group?, default empty: @autoclosure () -> Group,
                           _ change: (inout Group) throws -> Void) rethrows -> Group {
            var result = group ?? empty()
            try change(&result)
            return result
        }
        func bool() throws -> Bool {
            if let b = value as? Bool { return b }
            throw ConfigurationError.wrongType(key: key, expected: "true or false", file: file)
        }
        switch key {
        case "objective": c.objective = try string()
        case "dataset": c.dataset = try string()
        case "dataset-path": c.datasetPath = try string()
        case "channels": c.channels = try int()
        case "model": c.model = try string()
        case "normalization", "norm":
            guard let kind = NormalizationKind(rawValue: try string()) else {
                throw ConfigurationError.wrongType(key: key, expected: "none, layer, group or batch", file: file)
            }
            c.normalization = kind
        case "dropout": c.dropout = try float()
        case "epochs": c.epochs = try int()
        case "steps": c.steps = try int()
        case "batch-size": c.batchSize = try int()
        case "evaluation-batch-size": c.evaluationBatchSize = try int()
        case "lr", "learning-rate": c.learningRate = try float()
        case "optimizer": c.optimizer = try string()
        case "momentum": c.momentum = try float()
        case "nesterov": c.nesterov = try bool()
        case "weight-decay": c.weightDecay = try float()
        case "beta1": c.beta1 = try float()
        case "beta2": c.beta2 = try float()
        case "warmup", "warmup-steps": c.warmupSteps = try int()
        case "schedule": c.schedule = try string()
        case "step-every": c.stepEvery = try int()
        case "milestones":
            guard let list = value as? [Int] else { throw ConfigurationError.wrongType(key: key, expected: "a list of whole numbers", file: file) }
            c.milestones = list
        case "gamma": c.gamma = try float()
        case "clip-norm": c.clipNorm = try float()
        case "noise": c.noise = try float()
        case "crop-padding": c.cropPadding = try int()
        case "flip": c.flip = try bool()
        case "seed":
            let s = try int()
            guard s >= 0 else { throw ConfigurationError.wrongType(key: key, expected: "a non-negative whole number", file: file) }
            c.seed = UInt64(s)
        case "validation-size": c.validationSize = try int()
        case "checkpoint-dir", "checkpoint-directory": c.checkpointDirectory = try string()
        case "checkpoint-every": c.checkpointEvery = try int()
        case "sgld-steps": c.jem = try update(c.jem, default: JEMSettings()) { $0.sgldSteps = try int() }
        case "sgld-step-size": c.jem = try update(c.jem, default: JEMSettings()) { $0.sgldStepSize = try float() }
        case "sgld-noise": c.jem = try update(c.jem, default: JEMSettings()) { $0.sgldNoise = try float() }
        case "buffer-size": c.jem = try update(c.jem, default: JEMSettings()) { $0.bufferSize = try int() }
        case "reinit-rate", "reinitialization-rate": c.jem = try update(c.jem, default: JEMSettings()) { $0.reinitializationRate = try float() }
        case "buffer-start": c.jem = try update(c.jem, default: JEMSettings()) { $0.bufferStart = try string() }
        case "class-conditional": c.jem = try update(c.jem, default: JEMSettings()) { $0.classConditional = try bool() }
        case "px-weight": c.jem = try update(c.jem, default: JEMSettings()) { $0.marginalWeight = try float() }
        case "pyx-weight": c.jem = try update(c.jem, default: JEMSettings()) { $0.classificationWeight = try float() }
        case "pxy-weight": c.jem = try update(c.jem, default: JEMSettings()) { $0.conditionalWeight = try float() }
        case "energy-l2": c.jem = try update(c.jem, default: JEMSettings()) { $0.energySquaredWeight = try float() }
        case "labels-per-class": c.jem = try update(c.jem, default: JEMSettings()) { $0.labelsPerClass = try int() }
        case "sampler-precision": c.samplerPrecision = try string()
        case "guard-loss-bound": c.divergenceGuard = try update(c.divergenceGuard, default: DivergenceGuardSettings()) { $0.lossBound = try float() }
        case "guard-gap-bound": c.divergenceGuard = try update(c.divergenceGuard, default: DivergenceGuardSettings()) { $0.energyGapBound = try float() }
        case "guard-max-recoveries": c.divergenceGuard = try update(c.divergenceGuard, default: DivergenceGuardSettings()) { $0.maximumRecoveries = try int() }
        case "guard-lr-factor": c.divergenceGuard = try update(c.divergenceGuard, default: DivergenceGuardSettings()) { $0.learningRateFactor = try float() }
        case "guard-sgld-steps": c.divergenceGuard = try update(c.divergenceGuard, default: DivergenceGuardSettings()) { $0.addedSGLDSteps = try int() }
        case "guard-energy-l2": c.divergenceGuard = try update(c.divergenceGuard, default: DivergenceGuardSettings()) { $0.addedEnergyL2 = try float() }
        case "guard-snapshot-every": c.divergenceGuard = try update(c.divergenceGuard, default: DivergenceGuardSettings()) { $0.snapshotEvery = try int() }
        case "sigma": c.scoreMatching = try update(c.scoreMatching, default: ScoreMatchingSettings()) { $0.sigma = try float() }
        case "sigma-max": c.scoreMatching = try update(c.scoreMatching, default: ScoreMatchingSettings()) { $0.sigmaLargest = try float() }
        case "sigma-min": c.scoreMatching = try update(c.scoreMatching, default: ScoreMatchingSettings()) { $0.sigmaSmallest = try float() }
        case "sigma-levels": c.scoreMatching = try update(c.scoreMatching, default: ScoreMatchingSettings()) { $0.levels = try int() }
        case "sigma-spacing": c.scoreMatching = try update(c.scoreMatching, default: ScoreMatchingSettings()) { $0.spacing = try string() }
        case "sm-form": c.scoreMatching = try update(c.scoreMatching, default: ScoreMatchingSettings()) { $0.form = try string() }
        case "projections": c.scoreMatching = try update(c.scoreMatching, default: ScoreMatchingSettings()) { $0.projections = try int() }
        case "projection": c.scoreMatching = try update(c.scoreMatching, default: ScoreMatchingSettings()) { $0.projection = try string() }
        case "exact-limit": c.scoreMatching = try update(c.scoreMatching, default: ScoreMatchingSettings()) { $0.exactLimit = try int() }
        case "sample-steps": c.scoreMatching = try update(c.scoreMatching, default: ScoreMatchingSettings()) { $0.sampleSteps = try int() }
        case "sample-step-size": c.scoreMatching = try update(c.scoreMatching, default: ScoreMatchingSettings()) { $0.sampleStepSize = try float() }
        case "generator": c.learnedSampler = try update(c.learnedSampler, default: LearnedSamplerOptions()) { $0.generator = try string() }
        case "latent-size": c.learnedSampler = try update(c.learnedSampler, default: LearnedSamplerOptions()) { $0.latentSize = try int() }
        case "entropy-weight": c.learnedSampler = try update(c.learnedSampler, default: LearnedSamplerOptions()) { $0.entropyWeight = try float() }
        case "gradient-penalty": c.learnedSampler = try update(c.learnedSampler, default: LearnedSamplerOptions()) { $0.gradientPenalty = try float() }
        case "generator-lr": c.learnedSampler = try update(c.learnedSampler, default: LearnedSamplerOptions()) { $0.generatorLearningRate = try float() }
        case "posterior-lr": c.learnedSampler = try update(c.learnedSampler, default: LearnedSamplerOptions()) { $0.posteriorLearningRate = try float() }
        case "importance-samples": c.learnedSampler = try update(c.learnedSampler, default: LearnedSamplerOptions()) { $0.importanceSamples = try int() }
        case "statistics-width": c.learnedSampler = try update(c.learnedSampler, default: LearnedSamplerOptions()) { $0.statisticsWidth = try int() }
        case "generator-beta1": c.learnedSampler = try update(c.learnedSampler, default: LearnedSamplerOptions()) { $0.beta1 = try float() }
        case "generator-beta2": c.learnedSampler = try update(c.learnedSampler, default: LearnedSamplerOptions()) { $0.beta2 = try float() }
        case "vera-sigma-min": c.learnedSampler = try update(c.learnedSampler, default: LearnedSamplerOptions()) { $0.sigmaMinimum = try float() }
        case "vera-sigma-max": c.learnedSampler = try update(c.learnedSampler, default: LearnedSamplerOptions()) { $0.sigmaMaximum = try float() }
        default: throw ConfigurationError.unknownKey(key, file: file)
        }
    }
}
