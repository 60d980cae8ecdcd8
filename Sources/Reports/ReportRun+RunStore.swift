import Foundation
import RunLog

extension ReportRun {
    /// The report's view of a stored run: its settings (the params), tags, metric
    /// histories, evaluations, and the PNG images it recorded as artifacts.
    public init(_ record: RunRecord, in store: RunStore) throws {
        let histories = try store.metricHistory(of: record.id)
        let images = try store.artifacts(of: record.id).filter { $0.kind.hasPrefix("image") && $0.path.hasSuffix(".png") }
            .compactMap { artifact in
                FileManager.default.contents(atPath: artifact.path).map {
                    ReportImage(title: (artifact.path as NSString).lastPathComponent, pngData: $0)
                }
            }
        self.init(
            id: record.id, name: record.name, status: record.displayStatus(), statusReason: record.statusReason,
            experiment: record.experiment, startTime: record.startTime, endTime: record.endTime, seed: record.seed,
            objective: record.objective, model: record.model, dataset: record.dataset, codeVersion: record.codeVersion,
            config: try store.params(of: record.id), tags: try store.tags(of: record.id),
            latestMetrics: try store.latestMetrics(of: record.id).mapValues(\.value),
            metricHistory: histories.mapValues { $0.map { MetricPoint(step: $0.step, value: $0.value) } },
            evaluations: try store.evaluations(of: record.id).map {
                ReportEvaluation(dataset: $0.dataset, score: $0.score, metric: $0.metric, value: $0.value)
            },
            images: images)
    }
}
