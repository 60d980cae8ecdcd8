import ArgumentParser
import Foundation
import RunLog

/// `joule runs list`: runs matching a filter, in an order, as a table, JSON or CSV.
struct RunsListCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List runs, filtered and ordered.")

    @OptionGroup var options: RunsOptions
    @Option(
        name: .customLong("where"), help: "Filter, e.g. \"metrics.validation/accuracy > 0.9 and params.lr < 0.01\".")
    var filter: String?
    @Option(help: "Order, e.g. \"metrics.validation/accuracy desc, attributes.start_time\" (default: newest first).")
    var orderBy: String?
    @Option(help: "At most this many runs.") var limit: Int?
    @Option(help: "Extra columns, e.g. \"metrics.test/accuracy,params.lr\".") var columns: String?

    func run() throws {
        try reportingErrors("runs list") {
            let format = try options.format
            let parsedFilter = try filter.map(RunFilter.parse)
            let ordering = try orderBy.map(RunOrdering.parse) ?? .newestFirst
            if let limit, limit < 0 { throw ValidationErrorText("--limit must be at least 0") }
            let store = try options.openForReading()
            let named =
                (parsedFilter.map(Self.fields) ?? []) + ordering.terms.map(\.field)
                + (try columns.map(Self.fields) ?? [])
            for warning in try Self.unknownFields(named, in: store) {
                FileHandle.standardError.write(Data("joule runs list: warning: \(warning)\n".utf8))
            }
            let runs = try store.runs(where: parsedFilter, orderedBy: ordering, limit: limit)
            let descriptions = try runs.map { try RunDescription($0, in: store) }
            if format == .json {
                try printJSON(descriptions.map(\.json))
                return
            }
            var extra: [RunField] = []
            for field in (try columns.map(Self.fields) ?? []) + (parsedFilter.map(Self.fields) ?? [])
                + ordering.terms.map(\.field)
            where field.namespace != .attributes && !extra.contains(field) {
                extra.append(field)
            }
            let base = ["id", "name", "status", "model", "dataset", "start_time", "duration"]
            let table = OutputTable(
                columns: base + extra.map(\.description),
                rows: descriptions.map { d in
                    base.map(d.attribute) + extra.map(d.value(of:))
                })
            print(
                format == .csv
                    ? table.csv() : (runs.isEmpty ? "no runs" + (filter == nil ? "" : " match") : table.text()))
        }
    }

    /// The fields a filter mentions, in order.
    static func fields(_ filter: RunFilter) -> [RunField] {
        switch filter {
        case .comparison(let field, _, _): [field]
        case .and(let a, let b), .or(let a, let b): fields(a) + fields(b)
        }
    }

    /// A warning for each field no run in the store has, with the closest names some run has:
    /// a misspelt field matches nothing, silently, otherwise.
    static func unknownFields(_ fields: [RunField], in store: RunStore) throws -> [String] {
        var warnings: [String] = []
        var seen: Set<String> = []
        for field in fields where seen.insert(field.description).inserted {
            let known = try store.knownKeys(in: field.namespace)
            guard !known.contains(field.key) else { continue }
            let others = try RunField.Namespace.allCases.filter { $0 != field.namespace }.flatMap { namespace in
                try store.knownKeys(in: namespace).filter { $0 == field.key }.map { "\(namespace.rawValue).\($0)" }
            }
            let close = Spelling.closest(to: field.key, in: known).map { "\(field.namespace.rawValue).\($0)" } + others
            warnings.append(
                "no run has \(field.description), so it matches nothing"
                    + (close.isEmpty ? "" : "; did you mean \(close.joined(separator: ", "))?"))
        }
        return warnings
    }

    /// Fields from a comma-separated list.
    static func fields(_ list: String) throws -> [RunField] {
        try RunOrdering.parse(list).terms.map(\.field)
    }
}
