import Settings

extension RunConfiguration {
    /// One warning for each setting moved from its default that the run's objective does not
    /// read (`--sgld-steps` on a cross-entropy run, `--flip` on a toy density): it would
    /// otherwise change nothing, silently.
    public var ignoredSettingWarnings: [String] {
        let defaults = RunConfiguration()
        let scope = core.objective.scope
        func ignored<Group: SettingsGroup>(_ group: Group, _ base: Group) -> [String] {
            let scopes = Dictionary(Group.settingScopes.map { ($0.key, $0.scope) }) { first, _ in first }
            let now = Dictionary(group.params(in: .all).map { ($0.key, $0.value) }) { first, _ in first }
            let before = Dictionary(base.params(in: .all).map { ($0.key, $0.value) }) { first, _ in first }
            return now.keys.sorted().filter { key in
                now[key] != before[key] && !(scopes[key].map { $0.contains(scope) } ?? true)
            }
        }
        let keys =
            ignored(core, defaults.core) + ignored(data, defaults.data) + ignored(details, defaults.details)
            + ignored(output, defaults.output) + ignored(jem, defaults.jem)
            + ignored(divergenceGuard, defaults.divergenceGuard) + ignored(scoreMatching, defaults.scoreMatching)
            + ignored(learnedSampler, defaults.learnedSampler)
        return keys.map { "--\($0) does not apply to --objective \(core.objective.rawValue): ignored" }
    }
}
