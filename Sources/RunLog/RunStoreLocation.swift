import Foundation

/// Where runs are recorded: the one rule every command follows. `--runs-db FILE`, else
/// `$JOULE_RUNS_DB`, else `checkpoints/runs.sqlite` under the current folder — whatever the
/// command, and whatever `--checkpoint-dir` says (a run's files may live anywhere; the store
/// remembers each run's folder).
public struct RunStoreLocation: Sendable, Equatable {
    /// Which rule chose the path.
    public enum Source: String, Sendable {
        case option, environment, `default`
    }

    /// The default store, relative to the current folder.
    public static let defaultPath = "checkpoints/runs.sqlite"
    /// The environment variable naming the store.
    public static let environmentVariable = "JOULE_RUNS_DB"
    /// The rule in one sentence, for help texts and error messages.
    public static let rule = "--runs-db FILE, else $JOULE_RUNS_DB, else ./checkpoints/runs.sqlite"

    /// The store's path, absolute.
    public let path: String
    /// Which rule chose `path`: the `--runs-db` option, `$JOULE_RUNS_DB`, or the default.
    public let source: Source

    /// The store `option` (a `--runs-db` value) names, by the rule.
    public init(option: String?, environment: [String: String] = ProcessInfo.processInfo.environment) {
        if let option, !option.isEmpty {
            (path, source) = (Self.absolute(option), .option)
        } else if let value = environment[Self.environmentVariable], !value.isEmpty {
            (path, source) = (Self.absolute(value), .environment)
        } else {
            (path, source) = (Self.absolute(Self.defaultPath), .default)
        }
    }

    /// The arguments a printed command needs to reach this store again: `--runs-db PATH`
    /// when the option chose it (the environment and the default hold in the same shell
    /// and folder without it).
    public var commandArguments: [String] { source == .option ? ["--runs-db", path] : [] }

    /// Whether a store exists at the path.
    public var exists: Bool { FileManager.default.fileExists(atPath: path) }

    private static func absolute(_ path: String) -> String {
        URL(fileURLWithPath: path).standardizedFileURL.path
    }
}
