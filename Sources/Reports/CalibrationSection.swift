import Metrics

/// Reliability diagrams of every evaluated run, overlaid (accuracy against mean confidence
/// per bin, with the diagonal of perfect calibration), and their confidence histograms.
enum CalibrationSection {
    static func render(_ runs: [ReportRun]) -> String? {
        var reliability: [XYChart.Series] = []
        var histogram: [XYChart.Series] = []
        var legend = ""
        for (index, run) in runs.enumerated() {
            guard let samples = run.evaluationSamples, !samples.confidences.isEmpty,
                let metrics = try? CalibrationMetrics.compute(
                    confidences: samples.confidences, correct: samples.correct,
                    binning: samples.binning)
            else { continue }
            let color = Palette.color(index)
            reliability.append(
                XYChart.Series(
                    name: run.label, color: color,
                    points: metrics.bins.compactMap { bin in
                        guard let confidence = bin.meanConfidence, let accuracy = bin.accuracy else { return nil }
                        return (confidence, accuracy)
                    }, dots: true))
            let total = Double(samples.confidences.count)
            histogram.append(
                XYChart.Series(
                    name: run.label, color: color,
                    points: metrics.bins.map {
                        (($0.lower + $0.upper) / 2, Double($0.count) / total)
                    }, dots: true))
            legend +=
                "<li>\(Palette.swatch(index))\(escapeHTML(run.label)) (ECE \(NumberFormat.compact(metrics.ece)), "
                + "n \(NumberFormat.count(samples.confidences.count)))</li>"
        }
        guard !reliability.isEmpty else { return nil }
        let diagram = XYChart(
            title: "reliability diagram", xTitle: "mean confidence in bin", yTitle: "accuracy in bin",
            series: reliability, xRange: 0...1, yRange: 0...1, diagonal: true
        ).svg()
        let counts = XYChart(
            title: "confidence histogram", xTitle: "confidence (bin centre)", yTitle: "share of samples",
            series: histogram, xRange: 0...1
        ).svg()
        let content = """
            <p class="note">On each run's in-distribution set, in the bins its evaluation used (15 equal-width unless \
            told otherwise); confidence is the top-class probability. Points above the dashed diagonal are under-confident, below it over-confident.</p>
            <div class="charts">
            <div class="chart">\n<h3>Reliability diagram</h3>\n\(diagram)\n<ul class="legend">\(legend)</ul>\n</div>
            <div class="chart">\n<h3>Confidence histogram</h3>\n\(counts)\n<ul class="legend">\(legend)</ul>\n</div>
            </div>\n
            """
        return reportSection(id: "calibration", title: "Calibration", content: content)
    }
}
