import Foundation
import RunLog

extension SampleQualityEvaluation.Result {
    /// The set name the store files the samples' numbers under.
    public static let dataset = "class-samples"
    /// The score name of those rows.
    public static let score = "sample-quality"

    /// The rows: ("class-samples", "sample-quality", conditional_accuracy / frechet_distance /
    /// precision / recall), the settings column saying how the samples were drawn and judged.
    public var records: [EvaluationRecord] {
        let settings = jsonText(recordedSettings)
        return [
            ("conditional_accuracy", conditionalAccuracy), ("frechet_distance", frechetDistance),
            ("precision", precision), ("recall", recall),
        ].map {
            EvaluationRecord(dataset: Self.dataset, score: Self.score, metric: $0.0, value: $0.1, settings: settings)
        }
    }

    /// The measurement the rows belong to: an evaluation of the run's checkpoint whose "in"
    /// set is the test set the samples are compared with.
    public var measurement: NewMeasurement {
        NewMeasurement(
            kind: .evaluation, checkpoint: checkpoint, checkpointStep: checkpointStep, inDataset: "test",
            inCount: realCount, settings: jsonText(recordedSettings))
    }

    var recordedSettings: [String: String] {
        [
            "group": "samples", "start": "uniform noise, fresh chains", "samples": String(sampleCount),
            "per_class": String(chainsPerClass), "steps": String(steps),
            "step_size": String(stepSize), "noise": String(noise), "classifier": classifier,
            "classifier_run": classifierRun, "feature_space": featureSpace, "real_count": String(realCount),
            "checkpoint": checkpoint, "neighbours": String(neighbours),
        ]
    }
}
