import Tensors

/// A labelled set of same-sized images, kept as bytes.
///
/// Pixels are stored as `UInt8`, N×C×H×W row-major, so that holding Fashion-MNIST's
/// 60,000 training images costs 47 MB rather than 188 MB of floats; `batch(_:)` converts
/// only the images a step asks for.
public struct ImageDataset: Sendable {
    /// A short name for reports ("fashion-mnist-train", a folder's name).
    public var name: String
    /// Every image's bytes, N×C×H×W row-major, 0 (black) to 255 (white).
    public let pixels: [UInt8]
    /// Each image's class, an index into `classNames`; −1 for unlabelled images.
    public let labels: [Int]
    /// Channels per image: 1 (grey) or 3 (RGB).
    public let channels: Int
    /// Rows per image.
    public let height: Int
    /// Columns per image.
    public let width: Int
    /// The name of each class, in label order.
    public let classNames: [String]
    /// The file each image came from, for sets read from image files; empty otherwise.
    public let sources: [String]

    /// A dataset from its parts; sizes that disagree are programming errors.
    public init(
        name: String, pixels: [UInt8], labels: [Int], channels: Int, height: Int, width: Int,
        classNames: [String], sources: [String] = []
    ) {
        precondition(
            channels >= 1 && height >= 1 && width >= 1,
            "ImageDataset(\(name)): image shape \(channels)×\(height)×\(width) must be positive")
        precondition(
            pixels.count == labels.count * channels * height * width,
            "ImageDataset(\(name)): \(pixels.count) pixels do not hold \(labels.count) images of \(channels)×\(height)×\(width)"
        )
        precondition(
            labels.allSatisfy { $0 == -1 || (0..<classNames.count).contains($0) },
            "ImageDataset(\(name)): a label is outside -1 or 0..<\(classNames.count)")
        precondition(
            sources.isEmpty || sources.count == labels.count,
            "ImageDataset(\(name)): \(sources.count) sources for \(labels.count) images")
        self.name = name
        self.pixels = pixels
        self.labels = labels
        self.channels = channels
        self.height = height
        self.width = width
        self.classNames = classNames
        self.sources = sources
    }

    /// Number of images.
    public var count: Int { labels.count }

    /// Bytes per image: C·H·W.
    public var imageSize: Int { channels * height * width }

    /// How many images carry each label, in label order (unlabelled images are not counted).
    public var classCounts: [Int] {
        var counts = [Int](repeating: 0, count: classNames.count)
        for label in labels where label >= 0 { counts[label] += 1 }
        return counts
    }

    /// The images at `indices` as a Float32 tensor [B, C, H, W] scaled to [−1, 1]
    /// (x / 127.5 − 1), with their labels. Only the requested images are converted.
    public func batch(_ indices: [Int]) -> (images: Tensor, labels: [Int]) {
        checkIndices(indices, in: "batch")
        let size = imageSize
        var images = Tensor.zeros([indices.count, channels, height, width])
        images.withUnsafeMutableBufferPointer { out in
            pixels.withUnsafeBufferPointer { source in
                for (slot, index) in indices.enumerated() {
                    let from = index * size
                    let to = slot * size
                    for k in 0..<size { out[to + k] = Float(source[from + k]) / 127.5 - 1 }
                }
            }
        }
        return (images, indices.map { labels[$0] })
    }

    /// A dataset of the images at `indices`, in that order (repeats allowed).
    public func subset(_ indices: [Int]) -> ImageDataset {
        checkIndices(indices, in: "subset")
        let size = imageSize
        var chosen = [UInt8]()
        chosen.reserveCapacity(indices.count * size)
        for index in indices { chosen.append(contentsOf: pixels[index * size..<(index + 1) * size]) }
        return ImageDataset(
            name: name, pixels: chosen, labels: indices.map { labels[$0] },
            channels: channels, height: height, width: width, classNames: classNames,
            sources: sources.isEmpty ? [] : indices.map { sources[$0] })
    }

    private func checkIndices(_ indices: [Int], in operation: String) {
        for index in indices {
            precondition(
                index >= 0 && index < count,
                "ImageDataset.\(operation): index \(index) is out of range 0..<\(count) (\(name))")
        }
    }
}
