import Foundation
import Tensors
import Testing

@testable import Datasets

/// The counted PNG length is the length of the file libpng writes, and it orders images by complexity.
@Suite struct PNGSizeTests {
    /// Images that take each of libpng's paths: every row filter, windows from 9 to 15 bits, one IDAT chunk
    /// and several (more than 8 KiB compressed), grey and RGB, a counter reused across sizes.
    @Test func encodedSizeIsTheWrittenFilesSize() throws {
        var generator = SeededGenerator(seed: 2)
        func noise(_ count: Int) -> [UInt8] { (0..<count).map { _ in UInt8.random(in: 0...255, using: &generator) } }
        func gradient(_ w: Int, _ h: Int, _ c: Int) -> [UInt8] {
            (0..<(w * h * c)).map { i in UInt8(truncatingIfNeeded: (i / c) % w * 3 + i / (c * w) * 2 + i % c * 40) }
        }
        let images: [(pixels: [UInt8], width: Int, height: Int, channels: Int)] = [
            ([UInt8](repeating: 9, count: 28 * 28), 28, 28, 1),
            (noise(28 * 28), 28, 28, 1),
            ((0..<(6 * 5 * 3)).map { UInt8($0 * 2) }, 6, 5, 3),
            ([7], 1, 1, 1),
            (gradient(64, 64, 1), 64, 64, 1),
            (gradient(100, 90, 3), 100, 90, 3),
            (noise(100 * 90 * 3), 100, 90, 3),
            (noise(255 * 77), 255, 77, 1),
            (gradient(2, 500, 1), 2, 500, 1),
        ]
        let counter = PNGLengthCounter()
        try withTemporaryDirectory { directory in
            for (k, image) in images.enumerated() {
                let url = directory.appendingPathComponent("\(k).png")
                try PNGWriter.write(
                    image.pixels, width: image.width, height: image.height, channels: image.channels, to: url)
                let written = try FileManager.default.attributesOfItem(atPath: url.path)[.size] as? Int
                let counted = image.pixels.withUnsafeBufferPointer {
                    counter.encodedSize($0, width: image.width, height: image.height, channels: image.channels)
                }
                #expect(counted == written, "image \(k), \(image.width)×\(image.height)×\(image.channels)")
                #expect(
                    PNGWriter.encodedSize(
                        image.pixels, width: image.width, height: image.height, channels: image.channels)
                        == written)
            }
        }
        let constant = PNGWriter.encodedSize(images[0].pixels, width: 28, height: 28, channels: 1)
        let random = PNGWriter.encodedSize(images[1].pixels, width: 28, height: 28, channels: 1)
        #expect(constant < 120 && random > 784, "constant \(constant) bytes, noise \(random) bytes")
    }

    /// libpng's window rule: the data plus 262 bytes of lookahead fits in half the window, never 8 bits.
    @Test func windowShrinksToTheData() {
        #expect(PNGLengthCounter.windowBits(forDataBytes: 812) == 11)  // a 28×28 grey image with its filter bytes
        #expect(PNGLengthCounter.windowBits(forDataBytes: 2) == 9)
        #expect(PNGLengthCounter.windowBits(forDataBytes: 16384) == 15)
        #expect(PNGLengthCounter.windowBits(forDataBytes: 1 << 20) == 15)
        #expect(PNGLengthCounter.windowBits(forDataBytes: 1024 - 262) == 10)
        #expect(PNGLengthCounter.windowBits(forDataBytes: 1024 - 261) == 11)
    }
}
