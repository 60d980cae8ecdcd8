import ArgumentParser
import Foundation
import RunLog

/// `joule runs`: list, show, compare and delete the runs in the run store.
struct RunsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "runs",
        abstract: "List, show, compare and delete recorded runs.",
        discussion: """
            Runs live in one SQLite database: \(RunStoreLocation.rule).
            Filters (--where) compare metrics.KEY (latest value), params.KEY, tags.KEY and attributes.NAME \
            (\(RunField.Attribute.allCases.map(\.rawValue).joined(separator: ", "))) with numbers or quoted text \
            using = != < <= > >= like, joined by and / or with parentheses. A comparison never matches a run \
            that lacks the field (so != too needs the field present), e.g.
              joule runs list --where "metrics.validation/accuracy > 0.9 and (params.optimizer = 'adam' or tags.note = 'x')"
            """,
        subcommands: [
            RunsListCommand.self, RunsShowCommand.self, RunsCompareCommand.self, RunsDeleteCommand.self,
            RunsExportScoresCommand.self,
            RunsWriteMetricsCommand.self,
        ]
    )
}

/// Options every `joule runs` subcommand shares.
struct RunsOptions: ParsableArguments {
    @OptionGroup var store: RunStoreOptions
    @Flag(help: "Print JSON.") var json = false
    @Flag(help: "Print CSV.") var csv = false

    var format: OutputFormat { get throws { try OutputFormat(json: json, csv: csv) } }

    /// The store for reading; a missing file is an error rather than a new empty store.
    func openForReading() throws -> RunStore { try store.openForReading() }

    func openForWriting() throws -> RunStore { try store.openForWriting() }
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
