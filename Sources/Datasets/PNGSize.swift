extension PNGWriter {
    /// The size in bytes of `pixels` encoded as a PNG file by `write` (libpng's simplified writer: its default
    /// zlib level and adaptive row filters), computed without writing the file: the lossless-compression
    /// length that Serrà et al. (2020) use as an image's complexity. The layout is `write`'s (rows top down,
    /// RGB interleaved). For many images, keep one `PNGLengthCounter` per thread instead.
    public static func encodedSize(_ pixels: [UInt8], width: Int, height: Int, channels: Int) -> Int {
        pixels.withUnsafeBufferPointer {
            PNGLengthCounter().encodedSize($0, width: width, height: height, channels: channels)
        }
    }
}
