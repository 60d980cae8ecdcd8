/// A line chart of one metric across runs, as inline SVG: x is the step, y the value,
/// one colour per run.
///
/// Histories are thinned by `downsampled` first, non-finite values break the line
/// (each finite stretch is its own `<polyline>`), and a stretch of one point is drawn as
/// a dot, since a polyline of one point is invisible.
struct LineChart {
    /// One run's history of the metric.
    struct Series {
        /// The legend's label.
        var name: String
        /// A CSS colour, e.g. `#4e79a7`.
        var color: String
        /// The history, sorted by step; may hold NaN and ±∞.
        var points: [MetricPoint]
    }

    /// The chart's accessible name (the metric key).
    var title: String
    /// The runs' histories, drawn in order (later ones on top).
    var series: [Series]

    /// The SVG's size in CSS pixels; it scales down with the page.
    static let width = 640.0, height = 320.0
    private static let left = 64.0, right = 24.0, top = 12.0, bottom = 40.0

    /// The chart as an `<svg>` element.
    func svg() -> String {
        let segments = series.map { finiteSegments(downsampled($0.points)) }
        let points = segments.joined().joined()
        let steps = points.map { Double($0.step) }
        let values = points.map(\.value)
        let x = NiceScale(covering: steps.min() ?? 0, steps.max() ?? 1, integral: true)
        let y = NiceScale(covering: values.min() ?? 0, values.max() ?? 1)
        let plot = Plot(x: x, y: y)

        var svg = """
            <svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 \(Int(Self.width)) \(Int(Self.height))" \
            width="\(Int(Self.width))" height="\(Int(Self.height))" role="img" aria-label="\(escapeHTML(title))">
            <title>\(escapeHTML(title))</title>\n
            """
        svg += axes(plot)
        for (series, segments) in zip(series, segments) where !segments.isEmpty {
            svg += "<g class=\"series\" fill=\"none\" stroke=\"\(escapeHTML(series.color))\">\n"
            for segment in segments {
                svg += segment.count == 1 ? dot(segment[0], plot, series.color) : line(segment, plot)
            }
            svg += "</g>\n"
        }
        return svg + "</svg>"
    }

    /// Grid lines, axis lines and tick labels.
    private func axes(_ plot: Plot) -> String {
        var grid = "<g class=\"grid\">\n"
        var labels = "<g class=\"ticks\">\n"
        for tick in plot.y.ticks {
            let y = NumberFormat.coordinate(plot.yPosition(tick))
            grid += "<line x1=\"\(Int(Self.left))\" y1=\"\(y)\" x2=\"\(Int(Self.width - Self.right))\" y2=\"\(y)\"/>\n"
            labels +=
                "<text x=\"\(Int(Self.left) - 6)\" y=\"\(y)\" dy=\"0.32em\" text-anchor=\"end\">"
                + "\(escapeHTML(NumberFormat.tick(tick, spacing: plot.y.spacing)))</text>\n"
        }
        for tick in plot.x.ticks {
            let x = NumberFormat.coordinate(plot.xPosition(tick))
            grid += "<line x1=\"\(x)\" y1=\"\(Int(Self.top))\" x2=\"\(x)\" y2=\"\(Int(Self.height - Self.bottom))\"/>\n"
            labels +=
                "<text x=\"\(x)\" y=\"\(Int(Self.height - Self.bottom) + 16)\" text-anchor=\"middle\">"
                + "\(escapeHTML(NumberFormat.tick(tick, spacing: plot.x.spacing)))</text>\n"
        }
        let baseline = Int(Self.height - Self.bottom)
        let frame = """
            <g class="axis">
            <line x1="\(Int(Self.left))" y1="\(baseline)" x2="\(Int(Self.width - Self.right))" y2="\(baseline)"/>
            <line x1="\(Int(Self.left))" y1="\(Int(Self.top))" x2="\(Int(Self.left))" y2="\(baseline)"/>
            </g>
            <text class="axis-title" x="\(Int((Self.left + Self.width - Self.right) / 2))" \
            y="\(Int(Self.height) - 4)" text-anchor="middle">step</text>\n
            """
        return grid + "</g>\n" + labels + "</g>\n" + frame
    }

    private func line(_ segment: [MetricPoint], _ plot: Plot) -> String {
        var coordinates = ""
        coordinates.reserveCapacity(segment.count * 12)
        for point in segment {
            if !coordinates.isEmpty { coordinates += " " }
            coordinates +=
                NumberFormat.coordinate(plot.xPosition(Double(point.step))) + ","
                + NumberFormat.coordinate(plot.yPosition(point.value))
        }
        return "<polyline points=\"\(coordinates)\"/>\n"
    }

    private func dot(_ point: MetricPoint, _ plot: Plot, _ color: String) -> String {
        let x = NumberFormat.coordinate(plot.xPosition(Double(point.step)))
        let y = NumberFormat.coordinate(plot.yPosition(point.value))
        return "<circle cx=\"\(x)\" cy=\"\(y)\" r=\"3\" fill=\"\(escapeHTML(color))\" stroke=\"none\"/>\n"
    }

    /// Maps data to pixels inside the margins.
    private struct Plot {
        var x: NiceScale
        var y: NiceScale

        func xPosition(_ value: Double) -> Double {
            LineChart.left + Self.fraction(value, x) * (LineChart.width - LineChart.left - LineChart.right)
        }

        func yPosition(_ value: Double) -> Double {
            (LineChart.height - LineChart.bottom)
                - Self.fraction(value, y) * (LineChart.height - LineChart.bottom - LineChart.top)
        }

        /// Where `value` falls between the axis ends, 0…1; the middle when the axis has
        /// no usable width (only for ranges near the limits of Double).
        private static func fraction(_ value: Double, _ scale: NiceScale) -> Double {
            let span = scale.upper - scale.lower
            guard span.isFinite, span > 0 else { return 0.5 }
            let fraction = (value - scale.lower) / span
            return fraction.isFinite ? min(max(fraction, 0), 1) : 0.5
        }
    }
}
