import CSQLite

extension SQLiteConnection {
    /// Runs `body` and returns, with its result, the SQL text of every statement SQLite ran
    /// meanwhile — as prepared, with `?` where values are bound. Tests use it to show that
    /// no user string ever becomes part of the SQL.
    func tracingStatements<T>(_ body: () throws -> T) rethrows -> (result: T, statements: [String]) {
        let box = StatementLog()
        let context = Unmanaged.passRetained(box).toOpaque()
        sqlite3_trace_v2(
            handle, UInt32(SQLITE_TRACE_STMT),
            { _, context, _, text in
                guard let context, let text else { return 0 }
                let log = Unmanaged<StatementLog>.fromOpaque(context).takeUnretainedValue()
                log.statements.append(String(cString: text.assumingMemoryBound(to: CChar.self)))
                return 0
            }, context)
        defer {
            sqlite3_trace_v2(handle, 0, nil, nil)
            Unmanaged<StatementLog>.fromOpaque(context).release()
        }
        let result = try body()
        return (result, box.statements)
    }
}

/// The statements one `tracingStatements` call saw.
private final class StatementLog {
    var statements: [String] = []
}
