import Checkpoints
import Foundation
import Runs
import Tensors

/// How both trainers write a run's checkpoints, so a run killed at any moment can resume
/// with its record whole.
enum CheckpointSaving {
    /// Writes `checkpoint` atomically to `last` (and to `best` when given).
    ///
    /// Pending metrics are committed first: once a checkpoint at step S is on disk, every
    /// metric up to S is in the run store, and a resume from S (which forgets later rows
    /// and logs those steps again) leaves no step missing or doubled.
    static func save(_ checkpoint: TrainingCheckpoint, last: URL, best: URL?, recorder: (any RunRecorder)?) throws {
        recorder?.flush()
        try checkpoint.write(to: last)
        recorder?.recordFile(last, kind: "checkpoint", final: false)
        if let best {
            try checkpoint.write(to: best)
            recorder?.recordFile(best, kind: "checkpoint-best", final: false)
        }
        // A checkpoint comes after the epoch's bursts — validation batches, the checkpoint's
        // encoding (its JSON progress alone is megabytes for a large training set) — whose
        // freed pages malloc would keep (measured: +15–30 MB resident at the first epoch's
        // end of a JEM mlp run, kept for good). Once per checkpoint, a few milliseconds.
        FreedMemory.release()
    }

    /// Removes what killed runs left half-written beside the run's checkpoints (see
    /// `AbandonedTemporaries`), noting each on standard error; nil URLs (a dry run) are skipped.
    static func removeAbandonedTemporaries(beside checkpoints: [URL?]) {
        for url in checkpoints.compactMap({ $0 }) {
            for path in AbandonedTemporaries.remove(beside: url) {
                FileHandle.standardError.write(Data("joule: removed \(path), left half-written by a killed run\n".utf8))
            }
        }
    }
}
