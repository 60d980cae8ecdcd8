/// A group of settings declared with `@SettingsGroup`: the macro writes every requirement but
/// `init()` from the `@Setting` properties.
public protocol SettingsGroup: Codable, Sendable, Equatable {
    /// The defaults.
    init()
    /// The group's title in `--help`.
    static var title: String { get }
    /// Every name the group reads from YAML: keys and their aliases.
    static var settingKeys: [String] { get }
    /// Each setting's key with the objectives that use it.
    static var settingScopes: [(key: String, scope: SettingScope)] { get }
    /// Sets what a YAML file gives.
    mutating func apply(_ values: SettingValues) throws
    /// The settings the objectives in `scope` use, as the run store records them.
    func params(in scope: SettingScope) -> [(key: String, value: String)]
    /// The settings a resumed run must keep that `given` changes.
    func resumeConflicts(with given: Self) -> [String]
}

/// Which objectives use a setting: a set of bits that a client names (`Runs` defines one per
/// objective, and sets such as `.classifiers`).
public struct SettingScope: OptionSet, Sendable, Hashable {
    /// One bit per objective, as the client numbers them.
    public let rawValue: UInt32
    /// The scope of the objectives whose bits `rawValue` sets.
    public init(rawValue: UInt32) { self.rawValue = rawValue }

    /// Every objective.
    public static let all = SettingScope(rawValue: .max)
}

/// How help texts show defaults and resume conflicts show values.
public enum SettingHelp {
    /// `help` with "(default: value)" after it.
    public static func text<Value: SettingValue>(_ help: String, default value: Value) -> String {
        "\(text(help, default: nil as Value?)) (default: \(value.settingText))"
    }

    /// `help` with its default after it, unless there is none.
    public static func text<Value: SettingValue>(_ help: String, default value: Value?) -> String {
        // Option help reads as a phrase before ArgumentParser's own additions: no final stop.
        let phrase = help.hasSuffix(".") ? String(help.dropLast()) : help
        return value.map { "\(phrase) (default: \($0.settingText))" } ?? phrase
    }

    /// A value as a message shows it.
    public static func describe<Value: SettingValue>(_ value: Value) -> String { value.settingText }

    /// A value as a message shows it; "unset" for none.
    public static func describe<Value: SettingValue>(_ value: Value?) -> String { value.map(\.settingText) ?? "unset" }
}
