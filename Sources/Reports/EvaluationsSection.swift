/// The evaluations table: one row per (dataset, score, metric), one column per run.
enum EvaluationsSection {
    /// What one row measures.
    private struct Measure: Hashable, Comparable {
        var dataset: String
        var score: String
        var metric: String

        static func < (a: Measure, b: Measure) -> Bool {
            (a.dataset, a.score, a.metric) < (b.dataset, b.score, b.metric)
        }
    }

    /// The section, or `nil` when no run has an evaluation.
    static func render(_ runs: [ReportRun]) -> String? {
        // A measure logged twice by one run keeps its last value, like a metric.
        let values = runs.map { run in
            Dictionary(run.evaluations.map {
                (Measure(dataset: $0.dataset, score: $0.score, metric: $0.metric), $0.value)
            }, uniquingKeysWith: { _, last in last })
        }
        let measures = Set(values.flatMap(\.keys)).sorted()
        guard !measures.isEmpty else { return nil }
        let header = [Cell.text("Dataset"), Cell.text("Score"), Cell.text("Metric")]
            + runs.enumerated().map { Cell.runHeading($1, index: $0) }
        let rows = measures.map { measure in
            HTMLTable.Row.cells([Cell.text(measure.dataset), Cell.text(measure.score), Cell.text(measure.metric)]
                + values.map { Cell.number($0[measure]) })
        }
        return reportSection(id: "evaluations", title: "Evaluations",
                             content: HTMLTable(header: header, rowHeadingCount: 3, rows: rows).render())
    }
}
