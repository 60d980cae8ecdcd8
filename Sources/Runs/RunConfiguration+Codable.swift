import Foundation
import Layers
import Objectives
import Settings
import Tensors

/// The configuration in checkpoints and the run store: `{"format": 2, "core": {...}, ...}`,
/// each group under its settings' own keys (`"lr"`, `"sgld-steps"`). A configuration without
/// `format` was written before the settings were typed (one flat struct with optional JEM,
/// guard, score-matching and learned-sampler parts): it is read as that code meant it, so its
/// checkpoints resume as they ran.
extension RunConfiguration: Codable {
    /// The layout written now.
    public static let format = 2

    enum CodingKeys: String, CodingKey {
        case format, core, data, details, output, jem
        case divergenceGuard = "guard"
        case scoreMatching = "score-matching"
        case learnedSampler = "learned-sampler"
    }

    /// Reads the current layout (with `format`) or, without `format`, a legacy flat configuration.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        guard try container.decodeIfPresent(Int.self, forKey: .format) != nil else {
            self = try LegacyConfiguration(from: decoder).converted()
            return
        }
        self.init()
        core = try container.decodeIfPresent(CoreSettings.self, forKey: .core) ?? core
        data = try container.decodeIfPresent(DataSettings.self, forKey: .data) ?? data
        details = try container.decodeIfPresent(TrainingDetails.self, forKey: .details) ?? details
        output = try container.decodeIfPresent(OutputSettings.self, forKey: .output) ?? output
        jem = try container.decodeIfPresent(JEMSettings.self, forKey: .jem) ?? jem
        divergenceGuard =
            try container.decodeIfPresent(DivergenceGuardSettings.self, forKey: .divergenceGuard) ?? divergenceGuard
        scoreMatching =
            try container.decodeIfPresent(ScoreMatchingSettings.self, forKey: .scoreMatching) ?? scoreMatching
        learnedSampler =
            try container.decodeIfPresent(LearnedSamplerOptions.self, forKey: .learnedSampler) ?? learnedSampler
    }

    /// Writes the current layout: `format` and each group under its key.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(Self.format, forKey: .format)
        try container.encode(core, forKey: .core)
        try container.encode(data, forKey: .data)
        try container.encode(details, forKey: .details)
        try container.encode(output, forKey: .output)
        try container.encode(jem, forKey: .jem)
        try container.encode(divergenceGuard, forKey: .divergenceGuard)
        try container.encode(scoreMatching, forKey: .scoreMatching)
        try container.encode(learnedSampler, forKey: .learnedSampler)
    }
}

/// A configuration as the code before typed settings wrote it (`RunConfiguration`):
/// read only, to turn into a `RunConfiguration`.
struct LegacyConfiguration: Decodable {
    private var values: [String: JSONValue]

    init(from decoder: any Decoder) throws {
        values = try [String: JSONValue](from: decoder)
    }

