import Foundation

/// Unlabelled grey images from one IDX file (MNIST's format: magic, then count × rows ×
/// columns unsigned bytes, optionally gzip-compressed), for scoring a user's images.
public enum IDXImages {
    /// Every image of the file, label −1; `sources` name the file and the image's index.
    ///
    /// - Throws: `DatasetError` naming the file: as `IDXFile.read`, or when the file does not
    ///   hold 3 dimensions (count, rows, columns).
    public static func load(from url: URL) throws -> ImageDataset {
        let (dimensions, bytes) = try IDXFile.read(from: url)
        guard dimensions.count == 3 else {
            throw DatasetError.malformed(
                path: url.path, reason: "images must have 3 dimensions (count, rows, columns), found \(dimensions)")
        }
        return ImageDataset(
            name: url.lastPathComponent, pixels: bytes, labels: Array(repeating: -1, count: dimensions[0]),
            channels: 1, height: dimensions[1], width: dimensions[2], classNames: [],
            sources: (0..<dimensions[0]).map { "\(url.path)#\($0)" })
    }
}
