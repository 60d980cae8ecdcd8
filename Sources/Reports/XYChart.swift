/// A chart of numeric x against numeric y as inline SVG, for reliability diagrams and
/// histograms: each series is a polyline (optionally with dots at its points), and an
/// optional dashed reference line runs from one corner to the other (the diagonal of
/// perfect calibration).
struct XYChart {
    struct Series {
        var name: String
        /// A CSS colour.
        var color: String
        /// Points in drawing order; non-finite coordinates are left out.
        var points: [(x: Double, y: Double)]
        var dots = false
    }

    /// The accessible name.
    var title: String
    var xTitle: String
    var yTitle: String
    var series: [Series]
    /// Axis ranges; nil fits the data.
    var xRange: ClosedRange<Double>?
    var yRange: ClosedRange<Double>?
    /// Draws y = x from the axes' lower to upper corner.
    var diagonal = false

    static let width = 640.0, height = 320.0
    private static let left = 64.0, right = 24.0, top = 12.0, bottom = 40.0

    func svg() -> String {
        let points = series.flatMap(\.points).filter { $0.x.isFinite && $0.y.isFinite }
        let x = NiceScale(
            covering: xRange?.lowerBound ?? points.map(\.x).min() ?? 0, xRange?.upperBound ?? points.map(\.x).max() ?? 1
        )
        let y = NiceScale(
            covering: yRange?.lowerBound ?? min(0, points.map(\.y).min() ?? 0),
            yRange?.upperBound ?? points.map(\.y).max() ?? 1)
        func px(_ v: Double) -> String {
            NumberFormat.coordinate(Self.left + Self.fraction(v, x) * (Self.width - Self.left - Self.right))
        }
        func py(_ v: Double) -> String {
            NumberFormat.coordinate(
                Self.height - Self.bottom - Self.fraction(v, y) * (Self.height - Self.bottom - Self.top))
        }
        var svg = """
            <svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 \(Int(Self.width)) \(Int(Self.height))" \
            width="\(Int(Self.width))" height="\(Int(Self.height))" role="img" aria-label="\(escapeHTML(title))">
            <title>\(escapeHTML(title))</title>\n<g class="grid">\n
            """
        var labels = "<g class=\"ticks\">\n"
        for tick in y.ticks {
            svg +=
                "<line x1=\"\(Int(Self.left))\" y1=\"\(py(tick))\" x2=\"\(Int(Self.width - Self.right))\" y2=\"\(py(tick))\"/>\n"
            labels +=
                "<text x=\"\(Int(Self.left) - 6)\" y=\"\(py(tick))\" dy=\"0.32em\" text-anchor=\"end\">"
                + "\(escapeHTML(NumberFormat.tick(tick, spacing: y.spacing)))</text>\n"
        }
        for tick in x.ticks {
            svg +=
                "<line x1=\"\(px(tick))\" y1=\"\(Int(Self.top))\" x2=\"\(px(tick))\" y2=\"\(Int(Self.height - Self.bottom))\"/>\n"
            labels +=
                "<text x=\"\(px(tick))\" y=\"\(Int(Self.height - Self.bottom) + 16)\" text-anchor=\"middle\">"
                + "\(escapeHTML(NumberFormat.tick(tick, spacing: x.spacing)))</text>\n"
        }
        let baseline = Int(Self.height - Self.bottom)
        svg +=
            "</g>\n" + labels + "</g>\n" + """
                <g class="axis">
                <line x1="\(Int(Self.left))" y1="\(baseline)" x2="\(Int(Self.width - Self.right))" y2="\(baseline)"/>
                <line x1="\(Int(Self.left))" y1="\(Int(Self.top))" x2="\(Int(Self.left))" y2="\(baseline)"/>
                </g>
                <text class="axis-title" x="\(Int((Self.left + Self.width - Self.right) / 2))" y="\(Int(Self.height) - 4)" \
                text-anchor="middle">\(escapeHTML(xTitle))</text>
                <text class="axis-title" x="12" y="\(Int((Self.top + Self.height - Self.bottom) / 2))" text-anchor="middle" \
                transform="rotate(-90 12 \(Int((Self.top + Self.height - Self.bottom) / 2)))">\(escapeHTML(yTitle))</text>\n
                """
        if diagonal {
            svg +=
                "<line class=\"reference\" x1=\"\(px(x.lower))\" y1=\"\(py(y.lower))\" x2=\"\(px(x.upper))\" y2=\"\(py(y.upper))\" "
                + "stroke=\"#888888\" stroke-dasharray=\"4 4\"/>\n"
        }
        for s in series {
            let finite = s.points.filter { $0.x.isFinite && $0.y.isFinite }
            guard !finite.isEmpty else { continue }
            let color = escapeHTML(s.color)
            svg += "<g class=\"series\" fill=\"none\" stroke=\"\(color)\">\n"
            if finite.count > 1 {
                svg +=
                    "<polyline points=\"" + finite.map { "\(px($0.x)),\(py($0.y))" }.joined(separator: " ") + "\"/>\n"
            }
            if s.dots || finite.count == 1 {
                for p in finite {
                    svg += "<circle cx=\"\(px(p.x))\" cy=\"\(py(p.y))\" r=\"3\" fill=\"\(color)\" stroke=\"none\"/>\n"
                }
            }
            svg += "</g>\n"
        }
        return svg + "</svg>"
    }

    /// Where `value` falls between the axis ends, clamped to 0…1.
    private static func fraction(_ value: Double, _ scale: NiceScale) -> Double {
        let span = scale.upper - scale.lower
        guard span.isFinite, span > 0 else { return 0.5 }
        let f = (value - scale.lower) / span
        return f.isFinite ? min(max(f, 0), 1) : 0.5
    }
}
