import ArgumentParser
import Foundation
import RunLog

/// `joule runs compare ID ID …`: params, latest metrics and evaluations side by side.
struct RunsCompareCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "compare", abstract: "Compare runs side by side.",
        discussion: """
            Evaluation values are each run's newest per dataset and score, with the number of images, the \
            checkpoint and the measurement's id beside them; --evaluation ID (repeatable) takes one earlier \
            measurement of the run it belongs to instead.
            """)

    @OptionGroup var options: RunsOptions
    @Argument(help: "Run ids (or unique prefixes), two or more.") var ids: [String]
    @Flag(help: "Only the fields whose values differ between the runs.") var diffOnly = false
    @Option(
        name: .customLong("evaluation"),
        help: ArgumentHelp(
            "A measurement to show for its run instead of the newest values (repeatable).",
            valueName: "id"))
    var measurements: [Int] = []

    func run() throws {
        try reportingErrors("runs compare") {
            let format = try options.format
            guard ids.count >= 2 else { throw ValidationErrorText("compare needs at least two run ids") }
            let store = try options.openForReading()
            let records = try ids.map { try store.run($0) }
            let selections = try MeasurementChoice.selections(measurements, runs: records.map(\.id), in: store)
            let runs = try records.map {
                try RunDescription($0, in: store, evaluations: true, selection: selections[$0.id] ?? .latest)
            }
            let rows = Self.rows(runs).filter { !diffOnly || Set($0.values).count > 1 }
            let runIDs = runs.map(\.record.id)
            if let repeated = runIDs.first(where: { id in runIDs.filter { $0 == id }.count > 1 }) {
                throw ValidationErrorText("run \(repeated) is named twice")
            }
            if format == .json {
                try printJSON(
                    [
                        "runs": runIDs,
                        "fields": rows.map { row in
                            var object: [String: Any] = [
                                "field": row.field, "same": Set(row.values).count == 1,
                                "values": Dictionary(uniqueKeysWithValues: zip(runIDs, row.values)),
                            ]
                            if row.provenance.contains(where: { !$0.isEmpty }) {
                                object["measured_on"] = Dictionary(uniqueKeysWithValues: zip(runIDs, row.provenance))
                            }
                            return object
                        },
                    ] as [String: Any])
                return
            }
            let table = OutputTable(
                columns: ["field"] + runIDs,
                rows: rows.map { row in
                    [row.field]
                        + zip(row.values, row.provenance).map { value, provenance in
                            provenance.isEmpty || value.isEmpty ? value : "\(value) (\(provenance))"
                        }
                })
            print(format == .csv ? table.csv() : table.text(maximumWidth: 72))
        }
    }

    /// One row per field any run has: attributes, then params, tags, metrics and evaluations
    /// (these with what each value was measured on).
    static func rows(_ runs: [RunDescription]) -> [(field: String, values: [String], provenance: [String])] {
        let attributeNames = [
            "name", "status", "experiment", "model", "objective", "dataset", "seed", "start_time",
            "duration", "code_version",
        ]
        let none = [String](repeating: "", count: runs.count)
        var rows = attributeNames.map { name in
            ("attributes." + name, runs.map { $0.attribute(name) }, none)
        }
        func union(_ keys: (RunDescription) -> [String]) -> [String] { Set(runs.flatMap(keys)).sorted() }
        rows += union { Array($0.params.keys) }.map { key in ("params." + key, runs.map { $0.params[key] ?? "" }, none)
        }
        rows += union { Array($0.tags.keys) }.map { key in ("tags." + key, runs.map { $0.tags[key] ?? "" }, none) }
        rows += union { Array($0.metrics.keys) }.map { key in
            ("metrics." + key, runs.map { $0.metrics[key].map { MetricText.format($0.value) } ?? "" }, none)
        }
        let evaluationKey = { (e: EvaluationRecord) in "evaluations.\(e.dataset).\(e.score).\(e.metric)" }
        rows += union { $0.evaluations.map(evaluationKey) }.map { key in
            let values = runs.map { run in run.evaluations.first { evaluationKey($0) == key } }
            return (
                key, values.map { $0.map { MetricText.format($0.value) } ?? "" },
                zip(runs, values).map { run, value in value.map(run.provenance(of:)) ?? "" }
            )
        }
        return rows
    }
}

/// `--evaluation ID` options: which measurement each run shows.
enum MeasurementChoice {
    /// The selection of each run that a given measurement belongs to; a measurement of a run
    /// not named, or two of one run, is an error.
    static func selections(_ ids: [Int], runs: [String], in store: RunStore) throws -> [String: MeasurementSelection] {
        var result: [String: MeasurementSelection] = [:]
        for id in ids {
            let measurement = try store.measurement(id)
            guard runs.contains(measurement.runID) else {
                throw ValidationErrorText(
                    "--evaluation \(id) is a measurement of run \(measurement.runID), which is not named")
            }
            guard result[measurement.runID] == nil else {
                throw ValidationErrorText("--evaluation: two measurements of run \(measurement.runID)")
            }
            result[measurement.runID] = .only(id)
        }
        return result
    }
}
