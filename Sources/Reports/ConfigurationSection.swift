/// The configuration table. With several runs it shows only the keys whose values
/// differ (what a reader wants when comparing runs), and folds the identical ones into
/// a `<details>`; with one run it shows the whole configuration.
///
/// Keys are the union of each run's `config` and `params`; a key missing in some runs
/// counts as differing, and its missing cells show a grey dash.
enum ConfigurationSection {
    /// The keys of `settings` (one map per run) split into those whose value differs
    /// between the maps, or is missing from some, and those equal in all; both sorted.
    static func compare(_ settings: [[String: String]]) -> (differing: [String], identical: [String]) {
        let keys = Set(settings.flatMap(\.keys)).sorted()
        var differing: [String] = []
        var identical: [String] = []
        for key in keys {
            let values = settings.map { $0[key] }
            let first = values.first ?? nil
            if first != nil && values.allSatisfy({ $0 == first }) {
                identical.append(key)
            } else {
                differing.append(key)
            }
        }
        return (differing, identical)
    }

    /// The section, or `nil` when no run has any configuration or parameters.
    static func render(_ runs: [ReportRun]) -> String? {
        let settings = runs.map(\.settings)
        guard settings.contains(where: { !$0.isEmpty }) else { return nil }
        if runs.count == 1, let only = settings.first {
            return reportSection(
                id: "configuration", title: "Configuration",
                content: folded("\(only.count) settings", keyValueTable(only.keys.sorted(), only)))
        }
        let (differing, identical) = compare(settings)
        var content = ""
        if !differing.isEmpty {
            content +=
                "<p class=\"meta\">\(differing.count) setting\(differing.count == 1 ? "" : "s") differ: "
                + escapeHTML(differing.prefix(12).joined(separator: ", ")) + (differing.count > 12 ? ", …" : "")
                + "</p>\n"
            let header = [Cell.text("Key")] + runs.enumerated().map { Cell.runHeading($1, index: $0) }
            let rows = differing.map { key in
                HTMLTable.Row.cells([Cell.code(key)] + settings.map { Cell.code($0[key]) })
            }
            content += folded(
                "The \(differing.count) differing setting\(differing.count == 1 ? "" : "s"), run by run",
                HTMLTable(header: header, rows: rows).render())
        }
        if !identical.isEmpty, let first = settings.first {
            let count = identical.count == 1 ? "1 identical key" : "\(identical.count) identical keys"
            content += folded(count, keyValueTable(identical, first))
        }
        return reportSection(id: "configuration", title: "Configuration differences", content: content)
    }

    private static func keyValueTable(_ keys: [String], _ values: [String: String]) -> String {
        let rows = keys.map { HTMLTable.Row.cells([Cell.code($0), Cell.code(values[$0])]) }
        return HTMLTable(header: [Cell.text("Key"), Cell.text("Value")], rows: rows).render()
    }
}
