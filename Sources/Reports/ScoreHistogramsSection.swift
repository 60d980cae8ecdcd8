/// Per run and score, the distribution of the score on the in-distribution set and on each
/// OOD set: the further apart, the better the score separates them.
enum ScoreHistogramsSection {
    /// Bins per histogram.
    static let binCount = 30

    static func render(_ runs: [ReportRun]) -> String? {
        var charts = ""
        for run in runs {
            guard let samples = run.evaluationSamples else { continue }
            // Conformal set sizes and coverage are stored beside the scores; ConformalSection draws them.
            for score in samples.scores.keys.sorted() where !score.hasPrefix("conformal:") {
                guard let sets = samples.scores[score],
                    let chart = chart(
                        run: run, score: score, sets: sets,
                        measurements: samples.measurements[score] ?? [:],
                        inDistribution: samples.inDistribution)
                else { continue }
                charts += chart
            }
        }
        guard !charts.isEmpty else { return nil }
        let count = charts.components(separatedBy: "<div class=\"chart\">").count - 1
        return reportSection(
            id: "score-histograms", title: "Score histograms",
            content: folded(
                "\(count) histogram\(count == 1 ? "" : "s") of OOD scores",
                """
                <p class="note">Share of each set's samples per bin; higher scores mean more in-distribution. \
                The range runs from the 0.5th to the 99.5th percentile of all the values; values outside fall in the end bins.</p>
                <div class="charts">\n\(charts)</div>\n
                """))
    }

    private static func chart(
        run: ReportRun, score: String, sets: [String: [Double]], measurements: [String: Int],
        inDistribution: String
    ) -> String? {
        let pooled = sets.values.joined().filter(\.isFinite).sorted()
        guard !pooled.isEmpty else { return nil }
        let low = pooled[Int(Double(pooled.count - 1) * 0.005)]
        let high = pooled[Int(Double(pooled.count - 1) * 0.995)]
        let width = high > low ? (high - low) / Double(binCount) : 1
        // The in-distribution set first, in the first colour; the OOD sets after it by name.
        let names = sets.keys.filter { $0 == inDistribution } + sets.keys.filter { $0 != inDistribution }.sorted()
        var series: [XYChart.Series] = []
        var legend = ""
        for (index, name) in names.enumerated() {
            let values = (sets[name] ?? []).filter(\.isFinite)
            guard !values.isEmpty else { continue }
            var counts = [Double](repeating: 0, count: binCount)
            for v in values { counts[Int(min(max((v - low) / width, 0), Double(binCount - 1)))] += 1 }
            let total = Double(values.count)
            let points: [(x: Double, y: Double)] = counts.indices.map { bin in
                (x: low + (Double(bin) + 0.5) * width, y: counts[bin] / total)
            }
            series.append(XYChart.Series(name: name, color: Palette.color(index), points: points))
            // Each set's count and measurement: the newest per set may come from different evaluations.
            let source = " (n \(NumberFormat.count(values.count))" + (measurements[name].map { ", #\($0)" } ?? "") + ")"
            legend += "<li>\(Palette.swatch(index))\(escapeHTML(name + source))</li>"
        }
        let title = "\(run.label): \(score)"
        let svg = XYChart(title: title, xTitle: score, yTitle: "share of samples", series: series).svg()
        return
            "<div class=\"chart\">\n<h3>\(escapeHTML(title))</h3>\n\(svg)\n<ul class=\"legend\">\(legend)</ul>\n</div>\n"
    }
}
