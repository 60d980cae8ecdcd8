import Foundation

/// Fashion-MNIST (Xiao, Rasul & Vollgraf 2017): 28×28 grey images of clothing in ten
/// classes, 60,000 for training and 10,000 for testing, read from its gzip IDX files.
///
/// Where the files are, first match wins: the `directory` argument, the environment
/// variable `JOULE_FASHION_MNIST_DIR`, then `/usr/share/datasets/fashion-mnist/`, where
/// the Debian package `dataset-fashion-mnist` installs them.
public enum FashionMNIST {
    /// The two published splits.
    public enum Split: String, Sendable, CaseIterable {
        /// 60,000 images (`train-*`).
        case train
        /// 10,000 images (`t10k-*`).
        case test

        /// The file-name prefix the distribution uses.
        var filePrefix: String { self == .train ? "train" : "t10k" }
    }

    /// Where the Debian package puts the files.
    public static let defaultDirectory = URL(fileURLWithPath: "/usr/share/datasets/fashion-mnist", isDirectory: true)

    /// The environment variable that overrides `defaultDirectory`.
    public static let environmentVariable = "JOULE_FASHION_MNIST_DIR"

    /// The class names, in label order.
    public static let classNames = [
        "T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
        "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot",
    ]

    /// One split, as grey images (C = 1) labelled 0…9.
    ///
    /// - Throws: `DatasetError` naming the path: a missing directory or file (with how to
    ///   install it), a malformed IDX file, image and label counts that disagree, or a
    ///   label outside 0…9.
    public static func load(split: Split, directory: URL? = nil) throws -> ImageDataset {
        let folder = resolveDirectory(explicit: directory, environment: ProcessInfo.processInfo.environment)
        let advice =
            "install the Debian package dataset-fashion-mnist (apt-get install dataset-fashion-mnist) "
            + "or set \(environmentVariable) to the folder holding its gzip IDX files"
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: folder.path, isDirectory: &isDirectory), isDirectory.boolValue
        else {
            throw DatasetError.missing(path: folder.path, advice: advice)
        }
        let imagesURL = folder.appendingPathComponent("\(split.filePrefix)-images-idx3-ubyte.gz")
        let labelsURL = folder.appendingPathComponent("\(split.filePrefix)-labels-idx1-ubyte.gz")
        for url in [imagesURL, labelsURL] where !FileManager.default.fileExists(atPath: url.path) {
            throw DatasetError.missing(path: url.path, advice: advice)
        }

        let images = try IDXFile.read(from: imagesURL)
        guard images.dimensions.count == 3 else {
            throw DatasetError.malformed(
                path: imagesURL.path,
                reason: "images must have 3 dimensions (count, rows, columns), found \(images.dimensions)")
        }
        let labels = try IDXFile.read(from: labelsURL)
        guard labels.dimensions.count == 1 else {
            throw DatasetError.malformed(
                path: labelsURL.path, reason: "labels must have 1 dimension, found \(labels.dimensions)")
        }
        guard images.dimensions[0] == labels.dimensions[0] else {
            throw DatasetError.malformed(
                path: labelsURL.path,
                reason:
                    "\(labels.dimensions[0]) labels for \(images.dimensions[0]) images in \(imagesURL.lastPathComponent)"
            )
        }
        if let bad = labels.bytes.firstIndex(where: { Int($0) >= classNames.count }) {
            throw DatasetError.malformed(
                path: labelsURL.path, reason: "label \(labels.bytes[bad]) of image \(bad) is outside 0…9")
        }
        return ImageDataset(
            name: "fashion-mnist-\(split.rawValue)", pixels: images.bytes, labels: labels.bytes.map(Int.init),
            channels: 1, height: images.dimensions[1], width: images.dimensions[2], classNames: classNames)
    }

    /// The folder to read: the argument, else the environment variable (when set and not
    /// empty), else the default.
    static func resolveDirectory(explicit: URL?, environment: [String: String]) -> URL {
        if let explicit { return explicit }
        if let value = environment[environmentVariable], !value.isEmpty {
            return URL(fileURLWithPath: value, isDirectory: true)
        }
        return defaultDirectory
    }
}
