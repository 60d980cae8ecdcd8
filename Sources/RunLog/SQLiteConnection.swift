import CSQLite
import Foundation

/// One connection to an SQLite database: the small facade the run store is written on.
///
/// Opened in WAL mode (readers never block the writer) with a busy timeout, so several
/// processes can log to one file; writes go through `transaction`, which takes the write
/// lock up front (`BEGIN IMMEDIATE`) instead of upgrading a read lock mid-way — the
/// upgrade is what fails with "database is locked" regardless of the timeout. Statements
/// are prepared once and cached by their SQL text. Not thread-safe: use one per thread.
public final class SQLiteConnection {
    /// The database file.
    public let path: String
    let handle: OpaquePointer
    private var statements: [String: SQLiteStatement] = [:]
    private var transactionDepth = 0

    /// Opens (creating when `readOnly` is false) the database at `path`. `immutable` reads a
    /// file nobody may write to (a read-only folder, where WAL cannot create its lock file)
    /// without locking.
    public init(path: String, readOnly: Bool = false, immutable: Bool = false, busyTimeoutMilliseconds: Int32 = 30_000)
        throws
    {
        self.path = path
        try Self.checkDirectory(of: path, readOnly: readOnly)
        var db: OpaquePointer?
        var flags = readOnly ? SQLITE_OPEN_READONLY : (SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE)
        var name = path
        if immutable && readOnly {
            flags |= SQLITE_OPEN_URI
            name = URL(fileURLWithPath: path).absoluteString + "?immutable=1"
        }
        let rc = sqlite3_open_v2(name, &db, flags | SQLITE_OPEN_NOMUTEX, nil)
        guard rc == SQLITE_OK, let db else {
            let message = db.map { String(cString: sqlite3_errmsg($0)) } ?? "out of memory"
            sqlite3_close_v2(db)
            throw RunStoreError(path: path, message: "cannot open the database: \(message)", code: rc)
        }
        handle = db
        sqlite3_extended_result_codes(db, 1)
        sqlite3_busy_timeout(db, busyTimeoutMilliseconds)
        // A file that is not SQLite is only noticed at the first read.
        do {
            _ = try query("PRAGMA schema_version")
        } catch let error as RunStoreError where error.code.map({ $0 & 0xff }) == SQLITE_NOTADB {
            throw RunStoreError(path: path, message: "the file is not an SQLite database", code: error.code)
        }
        if !readOnly {
            let mode = try retryingWhileBusy { try query("PRAGMA journal_mode=WAL").first?.first?.string }
            guard mode?.lowercased() == "wal" else {
                throw RunStoreError(
                    path: path, message: "cannot switch the database to WAL mode (got \(mode ?? "nothing"))")
            }
            // In WAL mode NORMAL loses at most the last commits on power loss, never consistency.
            try execute("PRAGMA synchronous=NORMAL")
        }
        try execute("PRAGMA foreign_keys=ON")
    }

    deinit {
        statements.removeAll()
        sqlite3_close_v2(handle)
    }

    /// Runs one statement, discarding any rows.
    public func execute(_ sql: String, _ bindings: [SQLiteValue] = []) throws {
        let statement = try prepared(sql)
        try statement.run(bindings)
    }

    /// Runs one statement and returns its rows.
    public func query(_ sql: String, _ bindings: [SQLiteValue] = []) throws -> [[SQLiteValue]] {
        let statement = try prepared(sql)
        return try statement.rows(bindings)
    }

    /// Runs several statements separated by semicolons (schema scripts), without bindings.
    public func executeScript(_ sql: String) throws {
        var message: UnsafeMutablePointer<CChar>?
        let rc = sqlite3_exec(handle, sql, nil, nil, &message)
        if rc != SQLITE_OK {
            let text = message.map { String(cString: $0) } ?? String(cString: sqlite3_errstr(rc))
            sqlite3_free(message)
            throw RunStoreError(path: path, message: text, code: rc)
        }
    }

    /// Runs `body` in one write transaction: committed when it returns, rolled back when it
    /// throws. Nested calls join the outer transaction.
    public func transaction<T>(_ body: () throws -> T) throws -> T {
        if transactionDepth > 0 {
            transactionDepth += 1
            defer { transactionDepth -= 1 }
            return try body()
        }
        try retryingWhileBusy { try execute("BEGIN IMMEDIATE") }
        transactionDepth = 1
        defer { transactionDepth = 0 }
        do {
            let result = try body()
            try retryingWhileBusy { try execute("COMMIT") }
            return result
        } catch {
            try? execute("ROLLBACK")
            throw error
        }
    }

    /// Rows changed by the last INSERT, UPDATE or DELETE.
    public var changes: Int { Int(sqlite3_changes(handle)) }

    func error(_ rc: Int32, doing what: String) -> RunStoreError {
        let message = String(cString: sqlite3_errmsg(handle))
        return RunStoreError(path: path, message: "\(what): \(message)", code: rc)
    }

    private func prepared(_ sql: String) throws -> SQLiteStatement {
        if let cached = statements[sql] { return cached }
        let statement = try SQLiteStatement(sql: sql, connection: self)
        statements[sql] = statement
        return statement
    }

    /// Retries `body` while another connection holds a lock the busy handler could not wait
    /// out (schema changes, WAL switch-over), up to about the busy timeout.
    private func retryingWhileBusy<T>(_ body: () throws -> T) throws -> T {
        var attempt = 0
        while true {
            do {
                return try body()
            } catch let error as RunStoreError {
                let primary = error.code.map { $0 & 0xff }
                guard primary == SQLITE_BUSY || primary == SQLITE_LOCKED, attempt < 300 else { throw error }
                attempt += 1
                usleep(useconds_t(min(100, 5 * attempt)) * 1000)
            }
        }
    }

    private static func checkDirectory(of path: String, readOnly: Bool) throws {
        guard path != ":memory:" else { return }
        let directory = (path as NSString).deletingLastPathComponent
        let folder = directory.isEmpty ? "." : directory
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: folder, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw RunStoreError(path: path, message: "the directory \(folder) does not exist")
        }
        if readOnly {
            guard FileManager.default.fileExists(atPath: path) else {
                throw RunStoreError(path: path, message: "no database at this path")
            }
        } else if access(folder, W_OK) != 0 {
            // WAL needs to create the -wal and -shm files beside the database.
            throw RunStoreError(path: path, message: "the directory \(folder) is not writable")
        }
    }
}
