import Foundation
import Testing

@testable import Checkpoints

@Suite("Header JSON parser")
struct JSONParserTests {
    func parse(_ text: String) throws -> JSONValue { try JSONParser.parse(Array(text.utf8)) }

    @Test func keepsMemberOrderAndNumberText() throws {
        let value = try parse(
            #" {"z": [1, -0, 2.0, 1e2, 99999999999999999999], "a": {"t": true, "f": false, "n": null}} "#)
        guard case .object(let members) = value, case .array(let numbers) = members[0].value else {
            Issue.record("not an object of an array: \(value)")
            return
        }
        #expect(members.map(\.key) == ["z", "a"])
        #expect(
            numbers == [.number("1"), .number("-0"), .number("2.0"), .number("1e2"), .number("99999999999999999999")])
        #expect(numbers.map(\.integer) == [1, 0, nil, nil, nil])
        #expect(members[1].value == .object([("t", .bool(true)), ("f", .bool(false)), ("n", .null)]))
    }

    @Test func decodesEscapes() throws {
        let value = try parse(#""q\" b\\ s\/ \b\f\n\r\t \u00e9 \ud83d\ude00""#)
        #expect(value == .string("q\" b\\ s/ \u{8}\u{c}\n\r\t é 😀"))
    }

    @Test func quotedStringsParseBack() throws {
        for s in ["", "plain", "q\"b\\", "\u{0}\u{1}\u{1f} ctl", "é 😀 ✓", "\n\r\t"] {
            #expect(try parse(JSONValue.quoted(s)) == .string(s))
        }
    }

    @Test func serializedValuesParseBack() throws {
        let value = JSONValue.object([("b", .array([.number("1"), .string("x"), .null])), ("a", .bool(true))])
        #expect(try parse(value.serialized) == value)
    }

    @Test func duplicateKeysAreReportedWithTheirLevel() {
        #expect(throws: JSONParser.Failure.duplicateKey("a", topLevel: true, offset: 7)) {
            try parse(#"{"a":1,"a":2}"#)
        }
        #expect(throws: JSONParser.Failure.duplicateKey("k", topLevel: false, offset: 12)) {
            try parse(#"{"x":{"k":1,"k":1}}"#)
        }
    }

    @Test(arguments: [
        "", " ", "{", "}", "[1,]", "{\"a\"}", "{\"a\":}", "{a:1}", "'a'", "01", "1.", ".5", "-", "1e", "+1",
        "tru", "nul", "\"\\x\"", "\"\\u12\"", "\"\\udc00\"", "\"\\ud800\\u0041\"", "\"abc", "[1 2]", "{} {}", "NaN",
        "Infinity",
    ])
    func refusesInvalidJSON(_ text: String) {
        #expect(throws: JSONParser.Failure.self) { try parse(text) }
    }

    @Test func boundsNesting() throws {
        #expect(throws: JSONParser.Failure.self) { try parse(String(repeating: "[", count: 1_000_000)) }
        let deepest =
            String(repeating: "[", count: JSONParser.maxDepth) + String(repeating: "]", count: JSONParser.maxDepth)
        #expect(throws: Never.self) { try parse(deepest) }
        let tooDeep = "[" + deepest + "]"
        #expect(throws: JSONParser.Failure.self) { try parse(tooDeep) }
    }

    @Test func elementCountsAreOverflowChecked() {
        #expect(HeaderValidation.checkedElementCount([]) == 1)
        #expect(HeaderValidation.checkedElementCount([2, 3, 4]) == 24)
        #expect(HeaderValidation.checkedElementCount([5, 0]) == 0)
        #expect(HeaderValidation.checkedElementCount([1 << 32, 1 << 31]) == nil)
        #expect(HeaderValidation.checkedElementCount([1 << 32, 0, 1 << 32]) == nil)
        #expect(HeaderValidation.checkedElementCount([Int.max]) == Int.max)
    }
}
