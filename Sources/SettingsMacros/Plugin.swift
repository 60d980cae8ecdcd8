import SwiftCompilerPlugin
import SwiftSyntaxMacros

/// The compiler plugin that provides the settings macros.
@main
struct SettingsMacrosPlugin: CompilerPlugin {
    let providingMacros: [Macro.Type] = [SettingsGroupMacro.self, SettingMacro.self]
}
