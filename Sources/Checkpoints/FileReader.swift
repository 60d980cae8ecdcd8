import Foundation

/// A regular file open for reading, read in bounded pieces at explicit offsets.
///
/// Every read asks for a count the caller has already checked against the file's real size
/// and the reader's limits, so nothing here is sized by what a file claims. Reads go
/// straight into their destination (a tensor's buffer for F32 data) with `pread`, which
/// also reports the system's reason for a failure.
final class FileReader {
    /// The file's path, for errors.
    let path: String
    /// Its size in bytes when opened.
    let size: Int
    private let descriptor: Int32

    /// Opens `path`, refusing anything but a regular file.
    init(path: String) throws {
        self.path = path
        // O_NONBLOCK so that a FIFO at `path` is refused below instead of blocking the open.
        let descriptor = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK)
        guard descriptor >= 0 else {
            throw CheckpointError(path: path, problem: .cannotOpen(reason: errorText(errno)))
        }
        var status = stat()
        guard fstat(descriptor, &status) == 0 else {
            let code = errno
            close(descriptor)
            throw CheckpointError(path: path, problem: .cannotOpen(reason: errorText(code)))
        }
        guard status.st_mode & S_IFMT == S_IFREG else {
            close(descriptor)
            throw CheckpointError(path: path, problem: .notARegularFile)
        }
        self.descriptor = descriptor
        self.size = Int(status.st_size)
    }

    deinit { close(descriptor) }

    /// Fills `buffer` from `offset`, failing if the file ends first.
    func read(into buffer: UnsafeMutableRawBufferPointer, at offset: Int) throws {
        guard let base = buffer.baseAddress else { return }
        var done = 0
        while done < buffer.count {
            // Linux reads at most about 2 GiB per call; ask for 1 GiB at a time.
            let n = systemRead(descriptor, base + done, min(buffer.count - done, 1 << 30), at: offset + done)
            if n < 0 {
                let code = errno
                if code == EINTR { continue }
                throw CheckpointError(path: path, problem: .readFailed(reason: errorText(code)))
            }
            // The file shrank since it was measured.
            guard n > 0 else {
                throw CheckpointError(
                    path: path,
                    problem: .truncated(
                        expectedBytes: offset + buffer.count,
                        readBytes: offset + done))
            }
            done += n
        }
    }

    /// `count` bytes from `offset`.
    func bytes(count: Int, at offset: Int) throws -> [UInt8] {
        var bytes = [UInt8](repeating: 0, count: count)
        try bytes.withUnsafeMutableBytes { try read(into: $0, at: offset) }
        return bytes
    }
}
