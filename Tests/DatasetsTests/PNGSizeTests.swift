import Foundation
import Tensors
import Testing

@testable import Datasets

/// The in-memory PNG length is the length of the file libpng writes, and it orders images by complexity.
@Suite struct PNGSizeTests {
    @Test func encodedSizeIsTheWrittenFilesSize() throws {
        var generator = SeededGenerator(seed: 2)
        let images: [(pixels: [UInt8], channels: Int)] = [
            ([UInt8](repeating: 9, count: 28 * 28), 1),
            ((0..<(28 * 28)).map { _ in UInt8.random(in: 0...255, using: &generator) }, 1),
            ((0..<(6 * 5 * 3)).map { UInt8($0 * 2) }, 3),
        ]
        try withTemporaryDirectory { directory in
            for (k, image) in images.enumerated() {
                let (width, height) = image.channels == 1 ? (28, 28) : (6, 5)
                let url = directory.appendingPathComponent("\(k).png")
                try PNGWriter.write(image.pixels, width: width, height: height, channels: image.channels, to: url)
                let written = try FileManager.default.attributesOfItem(atPath: url.path)[.size] as? Int
                #expect(
                    PNGWriter.encodedSize(image.pixels, width: width, height: height, channels: image.channels)
                        == written)
            }
        }
        let constant = PNGWriter.encodedSize(images[0].pixels, width: 28, height: 28, channels: 1)
        let noise = PNGWriter.encodedSize(images[1].pixels, width: 28, height: 28, channels: 1)
        #expect(constant < 120 && noise > 784, "constant \(constant) bytes, noise \(noise) bytes")
    }
}
