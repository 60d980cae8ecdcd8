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
            // By length, not up to the first NUL: text may hold NUL characters.
            guard let text = sqlite3_column_text(handle, index) else { return .text("") }
            let count = Int(sqlite3_column_bytes(handle, index))
            return .text(String(decoding: UnsafeBufferPointer(start: text, count: count), as: UTF8.self))
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
            case .text(let v):
                // With its byte length: a length of -1 would cut the text at its first NUL
                // (a name or tag holding one was stored truncated).
                rc = sqlite3_bind_text64(
                    handle, index, v, sqlite3_uint64(v.utf8.count), Self.transient, UInt8(SQLITE_UTF8))
            }
            guard rc == SQLITE_OK else { throw connection.error(rc, doing: "cannot bind parameter \(index)") }
        }
    }
}
