/// The training curves. In view: validation accuracy against wall time, then the metrics that
/// compare runs — loss, accuracy and their validation counterparts — drawn for the runs that share them (classifiers apart from
/// energies, whose losses live on another scale), each with at least two points. Every
/// metric any run logged, timers and memory included, is behind a fold.
enum CurvesSection {
    /// The metrics worth comparing at a glance, in order.
    static let shared = ["train/loss", "train/accuracy", "validation/loss", "validation/accuracy"]

    /// The section, or `nil` when no run has a history with any point in it.
    static func render(_ runs: [ReportRun]) -> String? {
        let indexed = Array(runs.enumerated())
        // Time to accuracy first: the chart that weighs a recipe's cost against its gain.
        var inView: [String] = TimeToAccuracyChart.render(runs).map { [$0] } ?? []
        // Runs of one family on one chart; a report of a single run shows its own curves.
        for family in [false, true] {
            let members = indexed.filter { $0.element.isEnergy == family }
            for key in shared {
                let drawn = members.filter { ($0.element.metricHistory[key]?.count { $0.value.isFinite } ?? 0) >= 2 }
                guard drawn.count >= min(2, runs.count) else { continue }
                let title =
                    runs.contains(where: { $0.isEnergy != family })
                    ? "\(key) (\(family ? "energies" : "classifiers"))" : key
                if let chart = chart(key: key, title: title, runs: drawn) { inView.append(chart) }
            }
        }
        let keys = Set(runs.flatMap(\.metricHistory.keys)).sorted()
        let all = keys.compactMap { chart(key: $0, title: $0, runs: indexed) }
        guard !all.isEmpty else { return nil }
        var content = inView.isEmpty ? "" : "<div class=\"charts\">\n\(inView.joined())</div>\n"
        content += folded(
            "Every metric logged (\(all.count) chart\(all.count == 1 ? "" : "s"))",
            "<div class=\"charts\">\n\(all.joined())</div>\n")
        return reportSection(id: "curves", title: "Training curves", content: content)
    }

    /// The chart of `key` over `runs` (with their report positions, which set the colours),
    /// or `nil` when none logged a point of it.
    private static func chart(key: String, title: String, runs: [(offset: Int, element: ReportRun)]) -> String? {
        var series: [LineChart.Series] = []
        var legend = ""
        var skips: [(name: String, count: Int)] = []
        for (index, run) in runs {
            guard var points = run.metricHistory[key], !points.isEmpty else { continue }
            // The contract says sorted; a store that returns rows out of order should
            // still give a line, not a zigzag.
            if !zip(points, points.dropFirst()).allSatisfy({ $0.step <= $1.step }) {
                points.sort { $0.step < $1.step }
            }
            series.append(LineChart.Series(name: run.label, color: Palette.color(index), points: points))
            legend += "<li>\(Palette.swatch(index))\(escapeHTML(run.label))</li>"
            let skipped = points.count { !$0.value.isFinite }
            if skipped > 0 { skips.append((run.label, skipped)) }
        }
        guard !series.isEmpty else { return nil }
        let svg = LineChart(title: key, series: series).svg()
        return "<div class=\"chart\">\n<h3>\(escapeHTML(title))</h3>\n\(svg)\n"
            + "<ul class=\"legend\">\(legend)</ul>\n\(note(skips, runCount: series.count))</div>\n"
    }

    /// "3 non-finite points skipped (run-a: 1, run-b: 2)"; empty when none were.
    private static func note(_ skips: [(name: String, count: Int)], runCount: Int) -> String {
        let total = skips.reduce(0) { $0 + $1.count }
        guard total > 0 else { return "" }
        var text = total == 1 ? "1 non-finite point skipped" : "\(total) non-finite points skipped"
        if runCount > 1 {
            text += " (" + skips.map { "\($0.name): \($0.count)" }.joined(separator: ", ") + ")"
        }
        return "<p class=\"note\">\(escapeHTML(text))</p>\n"
    }
}
