import Foundation

/// Rows of text printed as an aligned table, CSV (RFC 4180 quoting) or JSON.
struct OutputTable {
    var columns: [String]
    var rows: [[String]]

    /// Columns padded to their widest cell; long cells are cut with an ellipsis.
    func text(maximumWidth: Int = 48) -> String {
        let cut = { (s: String) in s.count > maximumWidth ? String(s.prefix(maximumWidth - 1)) + "…" : s }
        let cells = ([columns] + rows).map { $0.map(cut) }
        let widths = columns.indices.map { i in cells.map { $0.indices.contains(i) ? $0[i].count : 0 }.max() ?? 0 }
        return cells.enumerated().map { index, row in
            let line = row.enumerated().map { i, cell in cell.padding(toLength: widths[i], withPad: " ", startingAt: 0)
            }
            .joined(separator: "  ").trimmingCharacters(in: .whitespaces)
            return index == 0
                ? line + "\n" + widths.map { String(repeating: "-", count: $0) }.joined(separator: "  ") : line
        }.joined(separator: "\n")
    }

    func csv() -> String {
        ([columns] + rows).map { $0.map(Self.csvField).joined(separator: ",") }.joined(separator: "\n")
    }

    static func csvField(_ s: String) -> String {
        s.contains(where: { ",\"\n\r".contains($0) }) ? "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : s
    }
}

/// How a reporting command prints.
enum OutputFormat {
    case table, json, csv

    init(json: Bool, csv: Bool) throws {
        switch (json, csv) {
        case (true, true): throw ValidationErrorText("choose one of --json and --csv")
        case (true, false): self = .json
        case (false, true): self = .csv
        default: self = .table
        }
    }
}

/// A plain error message for the command line.
struct ValidationErrorText: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// Prints a JSON value with sorted keys.
func printJSON(_ value: Any) throws {
    let data = try JSONSerialization.data(
        withJSONObject: value, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])
    print(String(decoding: data, as: UTF8.self))
}
