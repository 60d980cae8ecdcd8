import Foundation
import Tensors
import Testing

@testable import Checkpoints

@Suite("Atomic writing")
struct AtomicWriteTests {
    let old: SafeTensors
    let new: SafeTensors

    init() throws {
        old = try SafeTensors([("w", Tensor([1, 2, 3]))], metadata: ["version": "old"])
        new = try SafeTensors([("w", Tensor([4, 5])), ("b", Tensor(6))], metadata: ["version": "new"])
    }

    @Test func anOverwriteReplacesTheContent() throws {
        try withTemporaryDirectory { directory in
            let url = directory.appendingPathComponent("model.safetensors")
            try old.write(to: url)
            try new.write(to: url)
            let read = try SafeTensors.read(from: url)
            #expect(read.metadata == ["version": "new"])
            #expect(read.names == ["w", "b"])
            #expect(try read.tensor(named: "w").scalars == [4, 5])
            #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path) == ["model.safetensors"])
        }
    }

    /// A failure at any step up to the rename (a full disk at `write`, an I/O error at
    /// `fsync` or `close`) leaves the previous file byte for byte and no temporary file.
    @Test(arguments: [AtomicFile.Step.create, .write, .sync, .close, .rename], [ENOSPC, EIO])
    func aFailureLeavesTheOldFileAndNoTemporary(step: AtomicFile.Step, code: Int32) throws {
        try withTemporaryDirectory { directory in
            let url = directory.appendingPathComponent("model.safetensors")
            try old.write(to: url)
            let before = try directoryContents(directory)
            let error = #expect(throws: CheckpointError.self) {
                try new.write(to: url, fault: AtomicFile.Fault(step: step, code: code))
            }
            #expect(
                error
                    == CheckpointError(
                        path: url.path,
                        problem: .writeFailed(operation: step.rawValue, reason: errorText(code))))
            #expect(try directoryContents(directory) == before)
            #expect(try SafeTensors.read(from: url).metadata == ["version": "old"])
        }
    }

    @Test func aFullDiskIsReportedInTheSystemsWords() throws {
        try withTemporaryDirectory { directory in
            let url = directory.appendingPathComponent("model.safetensors")
            let error = #expect(throws: CheckpointError.self) {
                try new.write(to: url, fault: AtomicFile.Fault(step: .write, code: ENOSPC))
            }
            #expect(error?.description == "\(url.path): write failed: No space left on device")
            let remaining = try FileManager.default.contentsOfDirectory(atPath: directory.path)
            #expect(remaining.isEmpty)
        }
    }

    /// After the rename the new file is in place; a failed directory fsync is still
    /// reported, as the rename may not survive a power cut. File systems that cannot
    /// fsync a directory at all (EINVAL) are not an error.
    @Test func aFailedDirectorySyncIsReportedAfterTheRename() throws {
        try withTemporaryDirectory { directory in
            let url = directory.appendingPathComponent("model.safetensors")
            try old.write(to: url)
            #expect(
                throws: CheckpointError(
                    path: url.path,
                    problem: .writeFailed(operation: "fsync directory", reason: errorText(EIO)))
            ) {
                try new.write(to: url, fault: AtomicFile.Fault(step: .syncDirectory, code: EIO))
            }
            #expect(try SafeTensors.read(from: url).metadata == ["version": "new"])
            #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path) == ["model.safetensors"])
        }
    }

    @Test func aMissingDirectoryFailsAtCreation() throws {
        try withTemporaryDirectory { directory in
            let url = directory.appendingPathComponent("absent/model.safetensors")
            #expect(
                throws: CheckpointError(
                    path: url.path,
                    problem: .writeFailed(
                        operation: "create temporary file",
                        reason: errorText(ENOENT)))
            ) {
                try new.write(to: url)
            }
        }
    }

    /// A real failure of `rename`: the destination is a non-empty directory. It stays as it
    /// was, and the temporary file is removed.
    @Test func aRealRenameFailureCleansUp() throws {
        try withTemporaryDirectory { directory in
            let url = directory.appendingPathComponent("model.safetensors")
            try FileManager.default.createDirectory(at: url, withIntermediateDirectories: false)
            try Data([1, 2, 3]).write(to: url.appendingPathComponent("inside"))
            let error = #expect(throws: CheckpointError.self) { try new.write(to: url) }
            guard case .writeFailed(let operation, _) = error?.problem else {
                Issue.record("expected a write failure, got \(String(describing: error))")
                return
            }
            #expect(operation == "rename")
            #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path) == ["model.safetensors"])
            #expect(try Data(contentsOf: url.appendingPathComponent("inside")) == Data([1, 2, 3]))
        }
    }

    @Test func onlyFileURLsAreWrittenOrRead() throws {
        let url = try #require(URL(string: "https://example.com/model.safetensors"))
        #expect(
            throws: CheckpointError(
                path: url.absoluteString,
                problem: .writeFailed(operation: "create temporary file", reason: "not a file URL"))
        ) {
            try new.write(to: url)
        }
        #expect(throws: CheckpointError(path: url.absoluteString, problem: .cannotOpen(reason: "not a file URL"))) {
            try SafeTensors.read(from: url)
        }
    }

    @Test func temporaryFilesAreHiddenBesideTheDestinationAndUnique() throws {
        let url = URL(fileURLWithPath: "/some/dir/model.safetensors")
        let first = AtomicFile.temporaryPath(for: url)
        let second = AtomicFile.temporaryPath(for: url)
        #expect(first != second)
        #expect(first.hasPrefix("/some/dir/.model.safetensors.tmp-\(getpid())-"))
        let long = URL(fileURLWithPath: "/d/" + String(repeating: "x", count: 300))
        #expect(URL(fileURLWithPath: AtomicFile.temporaryPath(for: long)).lastPathComponent.utf8.count < 255)
    }

    /// Writers racing on one destination: the survivor is one complete file, and no
    /// temporary file is left.
    @Test func concurrentWritersLeaveOneCompleteFile() async throws {
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("checkpoints-tests-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let url = directory.appendingPathComponent("model.safetensors")
        try await withThrowingTaskGroup(of: Void.self) { group in
            for writer in 0..<8 {
                group.addTask {
                    let values = Tensor(shape: [10_000], generating: { Float($0 + writer) })
                    try SafeTensors([("w", values)], metadata: ["writer": "\(writer)"]).write(to: url)
                }
            }
            try await group.waitForAll()
        }
        let read = try SafeTensors.read(from: url)
        let writer = try #require(read.metadata["writer"].flatMap { Int($0) })
        #expect(try read.tensor(named: "w").scalars == (0..<10_000).map { Float($0 + writer) })
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path) == ["model.safetensors"])
    }
}
