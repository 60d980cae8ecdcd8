import Foundation

/// Where a command's RUN_OR_CHECKPOINT argument points: a `.safetensors` file, or a run id
/// under the checkpoint directory (its `last` or `best` checkpoint).
enum CheckpointLocation {
    /// The checkpoint file, checked to exist.
    static func resolve(_ runOrFile: String, checkpointDirectory: String?, which: String) throws -> URL {
        guard ["last", "best"].contains(which) else { throw ValidationErrorText("--checkpoint must be last or best") }
        let url = runOrFile.hasSuffix(".safetensors") ? URL(fileURLWithPath: runOrFile)
            : URL(fileURLWithPath: checkpointDirectory ?? "checkpoints").appendingPathComponent(runOrFile)
                .appendingPathComponent("\(which).safetensors")
        guard FileManager.default.fileExists(atPath: url.path) else {
            throw ValidationErrorText("no checkpoint at \(url.path)")
        }
        return url
    }
}
