import SwiftSyntax
import SwiftSyntaxMacros

/// `@SettingsGroup(title:)`: from the group's `@Setting` properties — each declared once, with
/// its type, default, help, key, resume rule and scope — it writes what every consumer of
/// settings needs: the command line's `Options` (`ParsableArguments`, each option optional so
/// a value given can be told from none), applying those options, reading YAML values,
/// Codable under the settings' keys, the run store's params, and the resume check.
public struct SettingsGroupMacro: MemberMacro, ExtensionMacro {
    /// Writes the group's `Options` (an optional option or flag per setting) and `apply(_ options:)`.
    public static func expansion(
        of node: AttributeSyntax, providingMembersOf declaration: some DeclGroupSyntax,
        conformingTo protocols: [TypeSyntax], in context: some MacroExpansionContext
    ) throws -> [DeclSyntax] {
        let settings = try Self.settings(of: declaration)
        let type = try Self.typeName(of: declaration)
        let options = settings.map { s -> String in
            let help = "ArgumentHelp(SettingHelp.text(\(s.help), default: \(type)().\(s.name)))"
            if s.isFlag {
                return
                    "@Flag(name: .customLong(\"\(s.key)\"), inversion: .prefixedNo, help: \(help))\npublic var \(s.name): Bool?"
            }
            return "@Option(name: .customLong(\"\(s.key)\"), parsing: .unconditional, help: \(help), "
                + "transform: { try \(s.wrapped).parsed(fromArgument: $0) })\npublic var \(s.name): \(s.wrapped)?"
        }.joined(separator: "\n")
        let applyOptions = settings.map { "if let value = options.\($0.name) { \($0.name) = value }" }.joined(
            separator: "\n")
        return [
            """
            /// The group's settings as command-line options: each nil unless given.
            public struct Options: ParsableArguments, Sendable {
            \(raw: options)
            public init() {}
            }
            """,
            """
            /// Sets what `options` gives.
            public mutating func apply(_ options: Options) {
            \(raw: applyOptions)
            }
            """,
        ]
    }

    /// Writes the `SettingsGroup` conformance: title, keys, scopes, YAML reading, Codable, params, resume check.
    public static func expansion(
        of node: AttributeSyntax, attachedTo declaration: some DeclGroupSyntax,
        providingExtensionsOf type: some TypeSyntaxProtocol, conformingTo protocols: [TypeSyntax],
        in context: some MacroExpansionContext
    ) throws -> [ExtensionDeclSyntax] {
        let settings = try Self.settings(of: declaration)
        let title =
            node.arguments?.as(LabeledExprListSyntax.self)?.first { $0.label?.text == "title" }?.expression
            .trimmedDescription ?? "nil"
        let keys = settings.map { s in ([s.key] + s.aliases).map { "\"\($0)\"" }.joined(separator: ", ") }.joined(
            separator: ", ")
        let codingKeys = settings.map { "case \($0.name) = \"\($0.key)\"" }.joined(separator: "\n")
        let readValues = settings.map { s in
            "if let value = try values.value(\(s.wrapped).self, key: \"\(s.key)\", aliases: [\(s.aliases.map { "\"\($0)\"" }.joined(separator: ", "))]) "
                + "{ \(s.name) = value }"
        }.joined(separator: "\n")
        let decode = settings.map {
            "if let value = try container.decodeIfPresent(\($0.wrapped).self, forKey: .\($0.name)) { \($0.name) = value }"
        }
        .joined(separator: "\n")
        let encode = settings.map {
            "try container.encode\($0.isOptional ? "IfPresent" : "")(\($0.name), forKey: .\($0.name))"
        }
        .joined(separator: "\n")
        let params = settings.map { s in
            s.isOptional
                ? "if !scope.isDisjoint(with: \(s.scope)), let value = \(s.name) { result.append((\"\(s.key)\", value.settingText)) }"
                : "if !scope.isDisjoint(with: \(s.scope)) { result.append((\"\(s.key)\", \(s.name).settingText)) }"
        }.joined(separator: "\n")
        let conflicts = settings.filter(\.isFixedOnResume).map { s in
            "if \(s.name) != given.\(s.name) { result.append(\"--\(s.key) (run: \\(SettingHelp.describe(\(s.name))), given: \\(SettingHelp.describe(given.\(s.name))))\") }"
        }.joined(separator: "\n")
        let scopes = settings.map { "(\"\($0.key)\", \($0.scope))" }.joined(separator: ", ")
        let declaration: DeclSyntax = """
            extension \(type.trimmed): SettingsGroup {
            /// The title of the group in `--help`.
            public static var title: String { \(raw: title) }
            /// Every name this group reads from YAML: keys and their aliases.
            public static var settingKeys: [String] { [\(raw: keys)] }
            /// Each setting's key with the objectives that use it.
            public static var settingScopes: [(key: String, scope: SettingScope)] { [\(raw: scopes)] }
            enum SettingKeys: String, CodingKey {
            \(raw: codingKeys)
            }
            /// Sets what a YAML file gives.
            public mutating func apply(_ values: SettingValues) throws {
            \(raw: readValues)
            }
            public init(from decoder: any Decoder) throws {
            self.init()
            let container = try decoder.container(keyedBy: SettingKeys.self)
            \(raw: decode)
            }
            public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: SettingKeys.self)
            \(raw: encode)
            }
            /// The settings the objectives in `scope` use, by key, as the run store records them.
            public func params(in scope: SettingScope) -> [(key: String, value: String)] {
            \(raw: params.isEmpty ? "[]" : "var result: [(key: String, value: String)] = []\n" + params + "\nreturn result")
            }
            /// The settings a resumed run must keep that `given` changes, as "--key (run: a, given: b)".
            public func resumeConflicts(with given: Self) -> [String] {
            \(raw: conflicts.isEmpty ? "[]" : "var result: [String] = []\n" + conflicts + "\nreturn result")
            }
            }
            """
        guard let extensionDeclaration = declaration.as(ExtensionDeclSyntax.self) else { return [] }
        return [extensionDeclaration]
    }

    static func settings(of declaration: some DeclGroupSyntax) throws -> [SettingDeclaration] {
        try declaration.memberBlock.members.compactMap { member in
            guard let variable = member.decl.as(VariableDeclSyntax.self) else { return nil }
            return try SettingDeclaration.read(variable)
        }
    }

    static func typeName(of declaration: some DeclGroupSyntax) throws -> String {
        guard let structure = declaration.as(StructDeclSyntax.self) else {
            throw SettingsMacroError("@SettingsGroup applies to a struct")
        }
        return structure.name.text
    }
}

/// `@Setting(...)`: marks a property of a settings group; `@SettingsGroup` reads it.
public struct SettingMacro: PeerMacro {
    /// Writes nothing: `@Setting` only marks a property for `@SettingsGroup` to read.
    public static func expansion(
        of node: AttributeSyntax, providingPeersOf declaration: some DeclSyntaxProtocol,
        in context: some MacroExpansionContext
    ) throws -> [DeclSyntax] { [] }
}
