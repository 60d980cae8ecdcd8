import Foundation
import Tensors
import Testing

@testable import Checkpoints

/// The written bytes, parsed here independently of the reader (Foundation's JSON parser).
@Suite("Written file format")
struct FileFormatTests {
    struct ParsedFile {
        var headerLength: Int
        var headerText: String
        var header: [String: Any]
        var data: [UInt8]
    }

    static func parse(_ bytes: [UInt8]) throws -> ParsedFile {
        try #require(bytes.count >= 8)
        let n = bytes[0..<8].enumerated().reduce(0) { $0 | Int($1.element) << (8 * $1.offset) }
        try #require(8 + n <= bytes.count)
        let headerBytes = Array(bytes[8..<(8 + n)])
        let text = try #require(String(bytes: headerBytes, encoding: .utf8))
        let object = try JSONSerialization.jsonObject(with: Data(headerBytes))
        let header = try #require(object as? [String: Any])
        return ParsedFile(headerLength: n, headerText: text, header: header, data: Array(bytes[(8 + n)...]))
    }

    @Test func theSmallestFileIsExactlyTheFormat() throws {
        let file = try SafeTensors([("a", Tensor([1, -2]))])
        try withTemporaryDirectory { directory in
            let url = directory.appendingPathComponent("a.safetensors")
            try file.write(to: url)
            let json = #"{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}"#
            let padded = json + String(repeating: " ", count: (8 - json.utf8.count % 8) % 8)
            let expected =
                littleEndianBytes(UInt64(padded.utf8.count)) + Array(padded.utf8)
                + littleEndianBytes([Float(1).bitPattern, Float(-2).bitPattern])
            #expect(Array(try Data(contentsOf: url)) == expected)
        }
    }

    @Test func headerOffsetsPaddingAndDataMatchTheTensors() throws {
        let original = try RoundTripTests.sample()
        try withTemporaryDirectory { directory in
            let url = directory.appendingPathComponent("sample.safetensors")
            try original.write(to: url)
            let parsed = try Self.parse(Array(try Data(contentsOf: url)))

            // Padded with spaces so the data section starts 8-byte aligned.
            #expect(parsed.headerLength % 8 == 0)
            let trimmed = parsed.headerText.replacingOccurrences(of: " +$", with: "", options: .regularExpression)
            #expect(trimmed.hasSuffix("}"))
            #expect(parsed.header.count == original.count + 1)

            let metadata = try #require(parsed.header["__metadata__"] as? [String: String])
            #expect(metadata == original.metadata)

            var expectedBegin = 0
            for (name, tensor) in original.entries {
                let entry = try #require(parsed.header[name] as? [String: Any], "\(name)")
                #expect(Set(entry.keys) == ["dtype", "shape", "data_offsets"])
                #expect(entry["dtype"] as? String == "F32")
                #expect(entry["shape"] as? [Int] == tensor.shape)
                let offsets = try #require(entry["data_offsets"] as? [Int])
                #expect(offsets == [expectedBegin, expectedBegin + 4 * tensor.scalarCount], "\(name)")
                let bytes = Array(parsed.data[offsets[0]..<offsets[1]])
                #expect(bytes == littleEndianBytes(tensor.scalars.map(\.bitPattern)), "\(name)")
                expectedBegin = offsets[1]
            }
            // The data section is exactly the tensors: nothing before, between or after.
            #expect(parsed.data.count == expectedBegin)
        }
    }

    @Test func entriesAreListedInInsertionOrderAfterMetadata() throws {
        let file = try SafeTensors([("b", Tensor([1])), ("a", Tensor([2]))], metadata: ["k": "v"])
        let text = String(decoding: file.encodedHeader(), as: UTF8.self)
        let metadataAt = try #require(text.range(of: "\"__metadata__\""))
        let bAt = try #require(text.range(of: "\"b\""))
        let aAt = try #require(text.range(of: "\"a\""))
        #expect(metadataAt.lowerBound < bAt.lowerBound && bAt.lowerBound < aAt.lowerBound)
    }

    @Test func noMetadataMeansNoMetadataEntry() throws {
        let file = try SafeTensors([("w", Tensor([1]))])
        let text = String(decoding: file.encodedHeader(), as: UTF8.self)
        #expect(!text.contains("__metadata__"))
        #expect(file.encodedHeader().count % 8 == 0)
    }

    /// A header padded with trailing spaces (as writers do) and tensors at offsets that are
    /// not multiples of their size are both valid.
    @Test func paddedHeadersAndUnalignedOffsetsAreRead() throws {
        let header =
            #"{"b":{"dtype":"U8","shape":[3],"data_offsets":[0,3]},"#
            + #""f":{"dtype":"F32","shape":[2],"data_offsets":[3,11]}}     "#
        let data: [UInt8] = [1, 2, 3] + littleEndianBytes([Float(0.5).bitPattern, Float(-8).bitPattern])
        try withTemporaryDirectory { directory in
            let url = try writeSafetensors(safetensorsBytes(header: header, data: data), in: directory)
            let read = try SafeTensors.read(from: url)
            #expect(read.names == ["b", "f"])
            #expect(try read.tensor(named: "b").scalars == [1, 2, 3])
            #expect(try read.tensor(named: "f").scalars == [0.5, -8])
        }
    }

    /// As in the reference implementation, `"__metadata__": null` is no metadata.
    @Test func nullMetadataIsNoMetadata() throws {
        let header = #"{"__metadata__":null,"a":{"dtype":"F32","shape":[],"data_offsets":[0,4]}}"#
        try withTemporaryDirectory { directory in
            let url = try writeSafetensors(
                safetensorsBytes(header: header, data: littleEndianBytes(Float(3).bitPattern)),
                in: directory)
            let read = try SafeTensors.read(from: url)
            #expect(read.metadata.isEmpty)
            #expect(try read.tensor(named: "a").scalar == 3)
        }
    }
}
