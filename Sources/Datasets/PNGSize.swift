import CPNG

extension PNGWriter {
    /// The size in bytes of `pixels` encoded as a PNG file by libpng's simplified writer (its default zlib level
    /// and adaptive row filters), computed without keeping the file: the lossless-compression length that
    /// Serrà et al. (2020) use as an image's complexity. The layout is `write`'s (rows top down, RGB
    /// interleaved); the chunk framing adds the same few dozen bytes to every image of a size.
    public static func encodedSize(_ pixels: [UInt8], width: Int, height: Int, channels: Int) -> Int {
        var size = 0
        let outcome = withImage(pixels, width: width, height: height, channels: channels, caller: "encodedSize") {
            image in
            pixels.withUnsafeBytes { buffer in
                // No memory: libpng compresses, counts the bytes and keeps none.
                png_image_write_to_memory(image, nil, &size, 0, buffer.baseAddress, 0, nil)
            }
        }
        // Counting into no buffer cannot run out of room; a failure here is libpng's own (out of memory).
        precondition(outcome.result != 0, "PNGWriter.encodedSize: libpng failed: \(outcome.message)")
        return size
    }
}
