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
            A decision page: each run under a readable name, a summary (accuracy, NLL, ECE before and after \
            calibration, the best OOD AUROC per set, each with the number of images and the checkpoint), \
            warnings (calibration that made things worse, inverted scores), shared training curves, then \
            the rest folded: every curve, the evaluation table, configuration differences, reliability \
            diagrams, score histograms and images. Opens with no network; recorded as an artifact of each run. \
            Evaluations are each run's newest per dataset and score; --evaluation ID (repeatable) takes an earlier \
            measurement of the run it belongs to.
            """
    )

    @OptionGroup var store: RunStoreOptions
    @Argument(help: "Run ids (or unique prefixes).") var ids: [String]
    @Option(help: "Where to write the HTML file (missing folders are created).") var out: String = "report.html"
    @Option(help: "The report's title.") var title: String?
    @Option(
        name: .customLong("evaluation"),
        help: ArgumentHelp(
            "A measurement to report for its run instead of the newest values (repeatable).",
            valueName: "id"))
    var measurements: [Int] = []

    func run() throws {
        try reportingErrors("report") {
            guard !ids.isEmpty else { throw ValidationErrorText("name at least one run") }
            let reader = try store.openForReading()
            let records = try ids.map { try reader.run($0) }
            let selections = try MeasurementChoice.selections(measurements, runs: records.map(\.id), in: reader)
            let runs = try records.map { try ReportRun($0, in: reader, selection: selections[$0.id] ?? .latest) }
            // The runs are named under the title; the default title says what they have in common.
            let experiments = Set(records.map { $0.experiment ?? "" })
            let common =
                experiments.count == 1 && experiments.first != "" ? ": experiment \(experiments.first ?? "")" : ""
            let defaultTitle =
                runs.count == 1
                ? "Joule report: " + (ReportRun.displayNames(runs).first ?? "")
                : "Joule report\(common), \(runs.count) runs"
            let html = HTMLReport.render(runs, title: title ?? defaultTitle, generatedAt: Date())
            try OutputFile.write(Data(html.utf8), to: out)
            let url = URL(fileURLWithPath: out)
            // Recorded with each run when the store is writable; a read-only store still reports.
            if let writable = try? RunStore(path: reader.path) {
                for record in records { try writable.addArtifact(kind: "report", path: url.path, for: record.id) }
            }
            print("wrote \(out) (\(records.count) run\(records.count == 1 ? "" : "s"), \(html.utf8.count / 1024) KiB)")
        }
    }
}
