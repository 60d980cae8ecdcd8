/// The evaluations table: one row per (dataset, score, metric), one column per run. When
/// the evaluations carry groups (`joule evaluate` writes them), a group column leads and
/// the rows run in-distribution, near, far, user.
enum EvaluationsSection {
    /// What one row measures.
    private struct Measure: Hashable, Comparable {
        var group: String
        var dataset: String
        var score: String
        var metric: String

        /// In-distribution first, then near, far, user, then anything else (ungrouped last).
        private var groupRank: Int {
            ["in-distribution", "near", "far", "user"].firstIndex(of: group) ?? (group.isEmpty ? 5 : 4)
        }

        static func < (a: Measure, b: Measure) -> Bool {
            (a.groupRank, a.group, a.dataset, a.score, a.metric) < (b.groupRank, b.group, b.dataset, b.score, b.metric)
        }
    }

    /// The section, or `nil` when no run has an evaluation.
    static func render(_ runs: [ReportRun]) -> String? {
        // A measure logged twice by one run keeps its last value, like a metric.
        let values = runs.map { run in
            Dictionary(
                run.evaluations.map {
                    (Measure(group: $0.group ?? "", dataset: $0.dataset, score: $0.score, metric: $0.metric), $0)
                }, uniquingKeysWith: { _, last in last })
        }
        let measures = Set(values.flatMap(\.keys)).sorted()
        guard !measures.isEmpty else { return nil }
        let grouped = measures.contains { !$0.group.isEmpty }
        let header =
            (grouped ? [Cell.text("Group")] : []) + [Cell.text("Dataset"), Cell.text("Score"), Cell.text("Metric")]
            + runs.enumerated().map { Cell.runHeading($1, index: $0) }
        let rows = measures.map { measure in
            HTMLTable.Row.cells(
                (grouped ? [Cell.text(measure.group)] : [])
                    + [Cell.text(measure.dataset), Cell.text(measure.score), Cell.text(measure.metric)]
                    + values.map { cell($0[measure]) })
        }
        let note =
            !grouped
            ? ""
            : "<p class=\"note\">OOD rows: in-distribution samples are the positive class and every score is "
                + "oriented so that higher means more in-distribution; FPR95 is the share of OOD samples at or above the largest "
                + "threshold that keeps 95% of in-distribution samples.</p>\n"
        let table = HTMLTable(header: header, rowHeadingCount: grouped ? 4 : 3, rows: rows).render()
        return reportSection(
            id: "evaluations", title: "Evaluations",
            content: folded(
                "Every value (\(measures.count) rows), with the images and checkpoint behind it", note + table))
    }

    /// The value, with its counts and checkpoint under it.
    private static func cell(_ value: ReportEvaluation?) -> Cell {
        guard let value else { return .missing }
        let number = Cell.number(value.value)
        guard !value.provenance.isEmpty else { return number }
        return Cell(
            markup: number.markup + "<span class=\"sub\">\(escapeHTML(value.provenance))</span>",
            className: number.className)
    }
}
