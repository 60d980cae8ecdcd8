import Foundation

/// Renders training runs as one self-contained HTML file that decides between them: warnings,
/// a summary of the numbers that matter (each with its sample count and checkpoint), the
/// training curves the runs share and the calibration diagrams in view; every evaluation,
/// measurement, score histogram, configuration difference, image and run detail folded.
///
/// The file needs nothing else to display: the stylesheet is inline, charts are SVG,
/// images are `data:` URLs, and there is no JavaScript. It is also well-formed XML
/// (XHTML syntax), so tools and tests can parse it with any XML parser. A section whose
/// data is empty for every run is left out.
public enum HTMLReport {
    /// The report for `runs`, in the given order (which sets each run's colour).
    ///
    /// - Parameters:
    ///   - runs: The runs to compare; one run gets its whole configuration instead of
    ///     the differences.
    ///   - title: The document's title and main heading.
    ///   - generatedAt: The time printed in the header; passed in so the output is a
    ///     pure function of its inputs.
    public static func render(_ runs: [ReportRun], title: String, generatedAt: Date) -> String {
        var runs = runs
        for (index, label) in ReportRun.displayNames(runs).enumerated() { runs[index].label = label }
        let digests = runs.map(RunDigest.init)
        var html = """
            <!DOCTYPE html>
            <html xmlns="http://www.w3.org/1999/xhtml" lang="en">
            <head>
            <meta charset="utf-8"/>
            <meta name="viewport" content="width=device-width, initial-scale=1"/>
            <meta name="generator" content="Joule Reports"/>
            <title>\(escapeHTML(title))</title>
            <style>
            \(Stylesheet.css)
            </style>
            </head>
            <body>\n
            """
        html += header(runs, title: title, generatedAt: generatedAt)
        // What decides first; the long material after it, folded.
        let sections = [
            WarningsSection.render(runs, digests: digests),
            SummarySection.render(runs, digests: digests),
            CurvesSection.render(runs),
            CalibrationSection.render(runs),
            EvaluationsSection.render(runs),
            MeasurementsSection.render(runs),
            ScoreHistogramsSection.render(runs),
            ConformalSection.render(runs),
            ConfigurationSection.render(runs),
            ImagesSection.render(runs),
            RunDetailsSection.render(runs),
        ]
        for case let section? in sections { html += section }
        return html + "</body>\n</html>\n"
    }

    private static func header(_ runs: [ReportRun], title: String, generatedAt: Date) -> String {
        let timestamp = NumberFormat.timestamp(generatedAt)
        let count = runs.count == 1 ? "1 run" : "\(runs.count) runs"
        let legend = runs.enumerated().map { index, run in
            "<li>\(Palette.swatch(index))\(escapeHTML(run.label)) <code>\(escapeHTML(run.id))</code></li>"
        }.joined()
        return """
            <header>
            <h1>\(escapeHTML(title))</h1>
            <p class="meta">Generated <time datetime="\(timestamp)">\(timestamp)</time> · \(count)</p>
            \(runs.isEmpty ? "" : "<ul class=\"runs\">\(legend)</ul>")
            </header>\n
            """
    }
}

/// A report section: an anchor, a heading and its content.
func reportSection(id: String, title: String, content: String) -> String {
    "<section id=\"\(escapeHTML(id))\">\n<h2>\(escapeHTML(title))</h2>\n\(content)</section>\n"
}

/// Content behind a fold the reader opens on demand, its summary saying what is inside.
func folded(_ summary: String, _ content: String) -> String {
    "<details>\n<summary>\(escapeHTML(summary))</summary>\n\(content)</details>\n"
}
