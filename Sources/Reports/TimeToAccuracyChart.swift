/// Validation accuracy against wall time, every classifier run on one chart: what a recipe's
/// extra cost buys. Each point is an epoch's validation, placed at the run's training time
/// then (`time/seconds`, logged with it, a resumed run's time included).
enum TimeToAccuracyChart {
    /// The chart, or nil when no run has two epochs with both numbers.
    static func render(_ runs: [ReportRun]) -> String? {
        var series: [XYChart.Series] = []
        var legend = ""
        for (index, run) in runs.enumerated() where !run.isEnergy {
            let points = Self.points(run)
            guard points.count >= 2 else { continue }
            series.append(XYChart.Series(name: run.label, color: Palette.color(index), points: points, dots: true))
            let minutes = points.last.map { NumberFormat.compact($0.x, significantDigits: 3) } ?? "?"
            legend += "<li>\(Palette.swatch(index))\(escapeHTML(run.label)) (\(minutes) min)</li>"
        }
        guard !series.isEmpty else { return nil }
        // The accuracies that differ between recipes sit close under 1: the axis starts at the
        // lowest one (to 0.05), not at 0, so the curves do not crowd into the top tenth.
        let accuracies = series.flatMap(\.points).map(\.y).filter(\.isFinite)
        let lowest = max(0, ((accuracies.min() ?? 0) * 20).rounded(.down) / 20)
        let highest = min(1, ((accuracies.max() ?? 1) * 20).rounded(.up) / 20)
        let svg = XYChart(
            title: "validation accuracy against wall time", xTitle: "wall time (minutes)",
            yTitle: "validation accuracy", series: series, yRange: lowest...max(highest, lowest + 0.05)
        ).svg()
        return "<div class=\"chart\">\n<h3>Time to accuracy</h3>\n\(svg)\n<ul class=\"legend\">\(legend)</ul>\n</div>\n"
    }

    /// (minutes, accuracy) at each step where the run logged both.
    static func points(_ run: ReportRun) -> [(x: Double, y: Double)] {
        guard let accuracy = run.metricHistory["validation/accuracy"], let time = run.metricHistory["time/seconds"]
        else { return [] }
        let seconds = Dictionary(time.map { ($0.step, $0.value) }) { _, last in last }
        return accuracy.sorted { $0.step < $1.step }.compactMap { point in
            guard let s = seconds[point.step], s.isFinite, point.value.isFinite else { return nil }
            return (s / 60, point.value)
        }
    }
}
