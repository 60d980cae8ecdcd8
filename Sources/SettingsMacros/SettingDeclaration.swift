import SwiftSyntax

/// One `@Setting` property of a settings group, as the macro reads it.
struct SettingDeclaration {
    /// The property's name (`sgldSteps`).
    var name: String
    /// Its type as written (`Int`, `Float?`), and without the optional.
    var type: String
    var wrapped: String
    var isOptional: Bool
    /// The help text's expression, as written.
    var help: String
    /// The setting's name in YAML, on the command line and in the run store.
    var key: String
    /// Other names YAML files may use.
    var aliases: [String]
    /// Whether a resumed run must keep it (`resume: .fixed`).
    var isFixedOnResume: Bool
    /// Which objectives use it (an expression of `SettingScope`).
    var scope: String

    var isFlag: Bool { wrapped == "Bool" }

    /// Reads `variable` when it carries `@Setting`; nil otherwise. Throws for a setting the
    /// macro cannot handle (no type annotation, a missing help text).
    static func read(_ variable: VariableDeclSyntax) throws -> SettingDeclaration? {
        guard
            let attribute = variable.attributes.compactMap({ $0.as(AttributeSyntax.self) })
                .first(where: { $0.attributeName.trimmedDescription == "Setting" })
        else { return nil }
        guard variable.bindings.count == 1, let binding = variable.bindings.first,
            let name = binding.pattern.as(IdentifierPatternSyntax.self)?.identifier.text
        else {
            throw SettingsMacroError("@Setting applies to one stored property")
        }
        guard let typeSyntax = binding.typeAnnotation?.type else {
            throw SettingsMacroError("@Setting var \(name): write its type")
        }
        let type = typeSyntax.trimmedDescription
        var wrapped = type
        var isOptional = false
        if let optional = typeSyntax.as(OptionalTypeSyntax.self) {
            wrapped = optional.wrappedType.trimmedDescription
            isOptional = true
        }
        guard binding.initializer != nil || isOptional else {
            throw SettingsMacroError("@Setting var \(name): give it a default value")
        }
        var help: String?
        var key: String?
        var aliases: [String] = []
        var fixed = false
        var scope = ".all"
        for argument in attribute.arguments?.as(LabeledExprListSyntax.self) ?? [] {
            let text = argument.expression.trimmedDescription
            switch argument.label?.text {
            case nil: help = text
            case "key": key = argument.expression.as(StringLiteralExprSyntax.self)?.representedLiteralValue
            case "aliases":
                aliases =
                    argument.expression.as(ArrayExprSyntax.self)?.elements.compactMap {
                        $0.expression.as(StringLiteralExprSyntax.self)?.representedLiteralValue
                    } ?? []
            case "resume": fixed = text.hasSuffix("fixed")
            case "for": scope = text
            default: throw SettingsMacroError("@Setting var \(name): unknown argument '\(argument.label?.text ?? "")'")
            }
        }
        guard let help else { throw SettingsMacroError("@Setting var \(name): give a help text") }
        return SettingDeclaration(
            name: name, type: type, wrapped: wrapped, isOptional: isOptional, help: help,
            key: key ?? kebabCased(name), aliases: aliases, isFixedOnResume: fixed, scope: scope)
    }

    /// `sgldSteps` → `sgld-steps`.
    static func kebabCased(_ name: String) -> String {
        var result = ""
        for character in name {
            if character.isUppercase {
                result += "-" + character.lowercased()
            } else {
                result.append(character)
            }
        }
        return result
    }
}

/// Why the macro refused a declaration.
struct SettingsMacroError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
