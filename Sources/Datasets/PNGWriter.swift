import CPNG
import Foundation

/// Writes 8-bit grey or RGB images as PNG files (libpng's `png_image_write_to_file`):
/// tests make their fixtures with it, and tools can export samples.
public enum PNGWriter {
    /// Writes `pixels` (height × width × channels bytes, rows top down, RGB interleaved) to
    /// `url`; `channels` is 1 (grey) or 3 (RGB).
    ///
    /// - Throws: `DatasetError.unwritable` naming the file when libpng cannot write it.
    public static func write(_ pixels: [UInt8], width: Int, height: Int, channels: Int, to url: URL) throws {
        let ok = withImage(pixels, width: width, height: height, channels: channels, caller: "write") { image in
            pixels.withUnsafeBytes { buffer in png_image_write_to_file(image, url.path, 0, buffer.baseAddress, 0, nil) }
        }
        guard ok.result != 0 else {
            throw DatasetError.unwritable(path: url.path, reason: "libpng: \(ok.message)")
        }
    }

    /// Runs `body` with a libpng image described for `pixels` (checked against the size and channels), and
    /// returns its result with libpng's message, read before the image is freed.
    static func withImage(
        _ pixels: [UInt8], width: Int, height: Int, channels: Int, caller: String,
        _ body: (UnsafeMutablePointer<png_image>) -> Int32
    ) -> (result: Int32, message: String) {
        precondition(channels == 1 || channels == 3, "PNGWriter.\(caller): \(channels) channels (1 or 3)")
        precondition(
            width >= 1 && height >= 1 && width <= Int(Int32.max) / channels && height <= Int(Int32.max),
            "PNGWriter.\(caller): image size \(width)×\(height)")
        precondition(
            pixels.count == width * height * channels,
            "PNGWriter.\(caller): \(pixels.count) bytes for \(width)×\(height)×\(channels)")
        // On the heap: libpng keeps the struct's address to report errors into it.
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
        let result = body(image)
        return (result, result != 0 ? "" : PNGMessage.text(of: image))
    }
}
