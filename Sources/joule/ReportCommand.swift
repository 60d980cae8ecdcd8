import ArgumentParser
import Foundation
import Reports
import RunLog

/// `joule report RUN… --out report.html`: one self-contained HTML file comparing runs.
struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Write a self-contained HTML report of one or more runs.",
        discussion: """
        Summary, configuration differences, training curves (inline SVG), evaluations and images; \
        opens with no network. The report is recorded as an artifact of each run.
        """
    )

    @Option(help: "Run store (default $JOULE_RUNS_DB, else checkpoints/runs.sqlite).") var runsDb: String?
    @Argument(help: "Run ids (or unique prefixes).") var ids: [String]
    @Option(help: "Where to write the HTML file.") var out: String = "report.html"
    @Option(help: "The report's title.") var title: String?

    func run() throws {
        try reportingErrors("report") {
            guard !ids.isEmpty else { throw ValidationErrorText("name at least one run") }
            let storePath = RunsOptions.storePath(runsDb, checkpointDirectory: nil)
            let store = try RunStore(path: storePath, readOnly: true)
            let records = try ids.map { try store.run($0) }
            let runs = try records.map { try ReportRun($0, in: store) }
            let html = HTMLReport.render(runs, title: title ?? "Joule report: " + records.map(\.id).joined(separator: ", "),
                                         generatedAt: Date())
            let url = URL(fileURLWithPath: out)
            do {
                // Written whole to a temporary file, then renamed: never half a report.
                try Data(html.utf8).write(to: url, options: .atomic)
            } catch {
                throw ValidationErrorText("cannot write \(out): \(error.localizedDescription)")
            }
            // Recorded with each run when the store is writable; a read-only store still reports.
            if let writable = try? RunStore(path: storePath) {
                for record in records { try writable.addArtifact(kind: "report", path: url.path, for: record.id) }
            }
            print("wrote \(out) (\(records.count) run\(records.count == 1 ? "" : "s"), \(html.utf8.count / 1024) KiB)")
        }
    }
}
