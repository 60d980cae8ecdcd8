import Foundation
import Testing

@testable import Datasets

/// IDX reading: round trips raw and gzip, and a clear error naming the file for every
/// malformed input.
@Suite struct IDXFileTests {
    @Test(arguments: [[7], [3, 4], [2, 3, 5], [2, 1, 3, 2]])
    func roundTripsRawAndGzip(dimensions: [Int]) throws {
        try withTemporaryDirectory { directory in
            let elements = ramp(dimensions.reduce(1, *), from: 17)
            let bytes = idxBytes(dimensions: dimensions, elements: elements)
            for (name, contents) in [("raw.idx", bytes), ("packed.idx.gz", gzip(bytes))] {
                let file = try IDXFile.read(from: writeFile(contents, named: name, in: directory))
                #expect(file.dimensions == dimensions)
                #expect(file.bytes == elements)
            }
        }
    }

    @Test func gzipIsDetectedByMagicNotName() throws {
        try withTemporaryDirectory { directory in
            let bytes = idxBytes(dimensions: [2, 2], elements: [1, 2, 3, 4])
            let file = try IDXFile.read(from: writeFile(gzip(bytes), named: "no-suffix", in: directory))
            #expect(file.bytes == [1, 2, 3, 4])
        }
    }

    @Test func concatenatedGzipMembersAreOneStream() throws {
        try withTemporaryDirectory { directory in
            let bytes = idxBytes(dimensions: [10, 10], elements: ramp(100))
            let url = try writeFile(
                gzip(Array(bytes[..<37])) + gzip(Array(bytes[37...])), named: "two.gz", in: directory)
            #expect(try IDXFile.read(from: url).bytes == ramp(100))
        }
    }

    @Test func badMagicIsRefused() throws {
        try withTemporaryDirectory { directory in
            let text = try writeFile(Array("hello, world".utf8), named: "text.idx", in: directory)
            expectDatasetError(naming: text, "bad magic 0x68656C6C") { try IDXFile.read(from: text) }

            let floats = try writeFile(
                idxBytes(dimensions: [1], elements: [0, 0, 0, 0], typeCode: 0x0D),
                named: "floats.idx", in: directory)
            expectDatasetError(naming: floats, "bad magic 0x00000D01", "float32") { try IDXFile.read(from: floats) }
        }
    }

    @Test(arguments: [0, 5])
    func rankOutsideOneToFourIsRefused(rank: Int) throws {
        try withTemporaryDirectory { directory in
            let url = try writeFile(
                idxBytes(dimensions: Array(repeating: 1, count: rank), elements: [9]),
                named: "rank.idx", in: directory)
            expectDatasetError(naming: url, "\(rank) dimensions; expected 1 to 4") { try IDXFile.read(from: url) }
        }
    }

    @Test func zeroExtentIsRefused() throws {
        try withTemporaryDirectory { directory in
            let url = try writeFile(idxBytes(dimensions: [3, 0], elements: []), named: "zero.idx", in: directory)
            expectDatasetError(naming: url, "dimension 1 is 0") { try IDXFile.read(from: url) }
        }
    }

    @Test func truncatedHeaderAndDataAreRefused() throws {
        try withTemporaryDirectory { directory in
            let short = try writeFile([0, 0], named: "short.idx", in: directory)
            expectDatasetError(naming: short, "too short") { try IDXFile.read(from: short) }

            let header = try writeFile(
                Array(idxBytes(dimensions: [3, 4, 5], elements: [])[..<10]),
                named: "header.idx", in: directory)
            expectDatasetError(naming: header, "truncated header") { try IDXFile.read(from: header) }

            let data = try writeFile(
                gzip(idxBytes(dimensions: [3, 4, 5], elements: ramp(59))),
                named: "data.idx.gz", in: directory)
            expectDatasetError(naming: data, "header claims 3×4×5 = 60 bytes but file holds 59 (truncated)") {
                try IDXFile.read(from: data)
            }
        }
    }

    @Test func trailingDataIsRefused() throws {
        try withTemporaryDirectory { directory in
            let url = try writeFile(idxBytes(dimensions: [2, 3], elements: ramp(8)), named: "long.idx", in: directory)
            expectDatasetError(
                naming: url, "header claims 2×3 = 6 bytes but file holds 8", "2 bytes of trailing garbage"
            ) {
                try IDXFile.read(from: url)
            }
        }
    }

