import Foundation

/// Images from PNG files: a labelled set laid out as one subfolder per class (as
/// torchvision's `ImageFolder`), or an unlabelled list of files and folders to score.
///
/// All images of a set must share one size. Hidden entries (names starting with ".") are
/// skipped; every other file must be a readable PNG.
public enum PNGFolder {
    /// Most bytes a whole set may decode to (4 GiB), checked from the headers before decoding.
    static let maximumTotalBytes = 1 << 32

    /// The labelled set in `directory`: each subfolder is a class, named by the folder;
    /// classes are sorted by name and labelled 0, 1, … in that order. Files directly in
    /// `directory` are ignored (a README may sit there).
    ///
    /// - Parameters:
    ///   - grayscale: `true` reads every image as grey (1 channel), `false` as RGB (3
    ///     channels); `nil` reads grey when every file is grey, RGB when every file is colour,
    ///     and refuses a set that mixes them (converting silently would change what the model is).
    ///   - mixedAsRGB: with `grayscale` nil, reads a mixed set as RGB instead of refusing it:
    ///     how sets were read before the refusal, which runs trained then still need.
    /// - Throws: `DatasetError` naming the file or folder: a missing folder, no class
    ///   subfolders, an empty class folder, a folder inside a class folder, a file that is
    ///   not a readable PNG, an image whose size differs from the first one's, or (without
    ///   `grayscale`) grey and colour images mixed.
    public static func load(directory: URL, grayscale: Bool? = nil, mixedAsRGB: Bool = false) throws -> ImageDataset {
        let layout = "expected a folder with one subfolder of PNG images per class"
        guard isDirectory(directory) else {
            throw DatasetError.missing(path: directory.path, advice: layout)
        }
        let classFolders = try visibleEntries(of: directory).filter(isDirectory)
        guard !classFolders.isEmpty else {
            throw DatasetError.malformed(path: directory.path, reason: "no class subfolders (\(layout))")
        }
        var files: [URL] = []
        var labels: [Int] = []
        for (label, folder) in classFolders.enumerated() {
            let images = try imageFiles(in: folder)
            files += images
            labels += Array(repeating: label, count: images.count)
        }
        return try assemble(
            name: directory.lastPathComponent, files: files, labels: labels,
            classNames: classFolders.map(\.lastPathComponent), grayscale: grayscale, mixedAsRGB: mixedAsRGB)
    }

    /// Unlabelled images (label −1) from PNG files and folders of PNG files, in the order
    /// given (a folder's files sorted by name), for scoring a user's own images.
    /// `sources` of the result says which file each image came from.
    ///
    /// - Throws: as `load(directory:grayscale:)`, for each path.
    public static func loadUnlabeled(paths: [URL], grayscale: Bool? = nil) throws -> ImageDataset {
        precondition(!paths.isEmpty, "PNGFolder.loadUnlabeled: no paths")
        var files: [URL] = []
        for path in paths {
            if isDirectory(path) {
                files += try imageFiles(in: path)
            } else if FileManager.default.fileExists(atPath: path.path) {
                files.append(path)
            } else {
                throw DatasetError.missing(path: path.path, advice: "expected a PNG file or a folder of PNG files")
            }
        }
        let name = paths.count == 1 ? paths[0].lastPathComponent : "images"
        return try assemble(
            name: name, files: files, labels: Array(repeating: -1, count: files.count),
            classNames: [], grayscale: grayscale)
    }

