import ArgumentParser
import Foundation
import RunLog

/// `joule runs export-scores RUN --out FILE.csv`: the per-sample scores `joule evaluate` stored.
struct RunsExportScoresCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export-scores",
        abstract: "Write a run's per-sample evaluation scores as CSV.",
        discussion: """
            One row per dataset and sample: dataset, index, label, prediction, confidence, the measurement it \
            comes from and its checkpoint, then one column per score (higher = more in-distribution). For each \
            dataset and score the newest measurement's values are written; --evaluation ID writes one \
            measurement's. Empty cells: unlabelled samples, a model without a classifier head, or a score that \
            measurement did not compute.
            """
    )

    @OptionGroup var options: RunsOptions
    @Argument(help: "Run id (or a unique prefix).") var id: String
    @Option(help: "Only this dataset (test, mnist-5k, uniform, …).") var dataset: String?
    @Option(
        name: .customLong("evaluation"), help: ArgumentHelp("Write this measurement's scores only.", valueName: "id"))
    var measurement: Int?
    @Option(help: "Where to write the CSV (written atomically; missing folders are created).") var out: String

    func run() throws {
        try reportingErrors("runs export-scores") {
            let store = try options.openForReading()
            let record = try store.run(id)
            let scores = try store.sampleScores(
                of: record.id, dataset: dataset, selection: measurement.map { .only($0) } ?? .latest)
            guard !scores.isEmpty else {
                let evaluate = CommandHint.command(["evaluate", record.id], store: options.store.location)
                throw ValidationErrorText(
                    "run \(record.id) has no stored scores\(dataset.map { " for dataset '\($0)'" } ?? ""); "
                        + "run `\(evaluate)` first")
            }
            let checkpoints = Dictionary(
                uniqueKeysWithValues: try store.measurements(of: record.id).map {
                    ($0.id, $0.checkpointDescription)
                })
            let csv = Self.csv(scores, checkpoints: checkpoints)
            try OutputFile.write(Data(csv.utf8), to: out)
            let rows = csv.reduce(0) { $0 + ($1 == "\n" ? 1 : 0) } - 1
            let used = Set(scores.compactMap(\.measurementID)).sorted().map { "#\($0)" }.joined(separator: ", ")
            print("wrote \(out): \(rows) samples (measurement\(used.contains(",") ? "s" : "") \(used))")
        }
    }

    /// Wide CSV: rows keyed by (measurement, dataset, index) in store order, a column per score name.
    static func csv(_ scores: [SampleScoreRecord], checkpoints: [Int: String] = [:]) -> String {
        let names = Array(Set(scores.map(\.score))).sorted()
        let column = Dictionary(uniqueKeysWithValues: names.enumerated().map { ($1, $0) })
        var lines = [
            (["dataset", "index", "label", "prediction", "confidence", "measurement", "checkpoint"] + names)
                .map(OutputTable.csvField).joined(separator: ",")
        ]
        var start = 0
        while start < scores.count {
            let first = scores[start]
            var end = start
            var values = [String](repeating: "", count: names.count)
            while end < scores.count, scores[end].dataset == first.dataset, scores[end].index == first.index,
                scores[end].measurementID == first.measurementID
            {
                if let c = column[scores[end].score] { values[c] = Self.number(scores[end].value) }
                end += 1
            }
            let fixed = [
                first.dataset, String(first.index), first.label.map(String.init) ?? "",
                first.prediction.map(String.init) ?? "", first.confidence.map(Self.number) ?? "",
                first.measurementID.map(String.init) ?? "", first.measurementID.flatMap { checkpoints[$0] } ?? "",
            ]
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
