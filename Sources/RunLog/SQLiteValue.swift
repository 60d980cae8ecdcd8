/// A value bound to or read from an SQLite statement.
public enum SQLiteValue: Sendable, Equatable, Hashable {
    case null
    case integer(Int64)
    case real(Double)
    case text(String)

    /// The value as a Double when it is numeric.
    public var double: Double? {
        switch self {
        case .integer(let v): Double(v)
        case .real(let v): v
        default: nil
        }
    }

    /// The value as an Int when it is an integer.
    public var int: Int? {
        if case .integer(let v) = self { return Int(v) }
        return nil
    }

    /// The value as text when it is text.
    public var string: String? {
        if case .text(let v) = self { return v }
        return nil
    }
}

extension SQLiteValue: ExpressibleByStringLiteral, ExpressibleByIntegerLiteral, ExpressibleByFloatLiteral {
    /// Text, from a string literal.
    public init(stringLiteral value: String) { self = .text(value) }
    /// An integer, from an integer literal.
    public init(integerLiteral value: Int64) { self = .integer(value) }
    /// A real, from a floating-point literal.
    public init(floatLiteral value: Double) { self = .real(value) }
}

extension SQLiteValue {
    /// Text, or NULL when absent.
    public init(_ text: String?) { self = text.map { .text($0) } ?? .null }
    /// An integer, or NULL when absent.
    public init(_ number: Int?) { self = number.map { .integer(Int64($0)) } ?? .null }
    /// A real, or NULL when absent. SQLite itself stores NaN as NULL.
    public init(_ number: Double?) { self = number.map { .real($0) } ?? .null }
}