    /// Reads the headers (sizes, colour), checks them, then decodes every file into one
    /// N×C×H×W buffer.
    private static func assemble(
        name: String, files: [URL], labels: [Int], classNames: [String],
        grayscale: Bool?, mixedAsRGB: Bool = false
    ) throws -> ImageDataset {
        let headers = try files.map(PNGImage.header(of:))
        guard let first = headers.first, let firstFile = files.first else {
            preconditionFailure("PNGFolder: no files to assemble")  // callers refuse empty folders
        }
        for (file, header) in zip(files, headers) where header.width != first.width || header.height != first.height {
            throw DatasetError.malformed(
                path: file.path,
                reason: "image is \(header.width)×\(header.height) but \(firstFile.lastPathComponent) is "
                    + "\(first.width)×\(first.height); all images of a set must have one size")
        }
        if grayscale == nil, !mixedAsRGB, let color = zip(files, headers).first(where: { $0.1.isColor }),
            let grey = zip(files, headers).first(where: { !$0.1.isColor })
        {
            let colorCount = headers.count(where: \.isColor)
            throw DatasetError.malformed(
                path: commonFolder(files).path,
                reason:
                    "mixes colour and grey images (\(colorCount) colour, e.g. \(color.0.path); \(headers.count - colorCount) grey, "
                    + "e.g. \(grey.0.path)); say how to read them: 3 channels (RGB) or 1 (grey) — joule train's --channels 3 or --channels 1"
            )
        }
        let channels = (grayscale ?? !headers.contains(where: \.isColor)) ? 1 : 3
        let plane = first.width * first.height
        let imageSize = plane * channels
        let (total, overflow) = imageSize.multipliedReportingOverflow(by: files.count)
        guard !overflow, total <= maximumTotalBytes else {
            throw DatasetError.malformed(
                path: firstFile.deletingLastPathComponent().path,
                reason:
                    "\(files.count) images of \(first.width)×\(first.height)×\(channels) exceed the \(maximumTotalBytes) bytes this reader accepts"
            )
        }

        var pixels = [UInt8](repeating: 0, count: total)
        var interleaved = [UInt8](repeating: 0, count: imageSize)  // libpng's H×W×C order
        for (index, file) in files.enumerated() {
            try interleaved.withUnsafeMutableBufferPointer { buffer in
                try PNGImage.read(
                    file, channels: channels, expectedWidth: first.width,
                    expectedHeight: first.height, into: buffer)
            }
            // To the engine's C×H×W order.
            let base = index * imageSize
            for c in 0..<channels {
                for p in 0..<plane { pixels[base + c * plane + p] = interleaved[p * channels + c] }
            }
        }
        return ImageDataset(
            name: name, pixels: pixels, labels: labels, channels: channels,
            height: first.height, width: first.width, classNames: classNames,
            sources: files.map(\.path))
    }

    /// The deepest folder holding every file.
    private static func commonFolder(_ files: [URL]) -> URL {
        var parts = files[0].deletingLastPathComponent().pathComponents
        for file in files.dropFirst() {
            let other = file.deletingLastPathComponent().pathComponents
            parts = Array(zip(parts, other).prefix { $0 == $1 }.map(\.0))
        }
        return URL(fileURLWithPath: parts.isEmpty ? "/" : NSString.path(withComponents: parts))
    }

    /// The files of a class (or unlabelled) folder, sorted by name; it must hold at least
    /// one and no subfolders.
    private static func imageFiles(in folder: URL) throws -> [URL] {
        let entries = try visibleEntries(of: folder)
        if let nested = entries.first(where: isDirectory) {
            throw DatasetError.malformed(
                path: nested.path,
                reason: "a folder inside '\(folder.lastPathComponent)', which should hold PNG files only")
        }
        guard !entries.isEmpty else {
            throw DatasetError.malformed(
                path: folder.path, reason: "folder '\(folder.lastPathComponent)' has no PNG files")
        }
        return entries
    }

    /// The entries of `folder` not starting with ".", sorted by name.
    private static func visibleEntries(of folder: URL) throws -> [URL] {
        do {
            return try FileManager.default.contentsOfDirectory(atPath: folder.path)
                .filter { !$0.hasPrefix(".") }
                .sorted()
                .map { folder.appendingPathComponent($0) }
        } catch {
            throw DatasetError.unreadable(path: folder.path, reason: "\(error.localizedDescription)")
        }
    }

    /// Whether `url` is a folder (following symbolic links).
    private static func isDirectory(_ url: URL) -> Bool {
        var flag: ObjCBool = false
        return FileManager.default.fileExists(atPath: url.path, isDirectory: &flag) && flag.boolValue
    }
}
