import ArgumentParser
import Foundation
import RunLog

/// `joule runs export-scores RUN --out FILE.csv`: the per-sample scores `joule evaluate` stored.
struct RunsExportScoresCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export-scores",
        abstract: "Write a run's per-sample evaluation scores as CSV.",
        discussion: """
        One row per dataset and sample: dataset, index, label, prediction, confidence, then one column per \
        score (higher = more in-distribution). Empty cells: unlabelled samples, or a model without a classifier head.
        """
    )

    @OptionGroup var options: RunsOptions
    @Argument(help: "Run id (or a unique prefix).") var id: String
    @Option(help: "Only this dataset (test, mnist-5k, uniform, …).") var dataset: String?
    @Option(help: "Where to write the CSV (written atomically).") var out: String

    func run() throws {
        try reportingErrors("runs export-scores") {
            let store = try options.openForReading()
            let record = try store.run(id)
            let scores = try store.sampleScores(of: record.id, dataset: dataset)
            guard !scores.isEmpty else {
                throw ValidationErrorText("run \(record.id) has no stored scores\(dataset.map { " for dataset '\($0)'" } ?? ""); run `joule evaluate \(record.id)` first")
            }
            let csv = Self.csv(scores)
            try Data(csv.utf8).write(to: URL(fileURLWithPath: out), options: .atomic)
            let rows = csv.reduce(0) { $0 + ($1 == "\n" ? 1 : 0) } - 1
            print("wrote \(out): \(rows) samples")
        }
    }

    /// Wide CSV: rows keyed by (dataset, index) in store order, a column per score name.
    static func csv(_ scores: [SampleScoreRecord]) -> String {
        let names = Array(Set(scores.map(\.score))).sorted()
        let column = Dictionary(uniqueKeysWithValues: names.enumerated().map { ($1, $0) })
        var lines = [(["dataset", "index", "label", "prediction", "confidence"] + names).map(OutputTable.csvField).joined(separator: ",")]
        var start = 0
        while start < scores.count {
            let first = scores[start]
            var end = start
            var values = [String](repeating: "", count: names.count)
            while end < scores.count, scores[end].dataset == first.dataset, scores[end].index == first.index {
                if let c = column[scores[end].score] { values[c] = Self.number(scores[end].value) }
                end += 1
            }
            let fixed = [first.dataset, String(first.index), first.label.map(String.init) ?? "",
                         first.prediction.map(String.init) ?? "", first.confidence.map(Self.number) ?? ""]
            lines.append((fixed + values).map(OutputTable.csvField).joined(separator: ","))
            start = end
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// Full precision (round-trips through Double); NaN and infinities spelled out.
    private static func number(_ v: Double) -> String {
        v.isNaN ? "NaN" : v.isInfinite ? (v > 0 ? "Inf" : "-Inf") : "\(v)"
    }
}
