import Foundation

extension TrainingConfiguration {
    /// The configuration as sorted JSON text.
    public var jsonText: String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return (try? encoder.encode(self)).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
    }

    /// Every setting under its YAML / command-line name (`lr`, `batch-size`), for the
    /// params table; unset optional settings are left out.
    public var flattened: [String: String] {
        func text(_ value: Float) -> String { "\(value)" }
        var settings: [String: String?] = [
            "objective": objective, "dataset": dataset, "dataset-path": datasetPath, "channels": channels.map(String.init), "model": model,
            "normalization": normalization.rawValue, "dropout": text(dropout), "epochs": "\(epochs)",
            "steps": steps.map { "\($0)" }, "batch-size": "\(batchSize)", "evaluation-batch-size": "\(evaluationBatchSize)",
            "lr": text(learningRate), "optimizer": optimizer, "momentum": text(momentum), "nesterov": "\(nesterov)",
            "weight-decay": text(weightDecay), "beta1": text(beta1), "beta2": text(beta2), "warmup": "\(warmupSteps)",
            "schedule": schedule, "step-every": stepEvery.map { "\($0)" }, "gamma": text(gamma),
            "clip-norm": clipNorm.map(text), "noise": text(noise), "crop-padding": "\(cropPadding)", "flip": "\(flip)",
            "seed": "\(seed)", "validation-size": "\(validationSize)", "checkpoint-dir": checkpointDirectory,
            "checkpoint-every": checkpointEvery.map(String.init),
        ]
        if !milestones.isEmpty { settings["milestones"] = milestones.map { "\($0)" }.joined(separator: ",") }
        var result = settings.compactMapValues { $0 }
        if objective == "jem" { result.merge(jemSettings.flattened) { a, _ in a } }
        if isScoreMatching { result.merge(scoreMatchingSettings.flattened) { a, _ in a } }
        if isLearnedSampler {
            result.merge(learnedSamplerSettings.flattened) { a, _ in a }
            let weights = jemWeights
            result["px-weight"] = "\(weights.marginal)"
            result["pyx-weight"] = "\(weights.classification)"
            result["energy-l2"] = "\(weights.energySquared)"
        }
        return result
    }
}
