import ArgumentParser
import Foundation
import RunLog

/// `joule runs show ID`: everything recorded about one run.
struct RunsShowCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show", abstract: "Show one run: attributes, params, metrics, evaluations, measurements, files.",
        discussion: """
            Evaluation values are those of the newest measurement (evaluate or calibrate) per dataset and score, \
            each with the number of images it was measured on, the checkpoint, and the measurement's id; \
            --evaluation ID shows one earlier measurement instead.
            """)

    @OptionGroup var options: RunsOptions
    @Argument(help: "Run id (or a unique prefix).") var id: String
    @Option(
        name: .customLong("evaluation"),
        help: ArgumentHelp(
            "Show this measurement's values only (an id from the list of measurements).",
            valueName: "id"))
    var measurement: Int?

    func run() throws {
        try reportingErrors("runs show") {
            let format = try options.format
            let store = try options.openForReading()
            let record = try store.run(id)
            let run = try RunDescription(
                record, in: store, evaluations: true, selection: measurement.map { .only($0) } ?? .latest)
            let artifacts = try store.artifacts(of: record.id)
            if format == .json {
                var object = run.json
                object["artifacts"] = artifacts.map {
                    ["kind": $0.kind, "path": $0.path, "sha256": $0.sha256 ?? NSNull(), "bytes": $0.bytes ?? NSNull()]
                        as [String: Any]
                }
                try printJSON(object)
                return
            }
            var rows = run.attributes.filter { !$0.1.isEmpty }.map { ["attributes." + $0.0, $0.1, ""] }
            rows += run.params.sorted { $0.key < $1.key }.map { ["params." + $0.key, $0.value, ""] }
            rows += run.tags.sorted { $0.key < $1.key }.map { ["tags." + $0.key, $0.value, ""] }
            rows += run.metrics.sorted { $0.key < $1.key }.map {
                ["metrics." + $0.key, MetricText.format($0.value.value), "step \($0.value.step)"]
            }
            rows += run.evaluations.map {
                [
                    "evaluations.\($0.dataset).\($0.score).\($0.metric)", MetricText.format($0.value),
                    run.provenance(of: $0),
                ]
            }
            rows += run.measurements.values.sorted { $0.id < $1.id }.map {
                ["measurements.#\($0.id)", RunDescription.line($0), ""]
            }
            rows += artifacts.map { ["artifacts.\($0.kind)", $0.path, "sha256 \($0.sha256?.prefix(12) ?? "?")…"] }
            let table = OutputTable(columns: ["field", "value", "measured on"], rows: rows)
            print(format == .csv ? table.csv() : table.text(maximumWidth: 100))
        }
    }
}
