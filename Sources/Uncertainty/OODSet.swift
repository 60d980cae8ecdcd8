import Datasets
import Foundation
import Tensors

/// A set of inputs that are not from the training distribution, against which detection is
/// measured. Synthetic sets are made from a seed in the reference set's image shape; bytes
/// map to the model's [−1, 1] inputs as x / 127.5 − 1.
public enum OODSet: Hashable, Sendable, CustomStringConvertible {
    /// The 5,000-image MNIST sample (`datasets/mnist_5k.csv.gz`): near (same format, other content).
    case mnist5k
    /// Every pixel uniform over 0…255, i.e. Uniform(−1, 1) inputs: far.
    case uniform
    /// Every pixel N(0, 1) in input space, clipped to [−1, 1]: far.
    case gaussian
    /// Every pixel of an image one value, uniform over 0…255 per image: far.
    case constant
    /// The pixel-wise mean of two test images drawn at random (JEM's "interp"): near.
    case interpolation
    /// A user's PNG images: a folder of class subfolders, a folder of PNG files, or one file.
    case folder(String)

    /// How reports group the sets.
    public enum Group: String, Sendable, Codable { case near, far, user }

    /// The name on the command line and in the store: `mnist-5k`, `uniform`, `gaussian`,
    /// `constant`, `interp`, or `png:PATH`.
    public var name: String {
        switch self {
        case .mnist5k: return "mnist-5k"
        case .uniform: return "uniform"
        case .gaussian: return "gaussian"
        case .constant: return "constant"
        case .interpolation: return "interp"
        case .folder(let path): return "png:\(path)"
        }
    }

    /// How far the set lies from the training data: near (`mnist-5k`, `interp`), far (`uniform`, `gaussian`,
    /// `constant`) or user (a user's PNG images).
    public var group: Group {
        switch self {
        case .mnist5k, .interpolation: return .near
        case .uniform, .gaussian, .constant: return .far
        case .folder: return .user
        }
    }

    /// Parses a name as `name` writes it.
    public init?(name: String) {
        switch name {
        case "mnist-5k": self = .mnist5k
        case "uniform": self = .uniform
        case "gaussian": self = .gaussian
        case "constant": self = .constant
        case "interp": self = .interpolation
        default:
            guard name.hasPrefix("png:"), name.count > 4 else { return nil }
            self = .folder(String(name.dropFirst(4)))
        }
    }

    /// The sets `joule evaluate` uses when not told otherwise.
    public static let defaults: [OODSet] = [.mnist5k, .uniform, .gaussian, .constant, .interpolation]
    /// Every name `init(name:)` accepts, for help and error messages (`FOLDER` stands for any path).
    public static let nameHelp = "mnist-5k, uniform, gaussian, constant, interp, png:FOLDER"

    /// The set's images, shaped like `reference` (the in-distribution test set).
    ///
    /// - Parameters:
    ///   - count: images in a synthetic set (MNIST-5k and folders keep their own size).
    ///   - mnist5k: where MNIST-5k's file is.
    /// - Throws: `DatasetError` naming the file when it is missing or malformed, or when its
    ///   images do not have the reference's shape.
    public func make(like reference: ImageDataset, count: Int, seed: UInt64, mnist5k: URL) throws -> ImageDataset {
        precondition(count >= 1, "OODSet.make: count \(count) must be positive")
        let size = reference.imageSize
        var generator = SeededGenerator(seed: seed)
        func synthetic(_ fill: (inout [UInt8], Int, inout SeededGenerator) -> Void) -> ImageDataset {
            var pixels = [UInt8](repeating: 0, count: count * size)
            for image in 0..<count { fill(&pixels, image * size, &generator) }
            return ImageDataset(
                name: name, pixels: pixels, labels: Array(repeating: -1, count: count),
                channels: reference.channels, height: reference.height, width: reference.width, classNames: [])
        }
        switch self {
        case .mnist5k:
            return try checked(try MNIST5k.load(from: mnist5k), like: reference, path: mnist5k.path)
        case .folder(let path):
            let url = URL(fileURLWithPath: path)
            func isFolder(_ path: String) -> Bool {
                var isDirectory: ObjCBool = false
                return FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) && isDirectory.boolValue
            }
            let hasClassFolders =
                isFolder(path)
                && ((try? FileManager.default.contentsOfDirectory(atPath: path)) ?? [])
                    .contains { !$0.hasPrefix(".") && isFolder(url.appendingPathComponent($0).path) }
            let grayscale = reference.channels == 1
            let set =
                hasClassFolders
                ? try PNGFolder.load(directory: url, grayscale: grayscale)
                : try PNGFolder.loadUnlabeled(paths: [url], grayscale: grayscale)
            return try checked(set, like: reference, path: path)
        case .uniform:
            return synthetic { pixels, offset, g in
                for k in 0..<size { pixels[offset + k] = UInt8.random(in: 0...255, using: &g) }
            }
        case .gaussian:
            return synthetic { pixels, offset, g in
                let z = Tensor(randomNormal: [size], using: &g)
                z.withUnsafeBufferPointer { p in
                    for k in 0..<size { pixels[offset + k] = UInt8(((min(max(p[k], -1), 1) + 1) * 127.5).rounded()) }
                }
            }
        case .constant:
            return synthetic { pixels, offset, g in
                let value = UInt8.random(in: 0...255, using: &g)
                for k in 0..<size { pixels[offset + k] = value }
            }
        case .interpolation:
            return synthetic { pixels, offset, g in
                let a = Int.random(in: 0..<reference.count, using: &g) * size
                let b = Int.random(in: 0..<reference.count, using: &g) * size
                for k in 0..<size {
                    pixels[offset + k] = UInt8((Int(reference.pixels[a + k]) + Int(reference.pixels[b + k]) + 1) / 2)
                }
            }
        }
    }

    private func checked(_ set: ImageDataset, like reference: ImageDataset, path: String) throws -> ImageDataset {
        guard set.channels == reference.channels, set.height == reference.height, set.width == reference.width else {
            throw DatasetError.malformed(
                path: path,
                reason: "images are \(set.channels)×\(set.height)×\(set.width) but the model takes "
                    + "\(reference.channels)×\(reference.height)×\(reference.width)")
        }
        var renamed = set
        renamed.name = name
        return renamed
    }
}

extension OODSet {
    /// The canonical name, as commands take it.
    public var description: String { name }
}
