import Runs
import Settings

/// The one place that maps a configuration's objective to its implementation.
enum TrainingObjectives {
    /// The objective `configuration` names, over the data prepared for it.
    static func make(_ configuration: RunConfiguration, data: RunPreparation.Data) throws -> any TrainingObjective {
        let objective = configuration.core.objective
        switch data {
        case .classifier(let images):
            let examples = ClassifierExamples(images, configuration: configuration)
            if objective == .ce { return CrossEntropyObjective(examples: examples) }
            if objective == .jem { return try JEMObjective(examples) }
            if objective.isLearnedSampler {
                return try LearnedSamplerObjective(.classifier(examples), configuration: configuration)
            }
        case .energy(let energy):
            let examples = EnergyExamples(data: energy, configuration: configuration)
            if objective.isScoreMatching { return ScoreMatchingObjective(examples: examples) }
            if objective.isLearnedSampler {
                return try LearnedSamplerObjective(.energy(examples), configuration: configuration)
            }
        }
        throw ConfigurationError.invalid(key: "objective", problem: "\(objective) does not train on this data")
    }
}
