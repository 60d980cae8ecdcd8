import CPNG
import Foundation

/// Reading one PNG file through libpng's simplified API (`png_image_*`), which converts any
/// PNG colour type, bit depth and interlacing to 8-bit grey or RGB.
enum PNGImage {
    /// What the header says: size and whether the image has colour.
    struct Header {
        var width: Int
        var height: Int
        /// Colour (RGB or a palette) rather than grey.
        var isColor: Bool
    }

    /// Most pixels one image may have (2^26, e.g. 8192×8192): a header claiming more is
    /// refused before any buffer is sized from it.
    static let maximumPixelCount = 1 << 26

    /// The header of the PNG at `url`.
    static func header(of url: URL) throws -> Header {
        try withOpenImage(url) { image in
            Header(
                width: Int(image.pointee.width), height: Int(image.pointee.height),
                isColor: image.pointee.format & UInt32(PNG_FORMAT_FLAG_COLOR) != 0)
        }
    }

    /// Decodes the PNG at `url` into `destination` (height × width × channels bytes, rows top
    /// down, channels interleaved as libpng delivers them) as grey (1) or RGB (3).
    /// Transparent pixels are composited onto black, the background of MNIST-like data.
    static func read(
        _ url: URL, channels: Int, expectedWidth: Int, expectedHeight: Int,
        into destination: UnsafeMutableBufferPointer<UInt8>
    ) throws {
        precondition(channels == 1 || channels == 3, "PNGImage.read: \(channels) channels (1 or 3)")
        precondition(
            destination.count == expectedWidth * expectedHeight * channels,
            "PNGImage.read: buffer of \(destination.count) bytes for \(expectedWidth)×\(expectedHeight)×\(channels)")
        try withOpenImage(url) { image in
            // The file may have changed since its header was first read.
            guard Int(image.pointee.width) == expectedWidth, Int(image.pointee.height) == expectedHeight else {
                throw DatasetError.malformed(
                    path: url.path,
                    reason:
                        "image is \(image.pointee.width)×\(image.pointee.height), expected \(expectedWidth)×\(expectedHeight)"
                )
            }
            image.pointee.format = channels == 1 ? UInt32(PNG_FORMAT_GRAY) : UInt32(PNG_FORMAT_RGB)
            // Without this libpng takes untagged 16-bit data as linear and gamma-encodes it on
            // the way to 8 bits; ordinary 16-bit files are already sRGB-encoded.
            image.pointee.flags |= UInt32(PNG_IMAGE_FLAG_16BIT_sRGB)
            var black = png_color(red: 0, green: 0, blue: 0)
            guard png_image_finish_read(image, &black, destination.baseAddress, 0, nil) != 0 else {
                throw failure(image, url)
            }
        }
    }

    /// Most bytes one PNG file may hold (256 MiB): far above any image this reader accepts.
    static let maximumFileBytes = 1 << 28

    /// Reads the file, checks its chunk framing, opens it in libpng from memory, reads its
    /// header (refusing absurd sizes) and runs `body` on it.
    ///
    /// The `png_image` lives on the heap for the whole call: libpng keeps its address (to
    /// report errors into `message`), so the struct must not move between the begin and
    /// finish calls, as a Swift value may. The bytes outlive it too: libpng reads them
    /// until `png_image_finish_read`.
    private static func withOpenImage<R>(_ url: URL, _ body: (UnsafeMutablePointer<png_image>) throws -> R) throws -> R
    {
        let bytes: [UInt8]
        do { bytes = try FileBytes.read(url, maximumBytes: maximumFileBytes) } catch let error as DatasetError {
            // The generic reader speaks of files; say it is a PNG that was expected.
            if case .unreadable(let path, let reason) = error, reason == FileBytes.isDirectoryReason {
                throw DatasetError.unreadable(path: path, reason: "it is a directory, not a PNG file")
            }
            throw error
        }
        try PNGChunks.check(bytes, path: url.path)
        let image = UnsafeMutablePointer<png_image>.allocate(capacity: 1)
        image.initialize(to: png_image())
        image.pointee.version = UInt32(PNG_IMAGE_VERSION)
        defer {
            png_image_free(image)  // a no-op once finish_read has freed it
            image.deallocate()
        }
        return try bytes.withUnsafeBytes { raw in
            guard png_image_begin_read_from_memory(image, raw.baseAddress, raw.count) != 0 else {
                throw failure(image, url)
            }
            let pixels = Int(image.pointee.width) * Int(image.pointee.height)
            guard pixels >= 1, pixels <= maximumPixelCount else {
                throw DatasetError.malformed(
                    path: url.path,
                    reason:
                        "image is \(image.pointee.width)×\(image.pointee.height), more than the \(maximumPixelCount) pixels this reader accepts"
                )
            }
            return try body(image)
        }
    }

    /// libpng's message (e.g. "Not a PNG file") as an error naming the file.
    private static func failure(_ image: UnsafeMutablePointer<png_image>, _ url: URL) -> DatasetError {
        .malformed(path: url.path, reason: "not a readable PNG file (libpng: \(PNGMessage.text(of: image)))")
    }
}

/// The message libpng leaves in a `png_image` after a failure.
enum PNGMessage {
    static func text(of image: UnsafeMutablePointer<png_image>) -> String {
        let message = withUnsafeBytes(of: image.pointee.message) { raw in
            String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
        }
        return message.isEmpty ? "unknown error" : message
    }
}
