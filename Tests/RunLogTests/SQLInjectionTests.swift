import Foundation
import Testing

@testable import RunLog

/// Hostile text through every way a user's string reaches the run store — run names,
/// experiments, params, tags, metric keys, artifact paths, evaluation names, `--where`
/// literals and keys, `--order-by` keys, run ids — with SQLite's statement trace on: no
/// statement may contain any of it, and every value must come back as it went in.
@Suite struct SQLInjectionTests {
    static let hostile = [
        "x'); DROP TABLE runs; --",
        "\" OR 1=1 --",
        "'; DELETE FROM metrics WHERE '1'='1",
        "Robert'); UPDATE runs SET status='FAILED'; --",
        "'; ATTACH DATABASE '/tmp/joule-pwn.sqlite' AS pwn; --",
        "`; SELECT load_extension('evil'); --",
        "run%_* \\ \u{0} end",
    ]

    /// `text` as a filter literal and as a back-quoted name (quotes doubled, as in SQL).
    func literal(_ text: String) -> String { "'" + text.replacingOccurrences(of: "'", with: "''") + "'" }
    func name(_ text: String) -> String { "`" + text.replacingOccurrences(of: "`", with: "``") + "`" }

    @Test func hostileStringsAreBoundNeverSpliced() throws {
        let (store, folder) = try makeStore()
        defer { try? FileManager.default.removeItem(at: folder) }
        let hostile = Self.hostile
        let (_, statements) = try store.db.tracingStatements {
            for (i, text) in hostile.enumerated() {
                let id = "run-\(i)"
                try store.createRun(
                    NewRun(
                        id: id, name: text, experiment: text, objective: text, model: text, dataset: text,
                        params: [text: text, "index": "\(i)"], tags: [text: text]))
                try store.logMetrics([MetricRecord(key: text, step: 1, value: Double(i))], for: id)
                try store.noteArtifact(kind: text, path: "/tmp/\(text)", for: id)
                try store.recordMeasurement(
                    NewMeasurement(
                        kind: .evaluation, checkpoint: text, calibrator: text, inDataset: text,
                        settings: text),
                    values: [EvaluationRecord(dataset: text, score: text, metric: text, value: 1)], for: id)
            }
            for (i, text) in hostile.enumerated() {
                let only = ["run-\(i)"]
                #expect(
                    try store.runs(where: RunFilter.parse("attributes.name = \(literal(text))")).map(\.id) == only,
                    "\(text.debugDescription)")
                #expect(
                    try store.runs(where: RunFilter.parse("attributes.experiment = \(literal(text))")).map(\.id)
                        == only, "\(text.debugDescription)")
                #expect(
                    try store.runs(where: RunFilter.parse("tags.\(name(text)) = \(literal(text))")).map(\.id) == only,
                    "\(text.debugDescription)")
                #expect(
                    try store.runs(where: RunFilter.parse("params.\(name(text)) like \(literal(text))")).map(\.id)
                        == only, "\(text.debugDescription)")
                #expect(
                    try store.runs(where: RunFilter.parse("metrics.\(name(text)) = \(i)")).map(\.id) == only,
                    "\(text.debugDescription)")
                #expect(
                    try store.runs(orderedBy: RunOrdering.parse("params.\(name(text)) desc, metrics.\(name(text))"))
                        .count == hostile.count)
                #expect(throws: RunStoreError.self) { try store.run(text) }
                #expect(try store.params(of: "run-\(i)")[text] == text)
                #expect(try store.tags(of: "run-\(i)")[text] == text)
                #expect(try store.latestMetrics(of: "run-\(i)")[text]?.value == Double(i))
            }
        }
        #expect(statements.count > 10 * hostile.count)
        for statement in statements {
            for text in hostile { #expect(!statement.contains(text), "user text in SQL: \(statement)") }
            for marker in ["DROP", "ATTACH", "load_extension", "1=1", "status='FAILED'"] {
                #expect(!statement.contains(marker), "'\(marker)' in SQL: \(statement)")
            }
        }
        // Nothing was dropped, attached, deleted or changed.
        #expect(!FileManager.default.fileExists(atPath: "/tmp/joule-pwn.sqlite"))
        #expect(try store.integrityCheck() == "ok")
        let runs = try store.runs(orderedBy: RunOrdering.parse("params.index"))
        #expect(runs.map(\.name) == hostile && runs.map(\.experiment) == hostile.map(Optional.some))
        #expect(runs.allSatisfy { $0.status == .running })
        #expect(
            try (0..<hostile.count).map { try store.metricRowCount(of: "run-\($0)") }
                == Array(repeating: 1, count: hostile.count))
    }

    /// Injections written as raw SQL are not filters: the parser refuses them by position.
    @Test(arguments: [
        "attributes.name = 'a' OR 1=1",
        "attributes.name = 'a'; DROP TABLE runs",
        "attributes.name = 'a' -- comment",
        "attributes.name = 'x' UNION SELECT * FROM runs",
        "1 = 1",
        "attributes.name = name",
        "attributes.`name) OR (1` = 'x'",
        "params.lr = 1e-3) OR (1 = 1",
    ])
    func rawSQLIsNotAFilter(_ attempt: String) {
        #expect(throws: RunFilterError.self) { try RunFilter.parse(attempt) }
    }
}
