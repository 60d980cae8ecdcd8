import Foundation

/// Where a command's RUN_OR_CHECKPOINT argument points: a `.safetensors` file, or a run (its
/// id or a unique prefix) whose folder the run store records, or a run folder under the
/// checkpoint directory — its `last` or `best` checkpoint.
public enum CheckpointLocation {
    /// Which of a run's checkpoints: the best on validation, or the last written.
    public enum Which: String, CaseIterable, Sendable {
        case best, last
    }

    /// The checkpoint file, checked to exist.
    public static func resolve(_ runOrFile: String, checkpointDirectory: String?, which: Which, store: RunStoreLocation)
        throws -> URL
    {
        if runOrFile.hasSuffix(".safetensors") {
            let url = URL(fileURLWithPath: runOrFile)
            guard FileManager.default.fileExists(atPath: url.path) else {
                throw MissingCheckpoint(description: "no checkpoint at \(url.path)")
            }
            return url
        }
        // The store knows each run's folder, wherever its checkpoints went.
        var recorded: RunRecord?
        if checkpointDirectory == nil, store.exists, let reader = try? RunStore(path: store.path, readOnly: true) {
            recorded = try? reader.run(runOrFile)
        }
        let folder =
            recorded?.folder.map { URL(fileURLWithPath: $0, isDirectory: true) }
            ?? URL(fileURLWithPath: checkpointDirectory ?? "checkpoints", isDirectory: true)
            .appendingPathComponent(recorded?.id ?? runOrFile, isDirectory: true)
        let url = folder.appendingPathComponent("\(which.rawValue).safetensors")
        guard FileManager.default.fileExists(atPath: url.path) else {
            let known = recorded.map { " (run \($0.id) of \(store.path))" } ?? ""
            throw MissingCheckpoint(description: "no checkpoint at \(url.path)\(known)")
        }
        return url
    }
}

/// A run or checkpoint file that is not there; the message says where it was looked for.
public struct MissingCheckpoint: Error, CustomStringConvertible {
    /// "no checkpoint at PATH", naming the run and the store when the store knew the run.
    public let description: String
}
