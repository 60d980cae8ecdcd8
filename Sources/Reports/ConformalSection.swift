/// Per run, the conformal prediction sets of its newest evaluation: each method's coverage
/// against its target and the share of sets of each size, so runs compare by how small
/// their sets are at the same coverage.
enum ConformalSection {
    static func render(_ runs: [ReportRun]) -> String? {
        var charts = ""
        for run in runs {
            guard let samples = run.evaluationSamples else { continue }
            var series: [XYChart.Series] = []
            var legend = ""
            let methods = samples.scores.keys.filter { $0.hasPrefix("conformal:") && $0.hasSuffix(":size") }.sorted()
            for (index, key) in methods.enumerated() {
                let method = String(key.dropFirst("conformal:".count).dropLast(":size".count))
                guard let sizes = samples.scores[key]?[samples.inDistribution], !sizes.isEmpty,
                    let covered = samples.scores["conformal:\(method):covered"]?[samples.inDistribution]
                else { continue }
                let largest = Int(sizes.max() ?? 0)
                let points = (0...max(largest, 1)).map { size in
                    (x: Double(size), y: Double(sizes.filter { Int($0) == size }.count) / Double(sizes.count))
                }
                series.append(XYChart.Series(name: method, color: Palette.color(index), points: points))
                let coverage = covered.reduce(0, +) / Double(max(covered.count, 1))
                let mean = sizes.reduce(0, +) / Double(sizes.count)
                let target = run.evaluations.first {
                    $0.score == "conformal:\(method)" && $0.metric == "target_coverage"
                }
                legend +=
                    "<li>\(Palette.swatch(index))\(escapeHTML(method)): coverage \(NumberFormat.compact(coverage))"
                    + (target.map { " (target \(NumberFormat.compact($0.value, significantDigits: 3)))" } ?? "")
                    + ", mean size \(NumberFormat.compact(mean, significantDigits: 3)), n \(NumberFormat.count(sizes.count))</li>"
            }
            guard !series.isEmpty else { continue }
            let title = "\(run.label): prediction-set sizes on \(samples.inDistribution)"
            let svg = XYChart(title: title, xTitle: "set size", yTitle: "share of sets", series: series).svg()
            charts +=
                "<div class=\"chart\">\n<h3>\(escapeHTML(title))</h3>\n\(svg)\n<ul class=\"legend\">\(legend)</ul>\n</div>\n"
        }
        guard !charts.isEmpty else { return nil }
        return reportSection(
            id: "conformal", title: "Conformal prediction sets",
            content: folded(
                "Coverage and set sizes",
                """
                <p class="note">Split-conformal sets fitted on half of the validation hold-out (joule calibrate \
                --conformal): coverage is the share of test images whose set holds their label; at the same \
                coverage, smaller sets mean a more useful model.</p>
                <div class="charts">\n\(charts)</div>\n
                """))
    }
}
