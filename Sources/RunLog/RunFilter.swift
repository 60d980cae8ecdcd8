/// A `--where` expression over runs, parsed into a syntax tree: comparisons of run fields
/// with literals, joined by `and` / `or`, grouped with parentheses (`and` binds tighter).
///
///     metrics.val_accuracy > 0.9 and (params.optimizer = 'adam' or tags.note != "old")
///
/// The tree is turned into SQL whose literals are bound parameters, never spliced into text.
public indirect enum RunFilter: Sendable, Equatable {
    case comparison(RunField, ComparisonOperator, Literal)
    case and(RunFilter, RunFilter)
    case or(RunFilter, RunFilter)

    public enum ComparisonOperator: String, Sendable, Equatable, CaseIterable {
        case equal = "="
        case notEqual = "!="
        case less = "<"
        case lessOrEqual = "<="
        case greater = ">"
        case greaterOrEqual = ">="
        case like = "LIKE"
    }

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
    public let message: String
    public let position: Int
    public let expression: String

    public init(_ message: String, at position: Int, in expression: String) {
        self.message = message
        self.position = position
        self.expression = expression
    }

    public var description: String {
        "invalid expression at position \(position + 1): \(message)\n  \(expression)\n  "
            + String(repeating: " ", count: position) + "^"
    }
}
