import Foundation
import Testing
@testable import RunLog

@Suite struct RunFilterTests {
    @Test func parsesPrecedenceAndParentheses() throws {
        let filter = try RunFilter.parse("metrics.acc > 0.9 or params.lr = 1e-3 and (tags.note != 'x' or attributes.seed >= 2)")
        let acc = RunFilter.comparison(RunField(namespace: .metrics, key: "acc"), .greater, .number(0.9))
        let lr = RunFilter.comparison(RunField(namespace: .params, key: "lr"), .equal, .number(0.001))
        let note = RunFilter.comparison(RunField(namespace: .tags, key: "note"), .notEqual, .string("x"))
        let seed = RunFilter.comparison(RunField(namespace: .attributes, key: "seed"), .greaterOrEqual, .number(2))
        #expect(filter == .or(acc, .and(lr, .or(note, seed))))
    }

    @Test func readsQuotesOperatorsAndBackQuotedNames() throws {
        #expect(try RunFilter.parse("tags.note = 'it''s'") == .comparison(RunField(namespace: .tags, key: "note"), .equal, .string("it's")))
        #expect(try RunFilter.parse("metrics.`val loss`<=-2") == .comparison(RunField(namespace: .metrics, key: "val loss"), .lessOrEqual, .number(-2)))
        #expect(try RunFilter.parse("attributes.name LIKE 'cnn%'") == .comparison(RunField(namespace: .attributes, key: "name"), .like, .string("cnn%")))
        #expect(try RunFilter.parse("metrics.val/accuracy <> 1") == .comparison(RunField(namespace: .metrics, key: "val/accuracy"), .notEqual, .number(1)))
    }

    @Test(arguments: [
        ("metrics.acc 0.9", 12, "expected a comparison"),
        ("metrics.acc > ", 14, "expected a number or a quoted string"),
        ("(metrics.acc > 1", 16, "expected ')'"),
        ("metrics.acc > 1 and", 19, "expected a field"),
        ("acc > 1", 0, "is not a field"),
        ("attributes.colour = 'red'", 11, "unknown attribute"),
        ("metrics.acc > 'high'", 14, "is a number"),
        ("tags.note = 'open", 12, "unterminated string"),
        ("metrics.acc > 1 metrics.b < 2", 16, "expected 'and', 'or'"),
        ("metrics.acc ! 1", 12, "'!' must be followed"),
        ("", 0, "empty"),
        ("attributes.model = 3", 19, "quote the value"),
    ])
    func badExpressionsPointAtTheProblem(text: String, position: Int, message: String) throws {
        let error = try #require(throws: RunFilterError.self) { try RunFilter.parse(text) }
        #expect(error.position == position, "\(error)")
        #expect(error.message.contains(message), "\(error)")
        #expect(error.description.hasSuffix(String(repeating: " ", count: position) + "^"))
    }

    @Test func literalsAreBoundNeverSpliced() throws {
        let hostile = "x'; DROP TABLE runs; --"
        let filter = try RunFilter.parse("tags.note = \"\(hostile)\" or params.`a'b` = 1")
        let sql = filter.sql()
        #expect(!sql.text.contains("DROP") && !sql.text.contains("a'b"))
        #expect(sql.bindings.contains(.text(hostile)) && sql.bindings.contains(.text("a'b")))
    }

    @Test func parsesOrderings() throws {
        let ordering = try RunOrdering.parse("metrics.acc, params.lr asc, attributes.start_time desc")
        #expect(ordering.terms.map(\.descending) == [true, false, true])
        #expect(ordering.terms.map(\.field.key) == ["acc", "lr", "start_time"])
        #expect(throws: RunFilterError.self) { try RunOrdering.parse("metrics.acc sideways") }
    }
}

@Suite struct RunQueryTests {
    /// Four runs with accuracies 0.80...0.95, learning rates and tags.
    func populated() throws -> (RunStore, URL) {
        let (store, folder) = try makeStore()
        let specs: [(String, Double, String, String)] = [("a", 0.80, "0.1", "old"), ("b", 0.90, "0.01", "new"),
                                                         ("c", 0.95, "0.001", "new"), ("d", 0.85, "1e-3", "o'hara")]
        for (i, spec) in specs.enumerated() {
            try store.createRun(NewRun(id: spec.0, seed: i, model: i % 2 == 0 ? "mlp" : "cnn-s", params: ["lr": spec.2], tags: ["note": spec.3]),
                                startTime: Date(timeIntervalSince1970: 1_800_000_000 + Double(i) * 3600))
            try store.logMetrics([MetricRecord(key: "acc", step: 1, value: 0.1), MetricRecord(key: "acc", step: 2, value: spec.1)], for: spec.0)
        }
        return (store, folder)
    }

    func ids(_ store: RunStore, _ filter: String, order: String? = nil) throws -> [String] {
        try store.runs(where: RunFilter.parse(filter), orderedBy: order.map(RunOrdering.parse) ?? .newestFirst).map(\.id)
    }

    @Test func filtersOnLatestMetricsParamsTagsAndAttributes() throws {
        let (store, folder) = try populated()
        defer { try? FileManager.default.removeItem(at: folder) }
        #expect(try ids(store, "metrics.acc >= 0.9", order: "metrics.acc") == ["c", "b"])
        // Params compare as numbers when the literal is a number: 1e-3 equals 0.001.
        #expect(try ids(store, "params.lr = 0.001", order: "attributes.id") == ["c", "d"])
        #expect(try ids(store, "params.lr = '1e-3'") == ["d"])
        #expect(try ids(store, "tags.note = 'new' and attributes.model = 'mlp'") == ["c"])
        #expect(try ids(store, "tags.note = 'o''hara' or (metrics.acc < 0.82 and attributes.seed = 0)", order: "attributes.id") == ["a", "d"])
        #expect(try ids(store, "attributes.start_time > '2027-01-15T09:00:00Z'", order: "attributes.id") == ["c", "d"])
        #expect(try ids(store, "attributes.id like 'a%' or metrics.missing > 0") == ["a"])
        #expect(try ids(store, "metrics.acc > 0.5", order: "params.lr asc").first == "c")
        #expect(try store.runs(orderedBy: RunOrdering.parse("metrics.acc desc"), limit: 2).map(\.id) == ["c", "b"])
    }
}