    /// The same run under typed settings. Nested parts left out (nil) take the defaults they
    /// had; a sampler precision left out reads as float32, which that run used.
    func converted() throws -> RunConfiguration {
        var c = RunConfiguration()
        let v = values
        func text(_ key: String) -> String? { v[key]?.string }
        func number(_ key: String) -> Double? { v[key]?.number }
        /// A choice's text read as its type; a value that is none is an error naming it.
        func parse<Value: SettingValue>(_ text: String?, _ key: String, as type: Value.Type) throws -> Value? {
            guard let text else { return nil }
            guard let value = Value(argument: text) else {
                throw DecodingError.dataCorrupted(
                    .init(codingPath: [], debugDescription: "'\(key)': '\(text)' is not \(Value.expected)"))
            }
            return value
        }
        if let value = try parse(text("objective"), "objective", as: Objective.self) { c.core.objective = value }
        if let value = try parse(text("dataset"), "dataset", as: DatasetName.self) { c.core.dataset = value }
        if let value = try parse(text("model"), "model", as: ModelName.self) { c.core.model = value }
        if let epochs = number("epochs") { c.core.epochs = Int(epochs) }
        c.core.steps = number("steps").map { Int($0) }
        if let batch = number("batchSize") { c.core.batchSize = Int(batch) }
        if let rate = number("learningRate") { c.core.learningRate = Float(rate) }
        if let value = try parse(text("optimizer"), "optimizer", as: OptimizerKind.self) { c.core.optimizer = value }
        if let value = try parse(text("schedule"), "schedule", as: ScheduleKind.self) { c.core.schedule = value }
        if let warmup = number("warmupSteps") { c.core.warmupSteps = Int(warmup) }
        if let seed = v["seed"]?.unsigned { c.core.seed = seed }
        c.data.datasetPath = text("datasetPath")
        c.data.channels = number("channels").map { Int($0) }
        if let size = number("validationSize") { c.data.validationSize = Int(size) }
        if let noise = number("noise") { c.data.noise = Float(noise) }
        if let padding = number("cropPadding") { c.data.cropPadding = Int(padding) }
        if let flip = v["flip"]?.bool { c.data.flip = flip }
        if let value = try parse(text("normalization"), "normalization", as: NormalizationKind.self) {
            c.details.normalization = value
        }
        if let dropout = number("dropout") { c.details.dropout = Float(dropout) }
        if let momentum = number("momentum") { c.details.momentum = Float(momentum) }
        if let nesterov = v["nesterov"]?.bool { c.details.nesterov = nesterov }
        if let decay = number("weightDecay") { c.details.weightDecay = Float(decay) }
        if let beta1 = number("beta1") { c.details.beta1 = Float(beta1) }
        if let beta2 = number("beta2") { c.details.beta2 = Float(beta2) }
        c.details.stepEvery = number("stepEvery").map { Int($0) }
        if let milestones = v["milestones"]?.array {
            c.details.milestones = WholeNumbers(milestones.compactMap { $0.number.map { Int($0) } })
        }
        if let gamma = number("gamma") { c.details.gamma = Float(gamma) }
        c.details.clipNorm = number("clipNorm").map { Float($0) }
        if let batch = number("evaluationBatchSize") { c.details.evaluationBatchSize = Int(batch) }
        if let folder = text("checkpointDirectory") { c.output.checkpointDirectory = folder }
        c.output.checkpointEvery = number("checkpointEvery").map { Int($0) }
        // Written before the setting existed, the run computed in float32.
        c.jem.samplerPrecision =
            try parse(text("samplerPrecision") ?? "float32", "samplerPrecision", as: ConvolutionPrecision.self)
            ?? .float32
        if let jem = v["jem"]?.object {
            func n(_ key: String) -> Double? { jem[key]?.number }
            if let steps = n("sgldSteps") { c.jem.sgldSteps = Int(steps) }
            if let size = n("sgldStepSize") { c.jem.sgldStepSize = Float(size) }
            if let noise = n("sgldNoise") { c.jem.sgldNoise = Float(noise) }
            if let size = n("bufferSize") { c.jem.bufferSize = Int(size) }
            if let rate = n("reinitializationRate") { c.jem.reinitializationRate = Float(rate) }
            if let value = try parse(jem["bufferStart"]?.string, "bufferStart", as: BufferStart.self) {
                c.jem.bufferStart = value
            }
            if let conditional = jem["classConditional"]?.bool { c.jem.classConditional = conditional }
            c.jem.marginalWeight = n("marginalWeight").map { Float($0) }
            c.jem.classificationWeight = n("classificationWeight").map { Float($0) }
            if let weight = n("conditionalWeight") { c.jem.conditionalWeight = Float(weight) }
            if let weight = n("energySquaredWeight") { c.jem.energySquaredWeight = Float(weight) }
            c.jem.labelsPerClass = n("labelsPerClass").map { Int($0) }
        }
        if let guardValues = v["divergenceGuard"]?.object {
            func n(_ key: String) -> Double? { guardValues[key]?.number }
            if let bound = n("lossBound") { c.divergenceGuard.lossBound = Float(bound) }
            if let bound = n("energyGapBound") { c.divergenceGuard.energyGapBound = Float(bound) }
            if let count = n("maximumRecoveries") { c.divergenceGuard.maximumRecoveries = Int(count) }
            if let factor = n("learningRateFactor") { c.divergenceGuard.learningRateFactor = Float(factor) }
            if let steps = n("addedSGLDSteps") { c.divergenceGuard.addedSGLDSteps = Int(steps) }
            if let weight = n("addedEnergyL2") { c.divergenceGuard.addedEnergyL2 = Float(weight) }
            if let every = n("snapshotEvery") { c.divergenceGuard.snapshotEvery = Int(every) }
        }
        if let sm = v["scoreMatching"]?.object {
            func n(_ key: String) -> Double? { sm[key]?.number }
            if let sigma = n("sigma") { c.scoreMatching.sigma = Float(sigma) }
            if let sigma = n("sigmaLargest") { c.scoreMatching.sigmaLargest = Float(sigma) }
            if let sigma = n("sigmaSmallest") { c.scoreMatching.sigmaSmallest = Float(sigma) }
            if let levels = n("levels") { c.scoreMatching.levels = Int(levels) }
            if let value = try parse(sm["spacing"]?.string, "spacing", as: NoiseSpacing.self) {
                c.scoreMatching.spacing = value
            }
            if let value = try parse(sm["form"]?.string, "form", as: MultiscaleFormName.self) {
                c.scoreMatching.form = value
            }
            if let count = n("projections") { c.scoreMatching.projections = Int(count) }
            if let value = try parse(sm["projection"]?.string, "projection", as: ScoreMatching.Projection.self) {
                c.scoreMatching.projection = value
            }
            if let limit = n("exactLimit") { c.scoreMatching.exactLimit = Int(limit) }
            c.scoreMatching.sampleSteps = n("sampleSteps").map { Int($0) }
            c.scoreMatching.sampleStepSize = n("sampleStepSize").map { Float($0) }
        }
        if let ls = v["learnedSampler"]?.object {
            func n(_ key: String) -> Double? { ls[key]?.number }
            c.learnedSampler.generator = ls["generator"]?.string
            c.learnedSampler.latentSize = n("latentSize").map { Int($0) }
            c.learnedSampler.entropyWeight = n("entropyWeight").map { Float($0) }
            c.learnedSampler.gradientPenalty = n("gradientPenalty").map { Float($0) }
            c.learnedSampler.generatorLearningRate = n("generatorLearningRate").map { Float($0) }
            c.learnedSampler.posteriorLearningRate = n("posteriorLearningRate").map { Float($0) }
            c.learnedSampler.importanceSamples = n("importanceSamples").map { Int($0) }
            c.learnedSampler.sigmaMinimum = n("sigmaMinimum").map { Float($0) }
            c.learnedSampler.sigmaMaximum = n("sigmaMaximum").map { Float($0) }
            c.learnedSampler.statisticsWidth = n("statisticsWidth").map { Int($0) }
            c.learnedSampler.beta1 = n("beta1").map { Float($0) }
            c.learnedSampler.beta2 = n("beta2").map { Float($0) }
        }
        return c
    }
}

