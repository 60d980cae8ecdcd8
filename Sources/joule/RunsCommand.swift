import ArgumentParser
import Foundation
import RunLog

/// `joule runs`: list, show, compare and delete the runs in the run store.
struct RunsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "runs",
        abstract: "List, show, compare and delete recorded runs.",
        discussion: """
        Runs live in one SQLite database: --runs-db, else $JOULE_RUNS_DB, else checkpoints/runs.sqlite.
        Filters (--where) compare metrics.KEY (latest value), params.KEY, tags.KEY and attributes.NAME \
        (\(RunField.Attribute.allCases.map(\.rawValue).joined(separator: ", "))) with numbers or quoted text \
        using = != < <= > >= like, joined by and / or with parentheses. A comparison never matches a run \
        that lacks the field (so != too needs the field present), e.g.
          joule runs list --where "metrics.validation/accuracy > 0.9 and (params.optimizer = 'adam' or tags.note = 'x')"
        """,
        subcommands: [RunsListCommand.self, RunsShowCommand.self, RunsCompareCommand.self, RunsDeleteCommand.self, RunsExportScoresCommand.self,
                      RunsWriteMetricsCommand.self]
    )
}

/// Options every `joule runs` subcommand shares.
struct RunsOptions: ParsableArguments {
    @Option(help: "Run store (default $JOULE_RUNS_DB, else checkpoints/runs.sqlite).") var runsDb: String?
    @Flag(help: "Print JSON.") var json = false
    @Flag(help: "Print CSV.") var csv = false

    var format: OutputFormat { get throws { try OutputFormat(json: json, csv: csv) } }

    /// The store for reading; a missing file is an error rather than a new empty store.
    func openForReading() throws -> RunStore {
        try RunStore(path: Self.storePath(runsDb, checkpointDirectory: nil), readOnly: true)
    }

    func openForWriting() throws -> RunStore {
        try RunStore(path: Self.storePath(runsDb, checkpointDirectory: nil))
    }

    /// The option, else `$JOULE_RUNS_DB`, else the checkpoint directory's `runs.sqlite`.
    static func storePath(_ option: String?, checkpointDirectory: String?) -> String {
        if let option { return option }
        if let path = ProcessInfo.processInfo.environment["JOULE_RUNS_DB"], !path.isEmpty { return path }
        return URL(fileURLWithPath: checkpointDirectory ?? "checkpoints").appendingPathComponent("runs.sqlite").relativePath
    }
}

/// Runs a subcommand body, turning library errors into a message and exit status 1.
func reportingErrors(_ command: String, _ body: () throws -> Void) throws {
    do {
        try body()
    } catch let error as ExitCode {
        throw error
    } catch let error as RunFilterError {
        FileHandle.standardError.write(Data("joule \(command): \(error)\n".utf8))
        throw ExitCode(2)
    } catch {
        FileHandle.standardError.write(Data("joule \(command): \(error)\n".utf8))
        throw ExitCode.failure
    }
}

/// A stored run as one flat record of strings for tables, and as JSON.
struct RunDescription {
    let record: RunRecord
    let params: [String: String]
    let tags: [String: String]
    let metrics: [String: MetricPointRecord]
    let evaluations: [EvaluationRecord]
    /// The attribute values by name, as text, in display order.
    let attributes: [(String, String)]

    init(_ record: RunRecord, in store: RunStore, evaluations: Bool = false) throws {
        self.record = record
        params = try store.params(of: record.id)
        tags = try store.tags(of: record.id)
        metrics = try store.latestMetrics(of: record.id)
        self.evaluations = evaluations ? try store.evaluations(of: record.id) : []
        attributes = Self.attributes(of: record)
    }

    var duration: Double? { Self.duration(of: record) }

    /// The attribute's text ("" when the run has none).
    func attribute(_ name: String) -> String { attributes.first { $0.0 == name }?.1 ?? "" }

    private static func duration(of record: RunRecord) -> Double? {
        guard let end = record.endTime ?? record.heartbeatTime else { return nil }
        return end.timeIntervalSince(record.startTime)
    }

    private static func attributes(of r: RunRecord) -> [(String, String)] {
        let seconds = duration(of: r)
        return [("id", r.id), ("name", r.name), ("experiment", r.experiment ?? ""), ("status", r.displayStatus()),
                ("status_reason", r.statusReason ?? ""), ("start_time", RunTime.format(r.startTime)),
                ("end_time", r.endTime.map(RunTime.format) ?? ""), ("duration", seconds.map { String(format: "%.1f s", $0) } ?? ""),
                ("seed", r.seed.map(String.init) ?? ""), ("objective", r.objective ?? ""), ("model", r.model ?? ""),
                ("dataset", r.dataset ?? ""), ("code_version", r.codeVersion ?? "")]
    }

    /// The value of a field as text ("" when the run lacks it).
    func value(of field: RunField) -> String {
        switch field.namespace {
        case .metrics: metrics[field.key].map { formatMetric($0.value) } ?? ""
        case .params: params[field.key] ?? ""
        case .tags: tags[field.key] ?? ""
        case .attributes: attribute(field.key)
        }
    }

    var json: [String: Any] {
        var object: [String: Any] = [:]
        for (key, value) in attributes where !value.isEmpty { object[key] = value }
        object["seed"] = record.seed
        object["duration_seconds"] = duration
        object["config"] = record.config.flatMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) }
        object["params"] = params
        object["tags"] = tags
        object["metrics"] = metrics.mapValues { jsonMetric($0.value) }
        object["metric_steps"] = metrics.mapValues(\.step)
        if !evaluations.isEmpty {
            object["evaluations"] = evaluations.map {
                ["dataset": $0.dataset, "score": $0.score, "metric": $0.metric, "value": jsonMetric($0.value)] as [String: Any]
            }
        }
        return object
    }
}
