/// The run store's tables, as ordered migrations. Never edit a released migration: add a
/// new one. Times are seconds since 1970 (UTC); metric values are REAL, with NaN stored as
/// NULL (SQLite cannot hold NaN) and `finite` = 0 flagging NaN and ±Inf.
enum RunStoreSchema {
    static let migrations: [Migration] = [
        Migration(
            name: "0001_initial",
            sql: """
                CREATE TABLE experiments (
                    id INTEGER PRIMARY KEY,
                    name TEXT NOT NULL UNIQUE,
                    created_at REAL NOT NULL);

                CREATE TABLE runs (
                    id TEXT PRIMARY KEY NOT NULL,
                    name TEXT NOT NULL,
                    experiment_id INTEGER REFERENCES experiments(id),
                    status TEXT NOT NULL CHECK (status IN ('RUNNING', 'FINISHED', 'FAILED', 'KILLED')),
                    status_reason TEXT,
                    start_time REAL NOT NULL,
                    end_time REAL,
                    seed INTEGER,
                    objective TEXT,
                    model TEXT,
                    dataset TEXT,
                    config TEXT,
                    code_version TEXT,
                    host TEXT,
                    pid INTEGER,
                    heartbeat_time REAL);
                CREATE INDEX runs_by_start ON runs (start_time);

                CREATE TABLE params (
                    run_id TEXT NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
                    key TEXT NOT NULL,
                    value TEXT NOT NULL,
                    number REAL,
                    PRIMARY KEY (run_id, key)) WITHOUT ROWID;
                CREATE INDEX params_by_key ON params (key, number);

                CREATE TABLE metrics (
                    run_id TEXT NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
                    key TEXT NOT NULL,
                    step INTEGER NOT NULL,
                    timestamp REAL NOT NULL,
                    value REAL,
                    finite INTEGER NOT NULL,
                    PRIMARY KEY (run_id, key, step)) WITHOUT ROWID;

                CREATE TABLE latest_metrics (
                    run_id TEXT NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
                    key TEXT NOT NULL,
                    step INTEGER NOT NULL,
                    timestamp REAL NOT NULL,
                    value REAL,
                    finite INTEGER NOT NULL,
                    PRIMARY KEY (run_id, key)) WITHOUT ROWID;
                CREATE INDEX latest_metrics_by_key ON latest_metrics (key, value);

                CREATE TABLE tags (
                    run_id TEXT NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
                    key TEXT NOT NULL,
                    value TEXT NOT NULL,
                    PRIMARY KEY (run_id, key)) WITHOUT ROWID;

                CREATE TABLE artifacts (
                    id INTEGER PRIMARY KEY,
                    run_id TEXT NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
                    kind TEXT NOT NULL,
                    path TEXT NOT NULL,
                    sha256 TEXT,
                    bytes INTEGER,
                    created_at REAL NOT NULL,
                    UNIQUE (run_id, path));

                CREATE TABLE evaluations (
                    id INTEGER PRIMARY KEY,
                    run_id TEXT NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
                    dataset TEXT NOT NULL,
                    score TEXT NOT NULL,
                    metric TEXT NOT NULL,
                    value REAL,
                    settings TEXT,
                    created_at REAL NOT NULL,
                    UNIQUE (run_id, dataset, score, metric));

                CREATE TABLE sample_scores (
                    run_id TEXT NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
                    dataset TEXT NOT NULL,
                    sample_index INTEGER NOT NULL,
                    label INTEGER,
                    prediction INTEGER,
                    confidence REAL,
                    score TEXT NOT NULL,
                    value REAL,
                    PRIMARY KEY (run_id, dataset, sample_index, score)) WITHOUT ROWID;
                """),
        measurementRecords,
    ]
}
