import Foundation
import Testing

@testable import Datasets

/// The chunk framing check in front of libpng, with the input `scripts/fuzz.sh png` found.
@Suite struct PNGChunksTests {
    /// fuzz/regressions/png/text-chunk-claims-1.6GB.png: a 72-byte file whose second chunk
    /// (zTXt) claims 0x6348524D bytes; libpng allocated all 1.6 GB before reading it.
    static let hugeTextChunk: [UInt8] = [
        0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x00, 0x00, 0x00, 0x0D, 0x49, 0x48, 0x44, 0x52,
        0x00, 0x00, 0x00, 0x08, 0x00, 0x00, 0x00, 0x01, 0x01, 0x00, 0x00, 0x00, 0x00, 0xCB, 0x7B, 0xD2,
        0xEE, 0x63, 0x48, 0x52, 0x4D, 0x7A, 0x54, 0x58, 0x74, 0x00, 0x00, 0x00, 0x0A, 0x49, 0x44, 0x41,
        0x54, 0x78, 0xDA, 0x67, 0x41, 0x4D, 0x41, 0x63, 0xD8, 0x04, 0x00, 0x00, 0xB4, 0x00, 0xB3, 0x89,
        0x90, 0xCD, 0x2F, 0x00, 0x00, 0x00, 0x00, 0x82,
    ]

    @Test func aChunkLongerThanTheFileIsRefusedBeforeLibpngSeesIt() throws {
        try withTemporaryDirectory { directory in
            let file = try writeFile(Self.hugeTextChunk, named: "huge.png", in: directory)
            #expect(
                Array(
                    try Data(
                        contentsOf: packageRoot.appendingPathComponent(
                            "fuzz/regressions/png/text-chunk-claims-1.6GB.png"))) == Self.hugeTextChunk)
            expectDatasetError(
                naming: file, "not a readable PNG", "chunk 'zTXt' at byte 33 claims 1665684045 bytes", "truncated"
            ) {
                try PNGFolder.loadUnlabeled(paths: [file])
            }
        }
    }

    @Test func framingOfValidAndBrokenFiles() throws {
        try withTemporaryDirectory { directory in
            let good = directory.appendingPathComponent("good.png")
            try PNGWriter.write(ramp(12), width: 4, height: 3, channels: 1, to: good)
            let bytes = Array(try Data(contentsOf: good))
            try PNGChunks.check(bytes, path: good.path)
            // Bytes after IEND are not looked at (libpng ignores them too).
            try PNGChunks.check(bytes + [1, 2, 3], path: good.path)
            #expect(throws: DatasetError.self) { try PNGChunks.check(Array(bytes.prefix(20)), path: good.path) }
            #expect(throws: DatasetError.self) { try PNGChunks.check(Array("GIF89a".utf8), path: good.path) }
            // A length with the top bit set is beyond what PNG allows, whatever the file holds.
            var negative = bytes
            negative[8] = 0x80
            #expect { try PNGChunks.check(negative, path: good.path) } throws: { "\($0)".contains("2^31 - 1") }
        }
    }

    /// A header claiming 100,000 × 100,000 pixels, in a file of a few dozen bytes whose
    /// chunks all fit: refused from the header, before any pixel buffer is sized.
    @Test func aHeaderClaimingAHugeImageIsRefused() throws {
        try withTemporaryDirectory { directory in
            let good = directory.appendingPathComponent("good.png")
            try PNGWriter.write(ramp(12), width: 4, height: 3, channels: 1, to: good)
            var bytes = Array(try Data(contentsOf: good))
            // IHDR's data starts at byte 16: width, height (big-endian), then its CRC at 29.
            let side: [UInt8] = [0x00, 0x01, 0x86, 0xA0]  // 100,000
            bytes.replaceSubrange(16..<20, with: side)
            bytes.replaceSubrange(20..<24, with: side)
            let crc = CRC32.of(Array(bytes[12..<29]))
            bytes.replaceSubrange(
                29..<33, with: [UInt8(crc >> 24), UInt8(crc >> 16 & 0xFF), UInt8(crc >> 8 & 0xFF), UInt8(crc & 0xFF)])
            let huge = try writeFile(bytes, named: "huge.png", in: directory)
            expectDatasetError(naming: huge, "100000×100000", "more than the 67108864 pixels") {
                try PNGFolder.loadUnlabeled(paths: [huge])
            }
        }
    }
}

/// zlib's CRC-32, as PNG chunks use it.
enum CRC32 {
    static func of(_ bytes: [UInt8]) -> UInt32 {
        var crc: UInt32 = 0xFFFF_FFFF
        for byte in bytes {
            crc ^= UInt32(byte)
            for _ in 0..<8 { crc = crc & 1 == 1 ? (crc >> 1) ^ 0xEDB8_8320 : crc >> 1 }
        }
        return crc ^ 0xFFFF_FFFF
    }
}
