import ArgumentParser
import Foundation
import RunLog

/// `joule runs compare ID ID …`: params, latest metrics and evaluations side by side.
struct RunsCompareCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "compare", abstract: "Compare runs side by side.")

    @OptionGroup var options: RunsOptions
    @Argument(help: "Run ids (or unique prefixes), two or more.") var ids: [String]
    @Flag(help: "Only the fields whose values differ between the runs.") var diffOnly = false

    func run() throws {
        try reportingErrors("runs compare") {
            let format = try options.format
            guard ids.count >= 2 else { throw ValidationErrorText("compare needs at least two run ids") }
            let store = try options.openForReading()
            let runs = try ids.map { try RunDescription(store.run($0), in: store, evaluations: true) }
            let rows = Self.rows(runs).filter { !diffOnly || Set($0.values).count > 1 }
            let runIDs = runs.map(\.record.id)
            if let repeated = runIDs.first(where: { id in runIDs.filter { $0 == id }.count > 1 }) {
                throw ValidationErrorText("run \(repeated) is named twice")
            }
            if format == .json {
                try printJSON([
                    "runs": runIDs,
                    "fields": rows.map { row in
                        ["field": row.field, "same": Set(row.values).count == 1,
                         "values": Dictionary(uniqueKeysWithValues: zip(runIDs, row.values))] as [String: Any]
                    },
                ] as [String: Any])
                return
            }
            let table = OutputTable(columns: ["field"] + runIDs, rows: rows.map { [$0.field] + $0.values })
            print(format == .csv ? table.csv() : table.text())
        }
    }

    /// One row per field any run has: attributes, then params, tags, metrics and evaluations.
    static func rows(_ runs: [RunDescription]) -> [(field: String, values: [String])] {
        let attributeNames = ["name", "status", "experiment", "model", "objective", "dataset", "seed", "start_time",
                              "duration", "code_version"]
        var rows = attributeNames.map { name in
            ("attributes." + name, runs.map { $0.attribute(name) })
        }
        func union(_ keys: (RunDescription) -> [String]) -> [String] { Set(runs.flatMap(keys)).sorted() }
        rows += union { Array($0.params.keys) }.map { key in ("params." + key, runs.map { $0.params[key] ?? "" }) }
        rows += union { Array($0.tags.keys) }.map { key in ("tags." + key, runs.map { $0.tags[key] ?? "" }) }
        rows += union { Array($0.metrics.keys) }.map { key in
            ("metrics." + key, runs.map { $0.metrics[key].map { formatMetric($0.value) } ?? "" })
        }
        let evaluationKey = { (e: EvaluationRecord) in "evaluations.\(e.dataset).\(e.score).\(e.metric)" }
        rows += union { $0.evaluations.map(evaluationKey) }.map { key in
            (key, runs.map { run in run.evaluations.first { evaluationKey($0) == key }.map { formatMetric($0.value) } ?? "" })
        }
        return rows
    }
}
