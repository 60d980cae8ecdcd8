import Datasets
import Foundation
import Tensors

/// Images in [−1, 1] laid out as one PNG grid: `columns` per row, 2-pixel gaps, written to
/// a temporary file and renamed so a reader never sees half a grid.
public enum SampleGrid {
    /// White pixels between the images and around the grid.
    public static let gap = 2

    /// The grid's pixels (rows top down, channels interleaved) and its size.
    public static func pixels(_ images: Tensor, columns: Int) -> (
        pixels: [UInt8], width: Int, height: Int, channels: Int
    ) {
        precondition(
            images.rank == 4 && [1, 3].contains(images.shape[1]) && columns >= 1,
            "SampleGrid: images \(images.shape) (N × 1 or 3 × H × W), \(columns) columns")
        let (n, c, h, w) = (images.shape[0], images.shape[1], images.shape[2], images.shape[3])
        let rows = max(1, (n + columns - 1) / columns)
        let width = columns * w + (columns + 1) * gap
        let height = rows * h + (rows + 1) * gap
        var out = [UInt8](repeating: 255, count: width * height * c)
        let values = images.scalars
        for i in 0..<n {
            let top = gap + (i / columns) * (h + gap)
            let left = gap + (i % columns) * (w + gap)
            for y in 0..<h {
                for x in 0..<w {
                    for k in 0..<c {
                        let v = values[((i * c + k) * h + y) * w + x]
                        let scaled = ((min(max(v, -1), 1) + 1) * 127.5).rounded()
                        out[((top + y) * width + left + x) * c + k] = UInt8(scaled.isFinite ? scaled : 0)
                    }
                }
            }
        }
        return (out, width, height, c)
    }

    /// Writes the grid to `url` atomically.
    public static func write(_ images: Tensor, columns: Int, to url: URL) throws {
        let (pixels, width, height, channels) = pixels(images, columns: columns)
        try writePNG(pixels, width: width, height: height, channels: channels, to: url)
    }

    /// Writes a PNG atomically (temporary file in the same folder, then a rename), making
    /// the folder if needed.
    public static func writePNG(_ pixels: [UInt8], width: Int, height: Int, channels: Int, to url: URL) throws {
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        let temporary = url.deletingLastPathComponent().appendingPathComponent(
            ".\(url.lastPathComponent).\(UUID().uuidString).tmp")
        do {
            try PNGWriter.write(pixels, width: width, height: height, channels: channels, to: temporary)
            if FileManager.default.fileExists(atPath: url.path) {
                _ = try FileManager.default.replaceItemAt(url, withItemAt: temporary)
            } else {
                try FileManager.default.moveItem(at: temporary, to: url)
            }
        } catch {
            try? FileManager.default.removeItem(at: temporary)
            throw error
        }
    }
}
