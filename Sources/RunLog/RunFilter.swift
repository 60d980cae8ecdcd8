/// A `--where` expression over runs, parsed into a syntax tree: comparisons of run fields
/// with literals, joined by `and` / `or`, grouped with parentheses (`and` binds tighter).
///
///     metrics.validation/accuracy > 0.9 and (params.optimizer = 'adam' or tags.note != "old")
///
/// The tree is turned into SQL whose literals are bound parameters, never spliced into text.
public indirect enum RunFilter: Sendable, Equatable {
    case comparison(RunField, ComparisonOperator, Literal)
    case and(RunFilter, RunFilter)
    case or(RunFilter, RunFilter)

    /// How a comparison compares a field with its literal, spelled as in SQL; `LIKE` is SQLite's (`%` and `_` are
    /// wildcards, ASCII case is ignored).
    public enum ComparisonOperator: String, Sendable, Equatable, CaseIterable {
        case equal = "="
        case notEqual = "!="
        case less = "<"
        case lessOrEqual = "<="
        case greater = ">"
        case greaterOrEqual = ">="
        case like = "LIKE"
    }

    /// The value a field is compared with: a number, or quoted text (also a time for `start_time` and `end_time`).
    public enum Literal: Sendable, Equatable {
        case number(Double)
        case string(String)
    }

    /// Parses a filter expression, or throws an error pointing at the offending position.
    public static func parse(_ text: String) throws -> RunFilter {
        var parser = RunFilterParser(text: text)
        return try parser.parseExpression()
    }
}

/// A filter or ordering that does not parse, with the position (0-based character offset)
/// of the problem and a caret under it.
public struct RunFilterError: Error, CustomStringConvertible, Equatable, Sendable {
    /// What is wrong, in words.
    public let message: String
    /// Where the problem is: a 0-based character offset into `expression`.
    public let position: Int
    /// The whole filter or ordering text, as given.
    public let expression: String

    /// An error saying `message` about the character at `position` of `expression`.
    public init(_ message: String, at position: Int, in expression: String) {
        self.message = message
        self.position = position
        self.expression = expression
    }

    /// The message with the 1-based position, then the expression with a caret under the problem.
    public var description: String {
        "invalid expression at position \(position + 1): \(message)\n  \(expression)\n  "
            + String(repeating: " ", count: position) + "^"
    }
}
