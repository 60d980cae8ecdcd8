import Foundation

/// Files fitted for one checkpoint and kept beside it, one version per fit, never
/// overwritten: `best.safetensors` → `best.KIND.v1.EXT`, `best.KIND.v2.EXT`, … (calibrators:
/// `best.calibrator.v1.json`; fitted scores: `best.scores.v1.safetensors`).
struct CheckpointSidecar {
    /// What the file holds: `calibrator`, `scores`.
    var kind: String
    /// The file extension without its dot: `json`, `safetensors`.
    var fileExtension: String
    /// Whether `STEM.KIND.EXT` (no version) is read as version 0: calibrators written before versions existed.
    var unversionedIsZero = false

    /// The file of `version` for the checkpoint file named `checkpoint`.
    func fileName(forCheckpoint checkpoint: String, version: Int) -> String {
        let stem = (checkpoint as NSString).deletingPathExtension
        return stem
            + (version == 0 && unversionedIsZero
                ? ".\(kind).\(fileExtension)" : ".\(kind).v\(version).\(fileExtension)")
    }

    /// Where version `version` for `checkpoint` lives.
    func url(forCheckpoint checkpoint: URL, version: Int) -> URL {
        checkpoint.deletingLastPathComponent().appendingPathComponent(
            fileName(forCheckpoint: checkpoint.lastPathComponent, version: version))
    }

    /// The versions stored for `checkpoint`, oldest first.
    func versions(forCheckpoint checkpoint: URL) -> [Int] {
        let stem = checkpoint.deletingPathExtension().lastPathComponent
        let names =
            (try? FileManager.default.contentsOfDirectory(atPath: checkpoint.deletingLastPathComponent().path)) ?? []
        return names.compactMap { version(ofFileNamed: $0, stem: stem) }.sorted()
    }

    /// The version a file name gives: `STEM.KIND.vN.EXT` is N (and `STEM.KIND.EXT` 0 where that is read);
    /// any other name is none.
    func version(ofFileNamed name: String, stem: String) -> Int? {
        if unversionedIsZero && name == "\(stem).\(kind).\(fileExtension)" { return 0 }
        let prefix = "\(stem).\(kind).v"
        let suffix = ".\(fileExtension)"
        guard name.hasPrefix(prefix), name.hasSuffix(suffix), name.count > prefix.count + suffix.count else {
            return nil
        }
        let digits = String(name.dropFirst(prefix.count).dropLast(suffix.count))
        guard let version = Int(digits), version > 0, String(version) == digits else { return nil }
        return version
    }

    /// Writes the next version beside `checkpoint`, never replacing a file and never showing a partial one:
    /// `contents(version)` is written whole to a temporary file, synced, then linked under the version's name,
    /// which fails if another process took it first (then the next version is tried).
    func writeNextVersion(forCheckpoint checkpoint: URL, contents: (Int) throws -> Data) throws -> (
        version: Int, url: URL
    ) {
        let folder = checkpoint.deletingLastPathComponent()
        let temporary = folder.appendingPathComponent(".\(kind).tmp-\(getpid())-\(UInt32.random(in: 0...UInt32.max))")
        defer { unlink(temporary.path) }
        while true {
            let version = (versions(forCheckpoint: checkpoint).last ?? 0) + 1
            let data = try contents(version)
            let descriptor = open(temporary.path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
            guard descriptor >= 0 else {
                throw EvaluationError.invalid("\(temporary.path): cannot create (\(String(cString: strerror(errno))))")
            }
            let written = data.withUnsafeBytes { Foundation.write(descriptor, $0.baseAddress, $0.count) }
            let synced = fsync(descriptor) == 0
            close(descriptor)
            guard written == data.count, synced else {
                throw EvaluationError.invalid("\(temporary.path): write failed")
            }
            let url = url(forCheckpoint: checkpoint, version: version)
            if link(temporary.path, url.path) == 0 { return (version, url) }
            guard errno == EEXIST else {
                throw EvaluationError.invalid("\(url.path): cannot create (\(String(cString: strerror(errno))))")
            }
        }
    }

    /// The file's bytes, refusing one larger than `maximumBytes`.
    static func contents(of url: URL, maximumBytes: Int, what: String) throws -> Data {
        guard FileManager.default.fileExists(atPath: url.path) else {
            throw EvaluationError.invalid("\(url.path): no such \(what)")
        }
        let attributes = try? FileManager.default.attributesOfItem(atPath: url.path)
        guard let size = attributes?[.size] as? Int, size <= maximumBytes,
            let data = FileManager.default.contents(atPath: url.path)
        else {
            throw EvaluationError.invalid("\(url.path): unreadable or larger than \(maximumBytes >> 20) MiB")
        }
        return data
    }
}
