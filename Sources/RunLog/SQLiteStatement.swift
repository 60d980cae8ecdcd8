import CSQLite

/// A prepared statement, reused across calls (bindings are reset each time).
final class SQLiteStatement {
    private let handle: OpaquePointer
    private unowned let connection: SQLiteConnection

    /// SQLite's SQLITE_TRANSIENT, a macro that does not import: copy bound text at once.
    private static let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)

    init(sql: String, connection: SQLiteConnection) throws {
        var statement: OpaquePointer?
        let rc = sqlite3_prepare_v3(connection.handle, sql, -1, UInt32(SQLITE_PREPARE_PERSISTENT), &statement, nil)
        guard rc == SQLITE_OK, let statement else {
            throw connection.error(rc, doing: "cannot prepare `\(sql)`")
        }
        handle = statement
        self.connection = connection
    }

    deinit { sqlite3_finalize(handle) }

    func run(_ bindings: [SQLiteValue]) throws {
        try bind(bindings)
        defer { sqlite3_reset(handle) }
        var rc = sqlite3_step(handle)
        while rc == SQLITE_ROW { rc = sqlite3_step(handle) }
        guard rc == SQLITE_DONE else { throw connection.error(rc, doing: "statement failed") }
    }

    func rows(_ bindings: [SQLiteValue]) throws -> [[SQLiteValue]] {
        try bind(bindings)
        defer { sqlite3_reset(handle) }
        var result: [[SQLiteValue]] = []
        let columns = sqlite3_column_count(handle)
        while true {
            let rc = sqlite3_step(handle)
            if rc == SQLITE_DONE { return result }
            guard rc == SQLITE_ROW else { throw connection.error(rc, doing: "query failed") }
            result.append((0..<columns).map(column))
        }
    }

    private func column(_ index: Int32) -> SQLiteValue {
        switch sqlite3_column_type(handle, index) {
        case SQLITE_INTEGER: return .integer(sqlite3_column_int64(handle, index))
        case SQLITE_FLOAT: return .real(sqlite3_column_double(handle, index))
        case SQLITE_TEXT, SQLITE_BLOB:
            guard let text = sqlite3_column_text(handle, index) else { return .text("") }
            return .text(String(cString: text))
        default: return .null
        }
    }

    private func bind(_ bindings: [SQLiteValue]) throws {
        sqlite3_clear_bindings(handle)
        let expected = Int(sqlite3_bind_parameter_count(handle))
        precondition(bindings.count == expected, "SQLite: \(bindings.count) bindings for \(expected) parameters")
        for (offset, value) in bindings.enumerated() {
            let index = Int32(offset + 1)
            let rc: Int32
            switch value {
            case .null: rc = sqlite3_bind_null(handle, index)
            case .integer(let v): rc = sqlite3_bind_int64(handle, index, v)
            case .real(let v): rc = sqlite3_bind_double(handle, index, v)
            case .text(let v): rc = sqlite3_bind_text(handle, index, v, -1, Self.transient)
            }
            guard rc == SQLITE_OK else { throw connection.error(rc, doing: "cannot bind parameter \(index)") }
        }
    }
}
