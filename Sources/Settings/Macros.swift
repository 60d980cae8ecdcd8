@_exported import ArgumentParser

/// Makes a struct a group of settings: see `SettingsGroupMacro`. The struct declares
/// `public init() {}` (its defaults) and marks each setting with `@Setting`.
@attached(member, names: named(Options), named(apply))
@attached(
    extension, conformances: SettingsGroup,
    names: named(title), named(settingKeys), named(settingScopes), named(SettingKeys), named(apply), named(init(from:)),
    named(encode(to:)), named(params(in:)), named(resumeConflicts(with:)))
public macro SettingsGroup(title: String) = #externalMacro(module: "SettingsMacros", type: "SettingsGroupMacro")

/// One setting of a `@SettingsGroup`: its help text; its key (default: the property's name in
/// kebab case) and other names YAML may use; whether a resumed run must keep it; and the
/// objectives that use it (the run store records it for those).
@attached(peer)
public macro Setting(
    _ help: String, key: String? = nil, aliases: [String] = [], resume: ResumeRule = .free,
    for scope: SettingScope = .all
) = #externalMacro(module: "SettingsMacros", type: "SettingMacro")

/// Whether a resumed run may change a setting: `fixed` when the checkpoint's state was made
/// under it (the model, the data, the optimiser's kind, the replay buffer), `free` otherwise.
public enum ResumeRule: Sendable {
    case free, fixed
}