/// A JSON value, for reading a legacy configuration by key.
enum JSONValue: Decodable {
    case null
    case bool(Bool)
    case number(Double)
    case unsigned(UInt64)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            self = .null
        } else if let value = try? container.decode(Bool.self) {
            self = .bool(value)
        } else if let value = try? container.decode(UInt64.self) {
            self = .unsigned(value)
        } else if let value = try? container.decode(Double.self) {
            self = .number(value)
        } else if let value = try? container.decode(String.self) {
            self = .string(value)
        } else if let value = try? container.decode([JSONValue].self) {
            self = .array(value)
        } else {
            self = .object(try container.decode([String: JSONValue].self))
        }
    }

    var string: String? { if case .string(let s) = self { s } else { nil } }
    var bool: Bool? { if case .bool(let b) = self { b } else { nil } }
    var number: Double? {
        switch self {
        case .number(let n): n
        case .unsigned(let n): Double(n)
        default: nil
        }
    }
    var unsigned: UInt64? {
        switch self {
        case .unsigned(let n): n
        case .number(let n) where n >= 0 && n == n.rounded(): UInt64(n)
        default: nil
        }
    }
    var array: [JSONValue]? { if case .array(let a) = self { a } else { nil } }
    var object: [String: JSONValue]? { if case .object(let o) = self { o } else { nil } }
}
