import CSQLite
import Foundation

/// Every run in one SQLite database: configs, params, metric history, tags, artifacts,
/// evaluations and per-sample scores (schema in `RunStoreSchema`).
///
/// Several processes may write to one store at once (WAL, busy timeout, immediate
/// transactions); each process opens its own `RunStore`.
public final class RunStore {
    /// The database file.
    public let path: String
    let db: SQLiteConnection

    /// Opens the store at `path`, creating it and its schema when `readOnly` is false.
    /// With `createDirectory`, a missing parent folder is created first.
    public init(path: String, readOnly: Bool = false, createDirectory: Bool = false) throws {
        self.path = path
        if createDirectory && !readOnly {
            let folder = (path as NSString).deletingLastPathComponent
            if !folder.isEmpty && !FileManager.default.fileExists(atPath: folder) {
                do {
                    try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
                } catch {
                    throw RunStoreError(
                        path: path, message: "cannot create the directory \(folder): \(error.localizedDescription)")
                }
            }
        }
        var connection = try Self.connect(path, readOnly: readOnly)
        if readOnly {
            let tables = try connection.query("SELECT count(*) FROM sqlite_master WHERE name = 'runs'")
            guard tables.first?.first?.int == 1 else {
                throw RunStoreError(path: path, message: "the database holds no Joule runs (no 'runs' table)")
            }
            // A store written by an earlier Joule is brought up to date before it is read (the
            // reads need the new tables); one that cannot be written here says so.
            if try Migrator.pending(connection) {
                do {
                    try Migrator.migrate(SQLiteConnection(path: path))
                } catch {
                    throw RunStoreError(
                        path: path,
                        message: "written by an earlier Joule and needing an update that cannot be made here "
                            + "(\(error)); open it once where it can be written")
                }
                connection = try Self.connect(path, readOnly: true)
            }
        } else {
            try Migrator.migrate(connection)
        }
        db = connection
    }

    private static func connect(_ path: String, readOnly: Bool) throws -> SQLiteConnection {
        do {
            return try SQLiteConnection(path: path, readOnly: readOnly)
        } catch let error as RunStoreError
            where readOnly && [SQLITE_READONLY, SQLITE_CANTOPEN].contains(error.code.map { $0 & 0xff })
        {
            // A database in a folder this user cannot write (an archive, another user's
            // runs): WAL cannot make its lock file, so read it as an immutable file — unless
            // its write-ahead log still holds commits, which an immutable read would miss.
            let walSize = (try? FileManager.default.attributesOfItem(atPath: path + "-wal")[.size] as? Int) ?? 0
            guard walSize == 0 else {
                throw RunStoreError(
                    path: path,
                    message: "cannot read it here: its folder is not writable and \(path)-wal holds "
                        + "changes not yet merged (open it once where it can be written)", code: error.code)
            }
            return try SQLiteConnection(path: path, readOnly: true, immutable: true)
        }
    }

    /// The names of the migrations applied, in order.
    public func appliedMigrations() throws -> [String] {
        try db.query("SELECT name FROM schema_migrations ORDER BY name").compactMap { $0.first?.string }
    }

    /// SQLite's own consistency check (`ok` when sound).
    public func integrityCheck() throws -> String {
        try db.query("PRAGMA integrity_check").compactMap { $0.first?.string }.joined(separator: "; ")
    }

    /// Runs `body` in one transaction on this store.
    public func transaction<T>(_ body: () throws -> T) throws -> T { try db.transaction(body) }

    static func seconds(_ date: Date) -> SQLiteValue { .real(date.timeIntervalSince1970) }
    static func date(_ value: SQLiteValue) -> Date? { value.double.map(Date.init(timeIntervalSince1970:)) }
}
