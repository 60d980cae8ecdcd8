import Foundation

/// A named schema change. Migrations run in order, each once, recorded by name in
/// `schema_migrations`.
struct Migration: Sendable {
    let name: String
    let sql: String
}

/// Applies the run store's migrations.
///
/// Safe when several processes open a fresh database at the same moment: everything
/// happens inside one `BEGIN IMMEDIATE` transaction, so the second process waits for the
/// first to finish, then sees its migrations recorded and applies nothing.
enum Migrator {
    /// Whether `connection`'s database lacks a migration this build knows (read-only check).
    static func pending(_ connection: SQLiteConnection, with migrations: [Migration] = RunStoreSchema.migrations) throws
        -> Bool
    {
        let table = try connection.query("SELECT count(*) FROM sqlite_master WHERE name = 'schema_migrations'")
        guard table.first?.first?.int == 1 else { return true }
        let applied = Set(try connection.query("SELECT name FROM schema_migrations").compactMap { $0.first?.string })
        return !Set(migrations.map(\.name)).isSubset(of: applied)
    }

    static func migrate(_ connection: SQLiteConnection, with migrations: [Migration] = RunStoreSchema.migrations) throws
    {
        try connection.transaction {
            try connection.execute(
                """
                CREATE TABLE IF NOT EXISTS schema_migrations (
                    name TEXT PRIMARY KEY NOT NULL, applied_at REAL NOT NULL) WITHOUT ROWID
                """)
            let applied = Set(
                try connection.query("SELECT name FROM schema_migrations").compactMap { $0.first?.string })
            let known = Set(migrations.map(\.name))
            if let unknown = applied.subtracting(known).sorted().first {
                throw RunStoreError(
                    path: connection.path,
                    message:
                        "the database was written by a newer Joule (it has migration '\(unknown)'); upgrade Joule to use it"
                )
            }
            for migration in migrations where !applied.contains(migration.name) {
                try connection.executeScript(migration.sql)
                try connection.execute(
                    "INSERT INTO schema_migrations (name, applied_at) VALUES (?, ?)",
                    [.text(migration.name), .real(Date().timeIntervalSince1970)])
            }
        }
    }
}