    @Test func absurdDimensionsAreRefusedFromTheHeader() throws {
        try withTemporaryDirectory { directory in
            // 2^48 elements: refused by the element cap, before the length is even compared.
            let huge = try writeFile(
                gzip(idxBytes(dimensions: [65536, 65536, 65536], elements: ramp(10))),
                named: "huge.idx.gz", in: directory)
            expectDatasetError(naming: huge, "65536×65536×65536", "more than the 2147483648") {
                try IDXFile.read(from: huge)
            }
            // Under the cap but far beyond the bytes present: refused by comparing with the
            // decompressed length, so nothing is ever sized from the 1.6 GB claim.
            let claim = try writeFile(
                gzip(idxBytes(dimensions: [40000, 40000], elements: ramp(10))),
                named: "claim.idx.gz", in: directory)
            expectDatasetError(naming: claim, "header claims 40000×40000 = 1600000000 bytes but file holds 10") {
                try IDXFile.read(from: claim)
            }
        }
    }

    @Test func corruptGzipIsRefused() throws {
        try withTemporaryDirectory { directory in
            var state: UInt64 = 0x1234_5678
            let junk = (0..<200).map { _ -> UInt8 in
                state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
                return UInt8(state >> 56)
            }
            let garbage = try writeFile(
                [0x1F, 0x8B, 8, 0, 0, 0, 0, 0, 0, 3] + junk, named: "garbage.gz", in: directory)
            expectDatasetError(naming: garbage, "corrupt gzip stream") { try IDXFile.read(from: garbage) }

            let badHeader = try writeFile([0x1F, 0x8B] + junk, named: "bad-header.gz", in: directory)
            expectDatasetError(naming: badHeader, "corrupt gzip stream") { try IDXFile.read(from: badHeader) }
        }
    }

    @Test func truncatedGzipIsRefused() throws {
        try withTemporaryDirectory { directory in
            let packed = gzip(idxBytes(dimensions: [50, 50], elements: ramp(2500)))
            let url = try writeFile(Array(packed.dropLast(12)), named: "cut.gz", in: directory)
            expectDatasetError(naming: url, "truncated gzip stream") { try IDXFile.read(from: url) }
        }
    }

    @Test func garbageAfterGzipIsRefused() throws {
        try withTemporaryDirectory { directory in
            let packed = gzip(idxBytes(dimensions: [4], elements: [1, 2, 3, 4]))
            let url = try writeFile(packed + [0xDE, 0xAD, 0xBE], named: "tail.gz", in: directory)
            expectDatasetError(naming: url, "3 bytes of trailing garbage after the gzip stream") {
                try IDXFile.read(from: url)
            }
        }
    }

    @Test func decompressionBombStopsAtTheCap() throws {
        try withTemporaryDirectory { directory in
            // 4 MiB of zeros deflate to about 4 KB; the reader may inflate at most 1 MiB.
            let bomb = gzip(idxBytes(dimensions: [4 << 20], elements: [UInt8](repeating: 0, count: 4 << 20)), level: 9)
            #expect(bomb.count < 10_000)
            let url = try writeFile(bomb, named: "bomb.gz", in: directory)
            expectDatasetError(naming: url, "more than 1048576 bytes", "decompression bomb") {
                try IDXFile.read(from: url, maximumBytes: 1 << 20)
            }
            #expect(try IDXFile.read(from: url, maximumBytes: 8 << 20).bytes.count == 4 << 20)
        }
    }

    @Test func fileLargerThanTheCapIsRefused() throws {
        try withTemporaryDirectory { directory in
            let url = try writeFile(idxBytes(dimensions: [2000], elements: ramp(2000)), named: "big.idx", in: directory)
            expectDatasetError(naming: url, "2008 bytes, more than the 1000") {
                try IDXFile.read(from: url, maximumBytes: 1000)
            }
        }
    }

    @Test func missingFileAndDirectoryAreNamed() throws {
        try withTemporaryDirectory { directory in
            let missing = directory.appendingPathComponent("absent.idx.gz")
            expectDatasetError(naming: missing, "not found") { try IDXFile.read(from: missing) }
            let folder = directory.appendingPathComponent("folder.idx")
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            expectDatasetError(naming: folder, "is a directory") { try IDXFile.read(from: folder) }
        }
    }
}
