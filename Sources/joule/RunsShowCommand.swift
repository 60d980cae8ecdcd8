import ArgumentParser
import Foundation
import RunLog

/// `joule runs show ID`: everything recorded about one run.
struct RunsShowCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "show", abstract: "Show one run: attributes, params, metrics, artifacts.")

    @OptionGroup var options: RunsOptions
    @Argument(help: "Run id (or a unique prefix).") var id: String

    func run() throws {
        try reportingErrors("runs show") {
            let format = try options.format
            let store = try options.openForReading()
            let record = try store.run(id)
            let run = try RunDescription(record, in: store, evaluations: true)
            let artifacts = try store.artifacts(of: record.id)
            if format == .json {
                var object = run.json
                object["artifacts"] = artifacts.map {
                    ["kind": $0.kind, "path": $0.path, "sha256": $0.sha256 ?? NSNull(), "bytes": $0.bytes ?? NSNull()] as [String: Any]
                }
                try printJSON(object)
                return
            }
            var rows = run.attributes.filter { !$0.1.isEmpty }.map { ["attributes." + $0.0, $0.1] }
            rows += run.params.sorted { $0.key < $1.key }.map { ["params." + $0.key, $0.value] }
            rows += run.tags.sorted { $0.key < $1.key }.map { ["tags." + $0.key, $0.value] }
            rows += run.metrics.sorted { $0.key < $1.key }.map { ["metrics." + $0.key, "\(formatMetric($0.value.value))  (step \($0.value.step))"] }
            rows += run.evaluations.map { ["evaluations.\($0.dataset).\($0.score).\($0.metric)", formatMetric($0.value)] }
            rows += artifacts.map { ["artifacts.\($0.kind)", "\($0.path)  sha256 \($0.sha256?.prefix(12) ?? "?")…"] }
            let table = OutputTable(columns: ["field", "value"], rows: rows)
            print(format == .csv ? table.csv() : table.text(maximumWidth: 100))
        }
    }
}

/// `joule runs delete ID`: removes a run and everything recorded for it.
struct RunsDeleteCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "delete", abstract: "Delete a run from the store.")

    @OptionGroup var options: RunsOptions
    @Argument(help: "Run id (or a unique prefix).") var id: String
    @Flag(help: "Also delete the run's recorded files (checkpoints, images, reports) that no other run records.") var deleteFiles = false
    @Flag(help: "Delete even a run that is still running.") var force = false

    func run() throws {
        try reportingErrors("runs delete") {
            let store = try options.openForWriting()
            let record = try store.run(id)
            if record.displayStatus() == "RUNNING" && !force {
                throw ValidationErrorText("run \(record.id) is still running (pid \(record.pid.map(String.init) ?? "?")); --force deletes it anyway")
            }
            let artifacts = try store.artifacts(of: record.id)
            try store.deleteRun(id: record.id)
            var removed = 0
            if deleteFiles {
                // Files another run also records (a shared report) stay.
                let stillRecorded = Set(try store.runs().flatMap { try store.artifacts(of: $0.id).map(\.path) })
                for artifact in artifacts where FileManager.default.fileExists(atPath: artifact.path) && !stillRecorded.contains(artifact.path) {
                    try FileManager.default.removeItem(atPath: artifact.path)
                    removed += 1
                }
            }
            print("deleted run \(record.id)" + (deleteFiles ? " and \(removed) file(s)" : artifacts.isEmpty ? "" : " (its \(artifacts.count) file(s) are kept; --delete-files removes them)"))
        }
    }
}
