import Foundation

/// Replaces a file's contents all at once: readers and crashes see the old file or the new,
/// never a mixture.
///
/// The bytes go to a temporary file in the destination's directory (so `rename` stays on one
/// file system and is atomic), which is `fsync`ed, closed and renamed over the destination;
/// the directory is then `fsync`ed so the rename itself survives a power cut. On any
/// failure before the rename the temporary file is removed and the destination is untouched.
struct AtomicFile {
    /// The system calls that can fail, in order; tests inject a failure at each.
    enum Step: String, CaseIterable, Sendable {
        case create = "create temporary file"
        case write = "write"
        case sync = "fsync"
        case close = "close"
        case rename = "rename"
        case syncDirectory = "fsync directory"
    }

    /// A failure to simulate: `step` fails with `errno` `code` (e.g. `ENOSPC` at `.write`).
    struct Fault: Sendable {
        var step: Step
        var code: Int32
    }

    /// Writes through an open temporary file, retrying short and interrupted writes.
    struct Sink {
        fileprivate let descriptor: Int32
        fileprivate let fault: Fault?
        fileprivate let path: String

        /// Writes all of `bytes`.
        func write(_ bytes: UnsafeRawBufferPointer) throws {
            guard var next = bytes.baseAddress else { return }
            var remaining = bytes.count
            while remaining > 0 {
                // Linux writes at most about 2 GiB per call; ask for 1 GiB at a time.
                let written = try AtomicFile.call(.write, fault, path) {
                    systemWrite(descriptor, next, min(remaining, 1 << 30))
                }
                next += written
                remaining -= written
            }
        }

        /// Writes all of `bytes`.
        func write(_ bytes: [UInt8]) throws {
            try bytes.withUnsafeBytes { try write($0) }
        }
    }

    /// Writes the file at `url` with the bytes `body` sends to the sink.
    ///
    /// - Throws: `CheckpointError.Problem.writeFailed`, naming the step and the system's
    ///   reason, or whatever `body` throws.
    static func write(to url: URL, fault: Fault? = nil, _ body: (Sink) throws -> Void) throws {
        guard url.isFileURL else {
            throw CheckpointError(
                path: url.absoluteString,
                problem: .writeFailed(operation: Step.create.rawValue, reason: "not a file URL"))
        }
        let path = url.path
        let directory = url.deletingLastPathComponent().path
        let temporary = temporaryPath(for: url)

        let descriptor = try call(.create, fault, path) {
            open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        }
        var isOpen = true
        do {
            try body(Sink(descriptor: descriptor, fault: fault, path: path))
            _ = try call(.sync, fault, path) { fsync(descriptor) }
            isOpen = false
            // Network file systems report some write errors only at close.
            _ = try call(.close, fault, path) { close(descriptor) }
            _ = try call(.rename, fault, path) { rename(temporary, path) }
        } catch {
            if isOpen { close(descriptor) }
            unlink(temporary)
            throw error
        }
        try syncDirectory(directory, fault: fault, path: path)
    }

    /// Makes the rename durable. The destination already holds the new bytes when this
    /// fails, but a power cut could still undo the rename, so the failure is reported.
    private static func syncDirectory(_ directory: String, fault: Fault?, path: String) throws {
        let descriptor = try call(.syncDirectory, fault, path) {
            open(directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        }
        defer { close(descriptor) }
        do {
            _ = try call(.syncDirectory, fault, path) { fsync(descriptor) }
        } catch let error as CheckpointError {
            // Some file systems cannot fsync a directory at all; nothing more can be done there.
            guard case .writeFailed(_, let reason) = error.problem,
                reason != errorText(EINVAL), reason != errorText(ENOTSUP)
            else { return }
            throw error
        }
    }

    /// `.NAME.tmp-PID-RANDOM` beside the destination: hidden, and unique across processes
    /// and across writers within one process.
    static func temporaryPath(for url: URL) -> String {
        // Keep the whole name within the 255-byte limit of most file systems.
        let name = String(url.lastPathComponent.utf8.prefix(200)) ?? "checkpoint"
        let random = String(UInt64.random(in: .min ... .max), radix: 16)
        return url.deletingLastPathComponent().appendingPathComponent(
            ".\(name).tmp-\(getpid())-\(random)"
        ).path
    }

    /// Runs one system call, retrying on `EINTR`, and turns a failure (real or injected)
    /// into a `CheckpointError` naming the destination.
    fileprivate static func call<R: BinaryInteger>(
        _ step: Step, _ fault: Fault?, _ path: String, _ syscall: () -> R
    ) throws -> R {
        while true {
            let result: R
            let code: Int32
            if let fault, fault.step == step {
                result = -1
                code = fault.code
            } else {
                result = syscall()
                code = errno
            }
            if result >= 0 { return result }
            if code == EINTR { continue }
            throw CheckpointError(
                path: path,
                problem: .writeFailed(
                    operation: step.rawValue,
                    reason: errorText(code)))
        }
    }
}
