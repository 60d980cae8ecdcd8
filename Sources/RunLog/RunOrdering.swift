/// An `--order-by` list: fields, each optionally followed by `asc` or `desc` (default
/// `desc` for metrics, `asc` otherwise), separated by commas. Runs lacking the field sort last.
public struct RunOrdering: Sendable, Equatable {
    /// One field to sort by, and in which direction.
    public struct Term: Sendable, Equatable {
        /// The field sorted on; runs lacking it sort last whichever the direction.
        public var field: RunField
        /// Whether larger values come first (`desc`).
        public var descending: Bool
    }

    /// The fields to sort by, most significant first; runs still tied after the last are ordered by id.
    public var terms: [Term]

    /// Newest first.
    public static let newestFirst = RunOrdering(terms: [
        Term(field: RunField(namespace: .attributes, key: "start_time"), descending: true)
    ])

    /// Parses `metrics.validation/accuracy desc, attributes.start_time`.
    public static func parse(_ text: String) throws -> RunOrdering {
        let tokens = try RunFilterLexer.tokens(of: text)
        var index = 0
        var terms: [Term] = []
        while true {
            let field = try parseField(&index, tokens: tokens, text: text)
            var descending = field.namespace == .metrics
            if case .word(let w) = tokens[index].kind, ["asc", "desc"].contains(w.lowercased()) {
                descending = w.lowercased() == "desc"
                index += 1
            }
            terms.append(Term(field: field, descending: descending))
            switch tokens[index].kind {
            case .comma: index += 1
            case .end: return RunOrdering(terms: terms)
            default:
                throw RunFilterError(
                    "expected ',', 'asc', 'desc' or the end, found '\(tokens[index].text)'",
                    at: tokens[index].position, in: text)
            }
        }
    }

    func sql() -> SQLFragment {
        var parts: [String] = []
        var bindings: [SQLiteValue] = []
        for term in terms {
            let expression: String
            switch term.field.namespace {
            case .metrics:
                expression = "(SELECT f.value FROM latest_metrics f WHERE f.run_id = runs.id AND f.key = ?)"
                bindings.append(.text(term.field.key))
            case .params:
                expression = "(SELECT coalesce(f.number, f.value) FROM params f WHERE f.run_id = runs.id AND f.key = ?)"
                bindings.append(.text(term.field.key))
            case .tags:
                expression = "(SELECT f.value FROM tags f WHERE f.run_id = runs.id AND f.key = ?)"
                bindings.append(.text(term.field.key))
            case .attributes:
                expression = (RunField.Attribute(rawValue: term.field.key) ?? .startTime).sql
            }
            parts.append("\(expression) \(term.descending ? "DESC" : "ASC") NULLS LAST")
        }
        parts.append("runs.id ASC")
        return SQLFragment(text: parts.joined(separator: ", "), bindings: bindings)
    }
}
