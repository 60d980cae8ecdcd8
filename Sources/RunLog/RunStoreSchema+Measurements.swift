extension RunStoreSchema {
    /// Every `joule evaluate` and `joule calibrate` becomes a record of its own (a
    /// measurement: time, checkpoint and its step, calibrator, in-distribution set and size,
    /// settings) that owns its values and per-sample scores, so no measurement replaces
    /// another; and each run remembers its folder, so commands find its files from the store.
    ///
    /// Rows written before this migration are kept: per run, the evaluation rows and
    /// per-sample scores become one evaluation measurement and the calibrators' before/after
    /// rows one calibration measurement (naming every calibrator they came from: earlier
    /// code overwrote the file), each flagged `migrated`, dated by its oldest row and
    /// numbered in that order; checkpoint and sizes come from the rows' settings JSON where
    /// it names them. A run's folder is read off its `last.safetensors` artifact
    /// (`…/RUN_ID/last.safetensors`).
    static let measurementRecords = Migration(
        name: "0002_measurement_records",
        sql: """
            ALTER TABLE runs ADD COLUMN folder TEXT;
            UPDATE runs SET folder = (
                SELECT substr(a.path, 1, length(a.path) - length('/last.safetensors'))
                FROM artifacts a
                WHERE a.run_id = runs.id AND a.kind = 'checkpoint'
                  AND substr(a.path, -length('/' || runs.id || '/last.safetensors')) = '/' || runs.id || '/last.safetensors'
                ORDER BY a.id LIMIT 1);

            CREATE TABLE measurements (
                id INTEGER PRIMARY KEY,
                run_id TEXT NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
                kind TEXT NOT NULL CHECK (kind IN ('evaluation', 'calibration')),
                created_at REAL NOT NULL,
                checkpoint TEXT,
                checkpoint_step INTEGER,
                calibrator TEXT,
                in_dataset TEXT,
                in_count INTEGER,
                settings TEXT,
                migrated INTEGER NOT NULL DEFAULT 0);
            CREATE INDEX measurements_by_run ON measurements (run_id, id);

            CREATE TEMP TABLE old_rows AS
                SELECT run_id, dataset, score, metric, value, settings, created_at,
                       CASE WHEN score = 'uncalibrated' OR score LIKE 'calibrated:%' THEN 'calibration' ELSE 'evaluation' END AS kind,
                       CASE WHEN json_valid(settings) THEN json_extract(settings, '$.checkpoint') END AS checkpoint,
                       CASE WHEN json_valid(settings) THEN CAST(json_extract(settings, '$.in_count') AS INTEGER) END AS in_count,
                       CASE WHEN json_valid(settings) THEN json_extract(settings, '$.calibrator') END AS calibrator,
                       CASE WHEN json_valid(settings) THEN json_extract(settings, '$.group') END AS grp
                FROM evaluations;
            -- One measurement per run and kind (and one for a run with per-sample scores alone),
            -- numbered in the order they were first written, so ids still grow with time.
            CREATE TEMP TABLE old_measurements AS
                SELECT run_id, kind, min(created_at) AS created_at, max(checkpoint) AS checkpoint,
                       group_concat(DISTINCT CASE WHEN calibrator IS NOT NULL AND calibrator != 'none' THEN calibrator END) AS calibrator,
                       coalesce(max(CASE WHEN grp = 'in-distribution' OR score = 'samples' THEN dataset END), max(dataset)) AS in_dataset,
                       max(in_count) AS in_count
                FROM old_rows GROUP BY run_id, kind
                UNION ALL
                SELECT DISTINCT s.run_id, 'evaluation', r.start_time, NULL, NULL, NULL, NULL
                FROM sample_scores s JOIN runs r ON r.id = s.run_id
                WHERE s.run_id NOT IN (SELECT run_id FROM old_rows WHERE kind = 'evaluation');
            INSERT INTO measurements (run_id, kind, created_at, checkpoint, calibrator, in_dataset, in_count, settings, migrated)
                SELECT run_id, kind, created_at, checkpoint, calibrator, in_dataset, in_count,
                       '{"migrated": "written before measurements were kept apart"}', 1
                FROM old_measurements ORDER BY created_at, run_id, kind;
            DROP TABLE old_measurements;

            CREATE TABLE measurement_values (
                measurement_id INTEGER NOT NULL REFERENCES measurements(id) ON DELETE CASCADE,
                dataset TEXT NOT NULL,
                score TEXT NOT NULL,
                metric TEXT NOT NULL,
                value REAL,
                settings TEXT,
                PRIMARY KEY (measurement_id, dataset, score, metric)) WITHOUT ROWID;
            INSERT INTO measurement_values (measurement_id, dataset, score, metric, value, settings)
                SELECT m.id, o.dataset, o.score, o.metric, o.value, o.settings
                FROM old_rows o JOIN measurements m ON m.run_id = o.run_id AND m.kind = o.kind;
            DROP TABLE old_rows;
            DROP TABLE evaluations;

            CREATE TABLE measurement_samples (
                measurement_id INTEGER NOT NULL REFERENCES measurements(id) ON DELETE CASCADE,
                dataset TEXT NOT NULL,
                sample_index INTEGER NOT NULL,
                label INTEGER,
                prediction INTEGER,
                confidence REAL,
                score TEXT NOT NULL,
                value REAL,
                PRIMARY KEY (measurement_id, dataset, sample_index, score)) WITHOUT ROWID;
            INSERT INTO measurement_samples (measurement_id, dataset, sample_index, label, prediction, confidence, score, value)
                SELECT m.id, s.dataset, s.sample_index, s.label, s.prediction, s.confidence, s.score, s.value
                FROM sample_scores s JOIN measurements m ON m.run_id = s.run_id AND m.kind = 'evaluation';
            DROP TABLE sample_scores;
            """)
}
