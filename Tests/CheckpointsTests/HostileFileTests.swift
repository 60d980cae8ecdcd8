import Foundation
import Tensors
import Testing

@testable import Checkpoints

/// A malformed file and the error it must give.
struct HostileCase: Sendable, CustomTestStringConvertible {
    var label: String
    var bytes: [UInt8]
    var limits: SafeTensorsLimits = .default
    var expected: CheckpointError.Problem
    var testDescription: String { label }
}

/// One header entry's JSON.
private func entry(_ name: String, _ dtype: String = "F32", shape: String, offsets: String) -> String {
    #""\#(name)":{"dtype":"\#(dtype)","shape":\#(shape),"data_offsets":\#(offsets)}"#
}

/// A file whose header holds `entries` and whose data section has `dataBytes` zero bytes.
private func file(_ entries: String..., dataBytes: Int = 0) -> [UInt8] {
    safetensorsBytes(header: "{" + entries.joined(separator: ",") + "}", data: [UInt8](repeating: 0, count: dataBytes))
}

private let hostileCases: [HostileCase] =
    [
        // Sizes, checked before anything is allocated.
        HostileCase(label: "empty file", bytes: [], expected: .fileTooShort(size: 0)),
        HostileCase(label: "5 bytes", bytes: [1, 0, 0, 0, 0], expected: .fileTooShort(size: 5)),
        HostileCase(
            label: "N = 2^63", bytes: littleEndianBytes(UInt64(1) << 63) + Array("{}".utf8),
            expected: .headerTooLarge(length: 1 << 63, limit: 100_000_000)),
        HostileCase(
            label: "N = UInt64.max", bytes: littleEndianBytes(UInt64.max),
            expected: .headerTooLarge(length: .max, limit: 100_000_000)),
        HostileCase(
            label: "N just past the limit", bytes: littleEndianBytes(UInt64(100_000_001)),
            expected: .headerTooLarge(length: 100_000_001, limit: 100_000_000)),
        HostileCase(
            label: "N over a custom limit", bytes: safetensorsBytes(header: "{}" + String(repeating: " ", count: 22)),
            limits: SafeTensorsLimits(maxHeaderBytes: 16), expected: .headerTooLarge(length: 24, limit: 16)),
        HostileCase(
            label: "N beyond the file", bytes: littleEndianBytes(UInt64(50_000_000)) + Array("{}".utf8),
            expected: .headerBeyondFile(length: 50_000_000, available: 2)),
        HostileCase(
            label: "N one past the file", bytes: littleEndianBytes(UInt64(3)) + Array("{}".utf8),
            expected: .headerBeyondFile(length: 3, available: 2)),

        // The header's text.
        HostileCase(
            label: "invalid UTF-8", bytes: littleEndianBytes(UInt64(4)) + [0x7b, 0xff, 0xfe, 0x7d],
            expected: .headerNotUTF8),
        HostileCase(
            label: "empty header", bytes: littleEndianBytes(UInt64(0)),
            expected: .invalidJSON(reason: "unexpected end of header", offset: 0)),
        HostileCase(
            label: "truncated JSON", bytes: safetensorsBytes(header: #"{"a":"#),
            expected: .invalidJSON(reason: "unexpected end of header", offset: 5)),
        HostileCase(
            label: "trailing comma", bytes: safetensorsBytes(header: #"{"a":1,}"#),
            expected: .invalidJSON(reason: "expected a string key", offset: 7)),
        HostileCase(
            label: "text after the object", bytes: safetensorsBytes(header: "{} x"),
            expected: .invalidJSON(reason: "unexpected text after the value", offset: 3)),
        HostileCase(
            label: "NUL padding", bytes: safetensorsBytes(header: "{}\0\0"),
            expected: .invalidJSON(reason: "unexpected text after the value", offset: 2)),
        HostileCase(
            label: "lone surrogate", bytes: safetensorsBytes(header: #"{"\ud800":1}"#),
            expected: .invalidJSON(reason: "unpaired surrogate", offset: 8)),
        HostileCase(
            label: "raw control character", bytes: safetensorsBytes(header: "{\"a\u{1}\":1}"),
            expected: .invalidJSON(reason: "control character in string", offset: 3)),
        HostileCase(
            label: "nested 100,000 deep",
            bytes: safetensorsBytes(header: #"{"__metadata__":"# + String(repeating: "[", count: 100_000)),
            expected: .invalidJSON(reason: "nested deeper than 64 levels", offset: 79)),
        HostileCase(
            label: "top level is an array", bytes: safetensorsBytes(header: "[1,2]"), expected: .headerNotAnObject),
        HostileCase(
            label: "top level is a string", bytes: safetensorsBytes(header: #""x""#), expected: .headerNotAnObject),
        HostileCase(
            label: "duplicate tensor",
            bytes: file(
                entry("a", shape: "[1]", offsets: "[0,4]"),
                entry("a", shape: "[1]", offsets: "[4,8]"), dataBytes: 8),
            expected: .duplicateTensorName("a")),
        HostileCase(
            label: "duplicate field",
            bytes: safetensorsBytes(
                header: #"{"a":{"dtype":"F32","dtype":"U8","shape":[1],"data_offsets":[0,4]}}"#,
                data: [0, 0, 0, 0]),
            expected: .invalidJSON(reason: "duplicate key 'dtype'", offset: 20)),

        // Metadata.
        HostileCase(
            label: "metadata not an object", bytes: safetensorsBytes(header: #"{"__metadata__":3}"#),
            expected: .invalidMetadata(reason: "is an integer, not an object")),
        HostileCase(
            label: "metadata value not a string", bytes: safetensorsBytes(header: #"{"__metadata__":{"k":[]}}"#),
            expected: .invalidMetadata(reason: "value of 'k' is an array, not a string")),

        // Entries' fields.
        HostileCase(
            label: "entry not an object", bytes: safetensorsBytes(header: #"{"a":3}"#),
            expected: .invalidEntry(name: "a", reason: "is an integer, not an object")),
        HostileCase(
            label: "missing dtype", bytes: safetensorsBytes(header: #"{"a":{"shape":[],"data_offsets":[0,4]}}"#),
            expected: .invalidEntry(name: "a", reason: "missing 'dtype'")),
        HostileCase(
            label: "missing shape", bytes: safetensorsBytes(header: #"{"a":{"dtype":"F32","data_offsets":[0,4]}}"#),
            expected: .invalidEntry(name: "a", reason: "missing 'shape'")),
        HostileCase(
            label: "missing data_offsets", bytes: safetensorsBytes(header: #"{"a":{"dtype":"F32","shape":[]}}"#),
            expected: .invalidEntry(name: "a", reason: "missing 'data_offsets'")),
        HostileCase(
            label: "extra field",
            bytes: safetensorsBytes(header: #"{"a":{"dtype":"F32","shape":[],"data_offsets":[0,4],"x":1}}"#),
            expected: .invalidEntry(name: "a", reason: "unexpected field 'x'")),
        HostileCase(
            label: "dtype not a string",
            bytes: file(entry("a", "5", shape: "[]", offsets: "[0,4]").replacingOccurrences(of: #""5""#, with: "5")),
            expected: .invalidEntry(name: "a", reason: "dtype is an integer, not a string")),
        HostileCase(
            label: "unknown dtype", bytes: file(entry("a", "F128", shape: "[1]", offsets: "[0,16]"), dataBytes: 16),
            expected: .unsupportedDType(name: "a", dtype: "F128")),
        HostileCase(
            label: "FP8 dtype", bytes: file(entry("a", "F8_E4M3", shape: "[1]", offsets: "[0,1]"), dataBytes: 1),
            expected: .unsupportedDType(name: "a", dtype: "F8_E4M3")),
        HostileCase(
            label: "lowercase dtype", bytes: file(entry("a", "f32", shape: "[1]", offsets: "[0,4]"), dataBytes: 4),
            expected: .unsupportedDType(name: "a", dtype: "f32")),
    ] + shapeCases + offsetCases + layoutCases

private let badShape = "shape must be an array of non-negative integers"
private let shapeCases: [HostileCase] = [
    ("negative extent", "[-1]"), ("non-integer extent", "[2.0]"), ("exponent extent", "[1e2]"),
    ("string extent", #"["2"]"#), ("boolean extent", "[true]"), ("shape not an array", "2"),
    ("nested shape", "[[2]]"), ("extent past Int", "[99999999999999999999]"), ("null shape", "null"),
].map { label, shape in
    HostileCase(
        label: label, bytes: file(entry("a", shape: shape, offsets: "[0,8]"), dataBytes: 8),
        expected: .invalidEntry(name: "a", reason: badShape))
}

private let badOffsets = "data_offsets must be two non-negative integers"
private let offsetCases: [HostileCase] = [
    ("one offset", "[0]"), ("three offsets", "[0,4,8]"), ("string offset", #"["0",4]"#),
    ("negative offset", "[-4,0]"), ("fractional offset", "[0,4.0]"), ("offset past Int", "[0,99999999999999999999]"),
    ("offsets not an array", "4"),
].map { label, offsets in
    HostileCase(
        label: label, bytes: file(entry("a", shape: "[1]", offsets: offsets), dataBytes: 4),
        expected: .invalidEntry(name: "a", reason: badOffsets))
}

private let layoutCases: [HostileCase] = [
    HostileCase(
        label: "offsets reversed", bytes: file(entry("a", shape: "[1]", offsets: "[8,4]"), dataBytes: 8),
        expected: .invalidOffsets(name: "a", begin: 8, end: 4)),
    HostileCase(
        label: "size mismatch", bytes: file(entry("a", shape: "[2]", offsets: "[0,4]"), dataBytes: 4),
        expected: .sizeMismatch(name: "a", expectedBytes: 8, actualBytes: 4)),
    HostileCase(
        label: "dtype size mismatch", bytes: file(entry("a", "F16", shape: "[2]", offsets: "[0,8]"), dataBytes: 8),
        expected: .sizeMismatch(name: "a", expectedBytes: 4, actualBytes: 8)),
    HostileCase(
        label: "shape product overflows",
        bytes: file(entry("a", shape: "[4294967296,4294967296]", offsets: "[0,4]"), dataBytes: 4),
        expected: .elementCountOverflow(name: "a", shape: [1 << 32, 1 << 32])),
    HostileCase(
        label: "byte count overflows",
        bytes: file(entry("a", "F64", shape: "[2305843009213693952]", offsets: "[0,8]"), dataBytes: 8),
        expected: .elementCountOverflow(name: "a", shape: [1 << 61])),
    HostileCase(
        label: "zero extent hiding an overflow",
        bytes: file(entry("a", shape: "[1099511627776,0,1099511627776]", offsets: "[0,0]")),
        expected: .elementCountOverflow(name: "a", shape: [1 << 40, 0, 1 << 40])),
    HostileCase(
        label: "range past the data", bytes: file(entry("a", shape: "[2]", offsets: "[0,8]"), dataBytes: 4),
        expected: .offsetsOutOfRange(name: "a", end: 8, dataSize: 4)),
    HostileCase(
        label: "huge range past the data",
        bytes: file(entry("a", "U8", shape: "[4611686018427387904]", offsets: "[0,4611686018427387904]"), dataBytes: 4),
        expected: .offsetsOutOfRange(name: "a", end: 1 << 62, dataSize: 4)),
    HostileCase(
        label: "overlapping ranges",
        bytes: file(
            entry("a", shape: "[2]", offsets: "[0,8]"), entry("b", shape: "[2]", offsets: "[4,12]"), dataBytes: 12),
        expected: .overlappingRanges(first: "a", second: "b")),
    HostileCase(
        label: "identical ranges",
        bytes: file(
            entry("a", shape: "[1]", offsets: "[0,4]"), entry("b", shape: "[1]", offsets: "[0,4]"), dataBytes: 4),
        expected: .overlappingRanges(first: "a", second: "b")),
    HostileCase(
        label: "empty range inside another",
        bytes: file(
            entry("a", shape: "[2]", offsets: "[0,8]"), entry("e", shape: "[0]", offsets: "[4,4]"), dataBytes: 8),
        expected: .overlappingRanges(first: "a", second: "e")),
    HostileCase(
        label: "hole between tensors",
        bytes: file(
            entry("a", shape: "[1]", offsets: "[0,4]"), entry("b", shape: "[1]", offsets: "[8,12]"), dataBytes: 12),
        expected: .hole(begin: 4, end: 8, before: "b")),
    HostileCase(
        label: "hole at the start", bytes: file(entry("a", shape: "[1]", offsets: "[4,8]"), dataBytes: 8),
        expected: .hole(begin: 0, end: 4, before: "a")),
    HostileCase(
        label: "trailing garbage", bytes: file(entry("a", shape: "[1]", offsets: "[0,4]"), dataBytes: 7),
        expected: .trailingBytes(dataEnd: 4, dataSize: 7)),
    HostileCase(
        label: "data without tensors", bytes: file(dataBytes: 4), expected: .trailingBytes(dataEnd: 0, dataSize: 4)),
    HostileCase(
        label: "over the element limit", bytes: file(entry("a", "U8", shape: "[11]", offsets: "[0,11]"), dataBytes: 11),
        limits: SafeTensorsLimits(maxElements: 10), expected: .tooManyElements(limit: 10)),
    HostileCase(
        label: "over the element limit in all",
        bytes: file(
            entry("a", "U8", shape: "[6]", offsets: "[0,6]"), entry("b", "U8", shape: "[6]", offsets: "[6,12]"),
            dataBytes: 12),
        limits: SafeTensorsLimits(maxElements: 10), expected: .tooManyElements(limit: 10)),
]

@Suite("Hostile files")
struct HostileFileTests {
    @Test(arguments: hostileCases)
    func isRefusedWithTheRightError(_ hostile: HostileCase) throws {
        let error = try readingError(hostile.bytes, limits: hostile.limits)
        #expect(error?.problem == hostile.expected)
    }

    /// The element limit holds at its default before allocation: a sparse file of 2³¹ + 8
    /// zero bytes (no disk used) declaring 2³¹ + 8 booleans is refused, not read.
    @Test func theDefaultElementLimitIsCheckedBeforeAllocating() throws {
        let count = (1 << 31) + 8
        let header = "{" + entry("flags", "BOOL", shape: "[\(count)]", offsets: "[0,\(count)]") + "}"
        try withTemporaryDirectory { directory in
            let url = try writeSafetensors(safetensorsBytes(header: header), in: directory)
            let handle = try FileHandle(forWritingTo: url)
            try handle.truncate(atOffset: UInt64(8 + header.utf8.count + count))
            try handle.close()
            #expect(throws: CheckpointError(path: url.path, problem: .tooManyElements(limit: 1 << 31))) {
                try SafeTensors.read(from: url)
            }
        }
    }

    @Test func aMissingFileNamesTheSystemsReason() throws {
        try withTemporaryDirectory { directory in
            let url = directory.appendingPathComponent("absent.safetensors")
            #expect(throws: CheckpointError(path: url.path, problem: .cannotOpen(reason: errorText(ENOENT)))) {
                try SafeTensors.read(from: url)
            }
        }
    }

    @Test func aDirectoryIsNotAFile() throws {
        try withTemporaryDirectory { directory in
            #expect(throws: CheckpointError(path: directory.path, problem: .notARegularFile)) {
                try SafeTensors.read(from: directory)
            }
        }
    }

    /// Every prefix of a valid file, and every header byte replaced by each of a few
    /// troublesome values: each read either succeeds or throws `CheckpointError`.
    @Test func truncationsAndCorruptionsNeverCrash() throws {
        let valid = try SafeTensors(
            [("w", Tensor([1, 2, 3, 4], shape: [2, 2])), ("b", Tensor(0.5))],
            metadata: ["k": "v"])
        try withTemporaryDirectory { directory in
            let url = directory.appendingPathComponent("valid.safetensors")
            try valid.write(to: url)
            let bytes = Array(try Data(contentsOf: url))
            var refused = 0
            func attempt(_ candidate: [UInt8]) throws {
                let path = try writeSafetensors(candidate, named: "candidate.safetensors", in: directory)
                do { _ = try SafeTensors.read(from: path) } catch is CheckpointError { refused += 1 }
            }
            for length in 0..<bytes.count { try attempt(Array(bytes.prefix(length))) }
            #expect(refused == bytes.count)
            let headerEnd = 8 + Int(bytes[0])
            for position in 0..<headerEnd {
                for value: UInt8 in [0x00, 0xff, 0x7b, 0x22, 0x39, 0x2d, 0x5d, 0x80] where bytes[position] != value {
                    var corrupted = bytes
                    corrupted[position] = value
                    try attempt(corrupted)
                }
            }
        }
    }
}
