import CPNG

extension PNGWriter {
    /// The size in bytes of `pixels` encoded as a PNG file by libpng's simplified writer (its default zlib level
    /// and adaptive row filters), computed without keeping the file: the lossless-compression length that
    /// Serrà et al. (2020) use as an image's complexity. The layout is `write`'s (rows top down, RGB
    /// interleaved); the chunk framing adds the same few dozen bytes to every image of a size.
    public static func encodedSize(_ pixels: [UInt8], width: Int, height: Int, channels: Int) -> Int {
        precondition(channels == 1 || channels == 3, "PNGWriter.encodedSize: \(channels) channels (1 or 3)")
        precondition(
            width >= 1 && height >= 1 && pixels.count == width * height * channels,
            "PNGWriter.encodedSize: \(pixels.count) bytes for \(width)×\(height)×\(channels)")
        // On the heap, as in `write`: libpng keeps the struct's address to report errors into it.
        let image = UnsafeMutablePointer<png_image>.allocate(capacity: 1)
        image.initialize(to: png_image())
        defer {
            png_image_free(image)
            image.deallocate()
        }
        image.pointee.version = UInt32(PNG_IMAGE_VERSION)
        image.pointee.width = UInt32(width)
        image.pointee.height = UInt32(height)
        image.pointee.format = channels == 1 ? UInt32(PNG_FORMAT_GRAY) : UInt32(PNG_FORMAT_RGB)
        var size = 0
        let ok = pixels.withUnsafeBytes { buffer in
            // No memory: libpng compresses, counts the bytes and keeps none.
            png_image_write_to_memory(image, nil, &size, 0, buffer.baseAddress, 0, nil)
        }
        // Counting into no buffer cannot run out of room; a failure here is libpng's own (out of memory).
        precondition(ok != 0, "PNGWriter.encodedSize: libpng failed: \(PNGMessage.text(of: image))")
        return size
    }
}
