import Foundation
import TestSupport

/// Minimal PNG encoding for fixtures: 8-bit greyscale, stored (uncompressed) deflate
/// blocks, so the tests need no image library.
enum TestPNG {
    /// A `width`×`height` greyscale PNG of `pixels` (row-major, one byte each).
    static func greyscale(width: Int, height: Int, pixels: [UInt8]) -> Data {
        precondition(pixels.count == width * height, "need \(width * height) pixels, got \(pixels.count)")
        var raw: [UInt8] = []
        for row in 0..<height {
            raw.append(0)  // filter type: none
            raw += pixels[(row * width)..<((row + 1) * width)]
        }
        var png: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]
        png += chunk("IHDR", bigEndian(UInt32(width)) + bigEndian(UInt32(height)) + [8, 0, 0, 0, 0])
        png += chunk("IDAT", zlibStored(raw))
        png += chunk("IEND", [])
        return Data(png)
    }

    /// A 10×10 grid of 28×28 blobs, like a page of generated samples.
    static func noiseGrid(seed: UInt64) -> Data {
        var generator = SplitMix64(seed: seed)
        let side = 280
        var pixels = [UInt8](repeating: 0, count: side * side)
        for cell in 0..<100 {
            let cx = Double(cell % 10 * 28 + 14)
            let cy = Double(cell / 10 * 28 + 14)
            let radius = 5 + 6 * generator.nextUnit()
            for y in (cell / 10 * 28)..<(cell / 10 * 28 + 28) {
                for x in (cell % 10 * 28)..<(cell % 10 * 28 + 28) {
                    let d = ((Double(x) - cx) * (Double(x) - cx) + (Double(y) - cy) * (Double(y) - cy)).squareRoot()
                    let ink = max(0, 1 - abs(d - radius) / 2.5) + 0.15 * generator.nextUnit()
                    pixels[y * side + x] = UInt8(min(255, ink * 255))
                }
            }
        }
        return greyscale(width: side, height: side, pixels: pixels)
    }

    private static func chunk(_ type: String, _ data: [UInt8]) -> [UInt8] {
        let body = Array(type.utf8) + data
        return bigEndian(UInt32(data.count)) + body + bigEndian(crc32(body))
    }

    private static func zlibStored(_ data: [UInt8]) -> [UInt8] {
        var out: [UInt8] = [0x78, 0x01]
        var offset = 0
        repeat {
            let count = min(65_535, data.count - offset)
            let final: UInt8 = offset + count == data.count ? 1 : 0
            out += [final, UInt8(count & 0xFF), UInt8(count >> 8), UInt8(~count & 0xFF), UInt8((~count >> 8) & 0xFF)]
            out += data[offset..<(offset + count)]
            offset += count
        } while offset < data.count
        var a: UInt32 = 1
        var b: UInt32 = 0
        for byte in data {
            a = (a + UInt32(byte)) % 65_521
            b = (b + a) % 65_521
        }
        return out + bigEndian(b << 16 | a)
    }

    private static func crc32(_ data: [UInt8]) -> UInt32 {
        var crc: UInt32 = 0xFFFF_FFFF
        for byte in data {
            crc ^= UInt32(byte)
            for _ in 0..<8 { crc = crc & 1 == 1 ? (crc >> 1) ^ 0xEDB8_8320 : crc >> 1 }
        }
        return ~crc
    }

    private static func bigEndian(_ value: UInt32) -> [UInt8] {
        [UInt8(value >> 24), UInt8(value >> 16 & 0xFF), UInt8(value >> 8 & 0xFF), UInt8(value & 0xFF)]
    }
}
