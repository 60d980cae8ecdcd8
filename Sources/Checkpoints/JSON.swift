/// A JSON value as the header parser returns it.
///
/// Objects keep their members in file order (the order tensors are listed in), and numbers
/// keep their text, so an integer is told from `2.0` and a huge value is refused rather
/// than rounded.
enum JSONValue: Equatable, Sendable {
    case object([(key: String, value: JSONValue)])
    case array([JSONValue])
    case string(String)
    case number(String)
    case bool(Bool)
    case null

    /// The value as an `Int`, when it is written as an integer that fits.
    var integer: Int? {
        guard case .number(let text) = self else { return nil }
        // `Int.init(_: String)` accepts only optional sign and digits, and fails on overflow.
        return Int(text)
    }

    /// The value as a string, when it is one.
    var string: String? {
        guard case .string(let s) = self else { return nil }
        return s
    }

    /// A name for the value's kind, for error messages.
    var kind: String {
        switch self {
        case .object: "an object"
        case .array: "an array"
        case .string: "a string"
        case .number(let text): Int(text) == nil ? "the number \(text)" : "an integer"
        case .bool: "a boolean"
        case .null: "null"
        }
    }

    static func == (lhs: JSONValue, rhs: JSONValue) -> Bool {
        switch (lhs, rhs) {
        case (.object(let a), .object(let b)):
            a.count == b.count && zip(a, b).allSatisfy { $0.key == $1.key && $0.value == $1.value }
        case (.array(let a), .array(let b)): a == b
        case (.string(let a), .string(let b)): a == b
        case (.number(let a), .number(let b)): a == b
        case (.bool(let a), .bool(let b)): a == b
        case (.null, .null): true
        default: false
        }
    }
}

extension JSONValue {
    /// Writes the value as compact JSON (objects in member order).
    var serialized: String {
        switch self {
        case .object(let members):
            "{" + members.map { Self.quoted($0.key) + ":" + $0.value.serialized }.joined(separator: ",") + "}"
        case .array(let elements): "[" + elements.map(\.serialized).joined(separator: ",") + "]"
        case .string(let s): Self.quoted(s)
        case .number(let text): text
        case .bool(let b): b ? "true" : "false"
        case .null: "null"
        }
    }

    /// A JSON string literal: quotes, backslashes and control characters escaped (RFC 8259 §7).
    static func quoted(_ s: String) -> String {
        var out = "\""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where scalar.value < 0x20:
                let hex = String(scalar.value, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }
}
