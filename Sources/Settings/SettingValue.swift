import Foundation
import Yams

/// A type a setting can have: read from the command line (`ExpressibleByArgument`), from a
/// YAML file, stored in checkpoints (`Codable`), and written into the run store's params.
public protocol SettingValue: ExpressibleByArgument, Codable, Equatable, Sendable {
    /// The value a YAML node holds; nil when it holds none of this type.
    init?(yaml node: Node)
    /// What a value must look like, for errors ("a whole number", "one of adam, adamw, sgd").
    static var expected: String { get }
    /// The value as the run store's params and the help show it.
    var settingText: String { get }
}

extension SettingValue {
    /// The value a command-line argument spells; the error says what was expected.
    public static func parsed(fromArgument text: String) throws -> Self {
        guard let value = Self(argument: text) else { throw ValidationError("expected \(expected)") }
        return value
    }
}

extension Int: SettingValue {
    /// Reads a YAML whole number; nil for anything else.
    public init?(yaml node: Node) {
        guard let value = node.int else { return nil }
        self = value
    }
    /// What errors say is expected: "a whole number".
    public static var expected: String { "a whole number" }
    /// The number in decimal.
    public var settingText: String { String(self) }
}

extension UInt64: SettingValue {
    /// Reads a non-negative YAML whole number (up to 2⁶⁴ − 1, as the command line does); nil
    /// for anything else.
    public init?(yaml node: Node) {
        if case .scalar(let scalar) = node, let value = UInt64(scalar.string) {
            self = value
        } else if let value = node.int, value >= 0 {
            self = UInt64(value)
        } else {
            return nil
        }
    }
    /// What errors say is expected: "a non-negative whole number".
    public static var expected: String { "a non-negative whole number" }
    /// The number in decimal.
    public var settingText: String { String(self) }
}

extension Float: SettingValue {
    /// Reads an unquoted YAML number, whole or not (`.inf` and `.nan` too); nil for anything else.
    public init?(yaml node: Node) {
        guard let value = node.float else { return nil }
        self = Float(value)
    }
    /// What errors say is expected: "a number".
    public static var expected: String { "a number" }
    /// The number as Swift prints it (`0.001`).
    public var settingText: String { "\(self)" }
}

extension Bool: SettingValue {
    /// Reads a YAML boolean (true/false, yes/no or on/off); nil for anything else.
    public init?(yaml node: Node) {
        guard let value = node.bool else { return nil }
        self = value
    }
    /// What errors say is expected: "true or false".
    public static var expected: String { "true or false" }
    /// `true` or `false`.
    public var settingText: String { self ? "true" : "false" }
}

extension String: SettingValue {
    /// Reads any YAML scalar as its text; nil for a list or a mapping.
    public init?(yaml node: Node) {
        guard case .scalar = node, let value = node.string else { return nil }
        self = value
    }
    /// What errors say is expected: "text".
    public static var expected: String { "text" }
    /// The text itself.
    public var settingText: String { self }
}

/// Choices spelled as text (objectives, optimisers, schedules): read from their names, with
/// errors that list them all.
/// A choice prints as its name (`kim-bengio`), as the user spells it.
public protocol SettingChoice: SettingValue, CaseIterable, RawRepresentable, CustomStringConvertible
where RawValue == String {}

extension SettingChoice {
    /// Reads a YAML scalar naming a choice (`kim-bengio`); nil for anything else.
    public init?(yaml node: Node) {
        guard case .scalar = node, let text = node.string, let value = Self(rawValue: text) else { return nil }
        self = value
    }
    /// Reads a choice by its name; nil for any other text.
    public init?(argument: String) { self.init(rawValue: argument) }
    /// What errors say is expected: every choice's name ("one of adam, adamw, sgd").
    public static var expected: String { "one of " + allCases.map(\.rawValue).joined(separator: ", ") }
    /// The choice's name.
    public var settingText: String { rawValue }
    /// The choice's name, as the user spells it.
    public var description: String { rawValue }
    /// Every choice's name, for `--help` and shell completion.
    public static var allValueStrings: [String] { allCases.map(\.rawValue) }
}

/// A list of whole numbers (the step schedule's milestones): `3,6,9` on the command line, a
/// YAML list or one number in a file.
public struct WholeNumbers: SettingValue, Hashable {
    /// The numbers, in the order given (empty for none).
    public var values: [Int]

    /// The list `values`.
    public init(_ values: [Int]) { self.values = values }

    /// Reads comma-separated whole numbers (`3,6,9`, spaces allowed); nil when any part is not one.
    public init?(argument: String) {
        let parts = argument.split(separator: ",", omittingEmptySubsequences: false).map {
            Int($0.trimmingCharacters(in: .whitespaces))
        }
        guard !parts.isEmpty, parts.allSatisfy({ $0 != nil }) else { return nil }
        values = parts.compactMap { $0 }
    }

    /// Reads a YAML list of whole numbers, or one number as a list of one; nil for anything else.
    public init?(yaml node: Node) {
        switch node {
        case .sequence(let items):
            let numbers = items.map(\.int)
            guard numbers.allSatisfy({ $0 != nil }) else { return nil }
            values = numbers.compactMap { $0 }
        default:
            guard let number = node.int else { return nil }
            values = [number]
        }
    }

    /// Decodes a plain array of whole numbers.
    public init(from decoder: any Decoder) throws { values = try [Int](from: decoder) }
    /// Encodes a plain array of whole numbers.
    public func encode(to encoder: any Encoder) throws { try values.encode(to: encoder) }

    /// What errors say is expected: "a list of whole numbers".
    public static var expected: String { "a list of whole numbers" }
    /// The numbers joined by commas, as the command line takes them (empty for none).
    public var settingText: String { values.map(String.init).joined(separator: ",") }
}

/// A node of a parsed YAML file, as `SettingValue.init(yaml:)` reads it.
public typealias YAMLNode = Node

/// A setting written as one piece of text with a structure of its own (`png:FOLDER`,
/// `wrn-16-4`): read from the command line, YAML and JSON by `init?(argument:)`, written back
/// as `settingText`.
public protocol TextSettingValue: SettingValue, CustomStringConvertible {}

extension TextSettingValue {
    /// Reads a YAML scalar spelled as on the command line; nil for anything else.
    public init?(yaml node: YAMLNode) {
        guard let text = String(yaml: node) else { return nil }
        self.init(argument: text)
    }

    /// Decodes the text as `settingText` writes it; other text is `DecodingError.dataCorrupted`.
    public init(from decoder: any Decoder) throws {
        let text = try String(from: decoder)
        guard let value = Self(argument: text) else {
            throw DecodingError.dataCorrupted(
                .init(codingPath: decoder.codingPath, debugDescription: "'\(text)' is not \(Self.expected)"))
        }
        self = value
    }

    /// Encodes the value as its text.
    public func encode(to encoder: any Encoder) throws { try settingText.encode(to: encoder) }

    /// The value as the command line spells it (`settingText`).
    public var description: String { settingText }
}
