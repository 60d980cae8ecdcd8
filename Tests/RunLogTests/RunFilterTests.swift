import Foundation
import Testing

@testable import RunLog

@Suite struct RunFilterTests {
    @Test func parsesPrecedenceAndParentheses() throws {
        let filter = try RunFilter.parse(
            "metrics.acc > 0.9 or params.lr = 1e-3 and (tags.note != 'x' or attributes.seed >= 2)")
        let acc = RunFilter.comparison(RunField(namespace: .metrics, key: "acc"), .greater, .number(0.9))
        let lr = RunFilter.comparison(RunField(namespace: .params, key: "lr"), .equal, .number(0.001))
        let note = RunFilter.comparison(RunField(namespace: .tags, key: "note"), .notEqual, .string("x"))
        let seed = RunFilter.comparison(RunField(namespace: .attributes, key: "seed"), .greaterOrEqual, .number(2))
        #expect(filter == .or(acc, .and(lr, .or(note, seed))))
    }

    @Test func readsQuotesOperatorsAndBackQuotedNames() throws {
        #expect(
            try RunFilter.parse("tags.note = 'it''s'")
                == .comparison(RunField(namespace: .tags, key: "note"), .equal, .string("it's")))
        #expect(
            try RunFilter.parse("metrics.`val loss`<=-2")
                == .comparison(RunField(namespace: .metrics, key: "val loss"), .lessOrEqual, .number(-2)))
        #expect(
            try RunFilter.parse("tags.`a``b` = 1")
                == .comparison(RunField(namespace: .tags, key: "a`b"), .equal, .number(1)))
        #expect(
            try RunFilter.parse("attributes.name LIKE 'cnn%'")
                == .comparison(RunField(namespace: .attributes, key: "name"), .like, .string("cnn%")))
        #expect(
            try RunFilter.parse("metrics.val/accuracy <> 1")
                == .comparison(RunField(namespace: .metrics, key: "val/accuracy"), .notEqual, .number(1)))
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

    /// Found by scripts/fuzz.sh filter (fuzz/regressions/filter/long-or-chain.txt): a chain
    /// of ORs nested one parenthesis per term in the SQL, which overflowed SQLite's parser
    /// stack. Chains are flat now, and filters are bounded in depth and size.
    @Test func longChainsAndDeepNestingGiveValidSQLOrAClearRefusal() throws {
        let (store, folder) = try makeStore()
        defer { try? FileManager.default.removeItem(at: folder) }
        try store.createRun(NewRun(id: "a", name: "a", params: ["model": "mlp"]))
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        let found = try String(
            contentsOf: root.appendingPathComponent("fuzz/regressions/filter/long-or-chain.txt"), encoding: .utf8)
        #expect(try store.runs(where: RunFilter.parse(found)).isEmpty)  // it ends in params.model0, which run a lacks

        let terms = (0..<RunFilterParser.maximumComparisons).map { "params.p\($0) = 'x'" }
        let longest = terms.dropLast().joined(separator: " or ") + " or params.model = 'mlp'"
        #expect(try store.runs(where: RunFilter.parse(longest)).map(\.id) == ["a"])
        let mixed = terms.enumerated().map {
            $0.offset % 3 == 0 ? "(\($0.element) and params.model = 'mlp')" : $0.element
        }
        .prefix(RunFilterParser.maximumComparisons / 2).joined(separator: " or ")
        #expect(try store.runs(where: RunFilter.parse(mixed)).isEmpty)
        #expect { try RunFilter.parse(longest + " or params.q = 1") } throws: {
            "\($0)".contains("more than 200 comparisons")
        }

        let depth = RunFilterParser.maximumDepth
        // Alternating operators, so no level flattens into the one beside it in the SQL.
        var deepest = "params.model = 'mlp'"
        for level in 0..<depth {
            deepest = "(" + deepest + (level % 2 == 0 ? " or params.q = 'x')" : " and params.model != 'b')")
        }
        #expect(try store.runs(where: RunFilter.parse(deepest)).map(\.id) == ["a"])
        let deeper = "(" + deepest + ")"
        #expect { try RunFilter.parse(deeper) } throws: { "\($0)".contains("nest more than 20 deep") }
        // Far deeper than the limit: refused at the limit, without recursing all the way down.
        #expect(throws: RunFilterError.self) { try RunFilter.parse(String(repeating: "(", count: 100_000)) }
    }

    /// Found by scripts/fuzz.sh filter (fuzz/regressions/filter/combining-mark-in-time.txt):
    /// a time literal with a combining mark trapped inside DateFormatter.
    @Test func nonASCIITimesAreRefusedNotTrapped() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        let found = try String(
            contentsOf: root.appendingPathComponent("fuzz/regressions/filter/combining-mark-in-time.txt"),
            encoding: .utf8)
        #expect(found.contains("'202\u{59A}'"))
        #expect(RunTime.parse("202\u{59A}") == nil && RunTime.parse("2026-11-29\u{301}") == nil)
        #expect(RunTime.parse("2026-11-29") != nil)
        #expect { try RunFilter.parse(found) } throws: { "\($0)".contains("is a number") }
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
        let specs: [(String, Double, String, String)] = [
            ("a", 0.80, "0.1", "old"), ("b", 0.90, "0.01", "new"),
            ("c", 0.95, "0.001", "new"), ("d", 0.85, "1e-3", "o'hara"),
        ]
        for (i, spec) in specs.enumerated() {
            try store.createRun(
                NewRun(
                    id: spec.0, seed: i, model: i % 2 == 0 ? "mlp" : "cnn-s", params: ["lr": spec.2],
                    tags: ["note": spec.3]),
                startTime: Date(timeIntervalSince1970: 1_800_000_000 + Double(i) * 3600))
            try store.logMetrics(
                [MetricRecord(key: "acc", step: 1, value: 0.1), MetricRecord(key: "acc", step: 2, value: spec.1)],
                for: spec.0)
        }
        return (store, folder)
    }

    func ids(_ store: RunStore, _ filter: String, order: String? = nil) throws -> [String] {
        try store.runs(where: RunFilter.parse(filter), orderedBy: order.map(RunOrdering.parse) ?? .newestFirst).map(
            \.id)
    }

    @Test func filtersOnLatestMetricsParamsTagsAndAttributes() throws {
        let (store, folder) = try populated()
        defer { try? FileManager.default.removeItem(at: folder) }
        #expect(try ids(store, "metrics.acc >= 0.9", order: "metrics.acc") == ["c", "b"])
        // Params compare as numbers when the literal is a number: 1e-3 equals 0.001.
        #expect(try ids(store, "params.lr = 0.001", order: "attributes.id") == ["c", "d"])
        #expect(try ids(store, "params.lr = '1e-3'") == ["d"])
        #expect(try ids(store, "tags.note = 'new' and attributes.model = 'mlp'") == ["c"])
        #expect(
            try ids(
                store, "tags.note = 'o''hara' or (metrics.acc < 0.82 and attributes.seed = 0)", order: "attributes.id")
                == ["a", "d"])
        #expect(try ids(store, "attributes.start_time > '2027-01-15T09:00:00Z'", order: "attributes.id") == ["c", "d"])
        #expect(try ids(store, "attributes.id like 'a%' or metrics.missing > 0") == ["a"])
        #expect(try ids(store, "metrics.acc > 0.5", order: "params.lr asc").first == "c")
        #expect(try store.runs(orderedBy: RunOrdering.parse("metrics.acc desc"), limit: 2).map(\.id) == ["c", "b"])
    }
}
