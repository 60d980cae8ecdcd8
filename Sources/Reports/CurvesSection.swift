/// The training curves: one chart per metric key found in any run's history, in key
/// order, with a legend of the runs it shows and a note of the points it could not draw.
enum CurvesSection {
    /// The section, or `nil` when no run has a history with any point in it.
    static func render(_ runs: [ReportRun]) -> String? {
        let keys = Set(runs.flatMap(\.metricHistory.keys)).sorted()
        let charts = keys.compactMap { chart(key: $0, runs: runs) }
        guard !charts.isEmpty else { return nil }
        return reportSection(id: "curves", title: "Training curves",
                             content: "<div class=\"charts\">\n\(charts.joined())</div>\n")
    }

    /// The chart of `key`, or `nil` when no run logged a point of it.
    private static func chart(key: String, runs: [ReportRun]) -> String? {
        var series: [LineChart.Series] = []
        var legend = "", skips: [(name: String, count: Int)] = []
        for (index, run) in runs.enumerated() {
            guard var points = run.metricHistory[key], !points.isEmpty else { continue }
            // The contract says sorted; a store that returns rows out of order should
            // still give a line, not a zigzag.
            if !zip(points, points.dropFirst()).allSatisfy({ $0.step <= $1.step }) {
                points.sort { $0.step < $1.step }
            }
            series.append(LineChart.Series(name: run.name, color: Palette.color(index), points: points))
            legend += "<li>\(Palette.swatch(index))\(escapeHTML(run.name))</li>"
            let skipped = points.count { !$0.value.isFinite }
            if skipped > 0 { skips.append((run.name, skipped)) }
        }
        guard !series.isEmpty else { return nil }
        let svg = LineChart(title: key, series: series).svg()
        return "<div class=\"chart\">\n<h3>\(escapeHTML(key))</h3>\n\(svg)\n"
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
