import Foundation

/// Whole-file reads with a size cap, decompressing gzip when the file starts with its magic.
///
/// Datasets are read whole: the largest (Fashion-MNIST's training images) is 47 MB
/// uncompressed, and parsing from memory keeps every format check simple.
enum FileBytes {
    /// 1 GiB: far above any dataset this library reads, far below what would exhaust the
    /// machine. It bounds both the file on disk and what a gzip stream may inflate to.
    static let defaultMaximumBytes = 1 << 30

    /// The file's bytes, gunzipped when they start with the gzip magic 1f 8b.
    static func readDecompressing(_ url: URL, maximumBytes: Int = defaultMaximumBytes) throws -> [UInt8] {
        let raw = try read(url, maximumBytes: maximumBytes)
        guard Gzip.isCompressed(raw) else { return raw }
        return try Gzip.decompress(raw, maximumBytes: maximumBytes, path: url.path)
    }

    /// The reason given for a path that is a directory.
    static let isDirectoryReason = "it is a directory, not a file"

    /// The file's bytes as they are on disk.
    static func read(_ url: URL, maximumBytes: Int = defaultMaximumBytes) throws -> [UInt8] {
        let path = url.path
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw DatasetError.missing(path: path, advice: "no such file")
        }
        guard !isDirectory.boolValue else {
            throw DatasetError.unreadable(path: path, reason: isDirectoryReason)
        }
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { throw DatasetError.unreadable(path: path, reason: errorText()) }
        defer { close(fd) }

        var info = stat()
        guard fstat(fd, &info) == 0 else { throw DatasetError.unreadable(path: path, reason: errorText()) }
        let size = Int(info.st_size)
        guard size <= maximumBytes else {
            throw DatasetError.malformed(
                path: path, reason: "file is \(size) bytes, more than the \(maximumBytes) this reader accepts")
        }

        var failure: String?
        let bytes = [UInt8](unsafeUninitializedCapacity: size) { buffer, initialized in
            initialized = 0
            guard let base = buffer.baseAddress else { return }  // an empty file
            while initialized < size {
                let got = Foundation.read(fd, base + initialized, size - initialized)
                if got < 0 {
                    if errno == EINTR { continue }
                    failure = errorText()
                    return
                }
                // The file shrank while we read it: keep what is there; the format checks
                // will report the short file.
                if got == 0 { return }
                initialized += got
            }
        }
        if let failure { throw DatasetError.unreadable(path: path, reason: failure) }
        return bytes
    }

    /// The C library's text for the current `errno`.
    static func errorText() -> String { String(cString: strerror(errno)) }
}
