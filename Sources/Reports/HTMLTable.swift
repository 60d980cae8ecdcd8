/// One table cell: markup that is already escaped, and an optional CSS class.
struct Cell {
    /// The cell's content, ready to paste into the document.
    var markup: String
    /// A CSS class for the cell, e.g. `nonfinite`.
    var className: String?

    /// A missing value: an em dash, greyed out.
    static var missing: Cell { Cell(markup: "\u{2014}", className: "missing") }

    /// Escaped text, or the missing mark for `nil`.
    static func text(_ text: String?) -> Cell {
        text.map { Cell(markup: escapeHTML($0)) } ?? .missing
    }

    /// Escaped text in a monospaced font (ids, hashes, configuration values).
    static func code(_ text: String?) -> Cell {
        text.map { Cell(markup: "<code>\(escapeHTML($0))</code>") } ?? .missing
    }

    /// A metric value to 4 significant digits; NaN and ±∞ get the `nonfinite` class so
    /// they stand out instead of passing for numbers.
    static func number(_ value: Double?) -> Cell {
        guard let value else { return .missing }
        let text = NumberFormat.compact(value)
        return Cell(markup: text, className: NumberFormat.isFlagged(value) ? "num nonfinite" : "num")
    }

    /// A run's column heading: its colour (the same as in the charts) and its name.
    static func runHeading(_ run: ReportRun, index: Int) -> Cell {
        Cell(markup: Palette.swatch(index) + escapeHTML(run.label), className: "run")
    }
}

/// A table with column headings, rows whose first cells are row headings, and optional
/// group rows that title the rows below them.
struct HTMLTable {
    /// A row of cells, or a heading across the whole table.
    enum Row {
        case cells([Cell])
        case group(String)
    }

    /// The column headings.
    var header: [Cell]
    /// How many leading cells of each row are row headings.
    var rowHeadingCount = 1
    /// The rows, in order.
    var rows: [Row]

    /// The table, wrapped so a wide one scrolls sideways instead of widening the page.
    func render() -> String {
        var html = "<div class=\"scroll\"><table>\n<thead><tr>"
        for cell in header { html += tag("th", cell, scope: "col") }
        html += "</tr></thead>\n<tbody>\n"
        for row in rows {
            switch row {
            case .group(let title):
                html +=
                    "<tr class=\"group\"><th colspan=\"\(header.count)\" scope=\"colgroup\">"
                    + "\(escapeHTML(title))</th></tr>\n"
            case .cells(let cells):
                html += "<tr>"
                for (index, cell) in cells.enumerated() {
                    html += index < rowHeadingCount ? tag("th", cell, scope: "row") : tag("td", cell, scope: nil)
                }
                html += "</tr>\n"
            }
        }
        return html + "</tbody>\n</table></div>\n"
    }

    private func tag(_ name: String, _ cell: Cell, scope: String?) -> String {
        let scopeAttribute = scope.map { " scope=\"\($0)\"" } ?? ""
        let classAttribute = cell.className.map { " class=\"\(escapeHTML($0))\"" } ?? ""
        return "<\(name)\(scopeAttribute)\(classAttribute)>\(cell.markup)</\(name)>"
    }
}
