import ArgumentParser
import Foundation
import RunLog

/// `--runs-db`, shared by every command: where runs are recorded, by one rule
/// (`RunStoreLocation`).
struct RunStoreOptions: ParsableArguments {
    @Option(help: ArgumentHelp("The run store (\(RunStoreLocation.rule)).", valueName: "file")) var runsDb: String?

    var location: RunStoreLocation { RunStoreLocation(option: runsDb) }

    /// The store for reading; a missing file is an error that says where runs are looked for.
    func openForReading() throws -> RunStore {
        let location = location
        guard location.exists else { throw ValidationErrorText(Self.missing(location)) }
        return try RunStore(path: location.path, readOnly: true)
    }

    /// The store for writing, created (with its folder) when missing.
    func openForWriting(creating: Bool = false) throws -> RunStore {
        let location = location
        guard creating || location.exists else { throw ValidationErrorText(Self.missing(location)) }
        return try RunStore(path: location.path, createDirectory: creating)
    }

    /// The store when it exists and can be opened for writing; nil otherwise (a command that
    /// only records into it says why, through `log`, naming a store an earlier Joule kept in
    /// `checkpointDirectory`).
    func openIfPresent(checkpointDirectory: String? = nil, log: (String) -> Void) -> RunStore? {
        let location = location
        guard location.exists else {
            log(
                "not recorded: no run store at \(location.path) (\(RunStoreLocation.rule))"
                    + legacyNote(checkpointDirectory))
            return nil
        }
        do {
            return try RunStore(path: location.path)
        } catch {
            log("not recorded: \(error)")
            return nil
        }
    }

    /// "; an earlier Joule kept runs in DIR/runs.sqlite: pass --runs-db …" when that store
    /// exists and is not the one in use (Joule used to keep the store in the checkpoint folder).
    func legacyNote(_ checkpointDirectory: String?) -> String {
        guard let checkpointDirectory else { return "" }
        let old = URL(fileURLWithPath: checkpointDirectory).appendingPathComponent("runs.sqlite").standardizedFileURL
            .path
        guard old != location.path, FileManager.default.fileExists(atPath: old) else { return "" }
        return "; an earlier Joule kept runs in \(old): pass --runs-db \(CommandHint.quoted(old)) to use it"
    }

    static func missing(_ location: RunStoreLocation) -> String {
        "no run store at \(location.path) (runs are recorded in \(RunStoreLocation.rule))"
    }
}
