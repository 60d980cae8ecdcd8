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
    public init?(yaml node: Node) {
        guard let value = node.int else { return nil }
        self = value
    }
    public static var expected: String { "a whole number" }
    public var settingText: String { String(self) }
}

extension UInt64: SettingValue {
    public init?(yaml node: Node) {
        guard let value = node.int, value >= 0 else { return nil }
        self = UInt64(value)
    }
    public static var expected: String { "a non-negative whole number" }
    public var settingText: String { String(self) }
}

extension Float: SettingValue {
    public init?(yaml node: Node) {
        guard let value = node.float else { return nil }
        self = Float(value)
    }
    public static var expected: String { "a number" }
    public var settingText: String { "\(self)" }
}

extension Bool: SettingValue {
    public init?(yaml node: Node) {
        guard let value = node.bool else { return nil }
        self = value
    }
    public static var expected: String { "true or false" }
    public var settingText: String { self ? "true" : "false" }
}

extension String: SettingValue {
    public init?(yaml node: Node) {
        guard case .scalar = node, let value = node.string else { return nil }
        self = value
    }
    public static var expected: String { "text" }
    public var settingText: String { self }
}

/// Choices spelled as text (objectives, optimisers, schedules): read from their names, with
/// errors that list them all.
/// A choice prints as its name (`kim-bengio`), as the user spells it.
public protocol SettingChoice: SettingValue, CaseIterable, RawRepresentable, CustomStringConvertible
where RawValue == String {}

extension SettingChoice {
    public init?(yaml node: Node) {
        guard case .scalar = node, let text = node.string, let value = Self(rawValue: text) else { return nil }
        self = value
    }
    public init?(argument: String) { self.init(rawValue: argument) }
    public static var expected: String { "one of " + allCases.map(\.rawValue).joined(separator: ", ") }
    public var settingText: String { rawValue }
    public var description: String { rawValue }
    public static var allValueStrings: [String] { allCases.map(\.rawValue) }
}

/// A list of whole numbers (the step schedule's milestones): `3,6,9` on the command line, a
/// YAML list or one number in a file.
public struct WholeNumbers: SettingValue, Hashable {
    public var values: [Int]

    public init(_ values: [Int]) { self.values = values }

    public init?(argument: String) {
        let parts = argument.split(separator: ",", omittingEmptySubsequences: false).map {
            Int($0.trimmingCharacters(in: .whitespaces))
        }
        guard !parts.isEmpty, parts.allSatisfy({ $0 != nil }) else { return nil }
        values = parts.compactMap { $0 }
    }

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

    public init(from decoder: any Decoder) throws { values = try [Int](from: decoder) }
    public func encode(to encoder: any Encoder) throws { try values.encode(to: encoder) }

    public static var expected: String { "a list of whole numbers" }
    public var settingText: String { values.map(String.init).joined(separator: ",") }
}

/// A node of a parsed YAML file, as `SettingValue.init(yaml:)` reads it.
public typealias YAMLNode = Node
