import Foundation

/// The run details, folded: one column per run, one row per property (id, status, times,
/// seed, what was trained on what) and then one row per latest metric.
///
/// Rows that are empty for every run (no run has a seed, say) are left out; a value
/// missing in only some runs shows as a grey dash.
enum RunDetailsSection {
    /// The section, or `nil` when there are no runs.
    static func render(_ runs: [ReportRun]) -> String? {
        guard !runs.isEmpty else { return nil }
        var rows: [HTMLTable.Row] = []
        func add(_ label: String, _ cells: [Cell?]) {
            guard cells.contains(where: { $0 != nil }) else { return }
            rows.append(.cells([Cell(markup: escapeHTML(label))] + cells.map { $0 ?? .missing }))
        }
        add("Run id", runs.map { Cell.code($0.id) })
        add("Name", runs.map { Cell.text($0.name) })
        add("Status", runs.map(status))
        add("Experiment", runs.map { $0.experiment.map(Cell.text) })
        add("Started", runs.map { Cell.text(NumberFormat.timestamp($0.startTime)) })
        add("Ended", runs.map { $0.endTime.map { Cell.text(NumberFormat.timestamp($0)) } })
        add("Duration", runs.map(duration))
        add("Seed", runs.map { $0.seed.map { Cell(markup: String($0), className: "num") } })
        add("Objective", runs.map { $0.objective.map(Cell.text) })
        add("Model", runs.map { $0.model.map(Cell.text) })
        add("Dataset", runs.map { $0.dataset.map(Cell.text) })
        add("Code version", runs.map { $0.codeVersion.map(Cell.code) })
        add("Tags", runs.map(tags))

        let metricKeys = Set(runs.flatMap(\.latestMetrics.keys)).sorted()
        if !metricKeys.isEmpty {
            rows.append(.group("Latest metrics"))
            for key in metricKeys {
                add(key, runs.map { run in Cell.number(run.latestMetrics[key]) })
            }
        }
        let header = [Cell(markup: "")] + runs.enumerated().map { Cell.runHeading($1, index: $0) }
        let metricCount = Set(runs.flatMap(\.latestMetrics.keys)).count
        let metrics =
            metricCount == 0
            ? "" : metricCount == 1 ? ", and the one latest metric" : ", and \(metricCount) latest metrics"
        return reportSection(
            id: "details", title: "Run details",
            content: folded(
                "Ids, times, seeds, code versions" + metrics,
                HTMLTable(header: header, rows: rows).render()))
    }

    /// The status word, coloured by kind, with the reason under it.
    static func status(_ run: ReportRun) -> Cell {
        let known = ["RUNNING", "FINISHED", "FAILED", "KILLED", "INTERRUPTED"]
        // The class comes from a fixed list, never from the run's text.
        let kind = known.contains(run.status.uppercased()) ? run.status.lowercased() : "other"
        var markup = "<span class=\"status status-\(kind)\">\(escapeHTML(run.status))</span>"
        if let reason = run.statusReason, !reason.isEmpty {
            markup += "<span class=\"reason\">\(escapeHTML(reason))</span>"
        }
        return Cell(markup: markup)
    }

    static func duration(_ run: ReportRun) -> Cell? {
        guard let end = run.endTime,
            let text = NumberFormat.duration(end.timeIntervalSince(run.startTime))
        else { return nil }
        return Cell(markup: escapeHTML(text), className: "num")
    }

    private static func tags(_ run: ReportRun) -> Cell? {
        guard !run.tags.isEmpty else { return nil }
        let lines = run.tags.sorted { $0.key < $1.key }.map { "\(escapeHTML($0.key))=\(escapeHTML($0.value))" }
        return Cell(markup: lines.joined(separator: "<br/>"))
    }
}
