import Foundation

/// How a training run ended.
public enum RunOutcome: Sendable, Equatable {
    case finished
    /// Stopped by a signal (Ctrl-C, SIGTERM); the reason says which and where.
    case stopped(reason: String)
    case failed(reason: String)
}

/// Where a training run reports as it goes: metrics, files, its end. The trainer knows only
/// this; the run store's adapter (`RunRecording.StoreRecorder`) keeps the record in SQLite.
///
/// A recorder that cannot write should keep the run going (losing its record beats losing
/// the run) and say so once; only `end` reports its failure.
public protocol RunRecorder: AnyObject {
    /// Values at a step (the recorder may batch them).
    func log(_ values: [(String, Double)], step: Int)
    /// Writes what is batched now: called before every checkpoint, so the record holds each
    /// step a checkpoint has seen.
    func flush()
    /// A file the run wrote: `final` files (sample grids) stay as they are; the others
    /// (checkpoints) are rewritten as the run goes.
    func recordFile(_ url: URL, kind: String, final: Bool)
    /// Marks the run's end.
    func end(_ outcome: RunOutcome) throws
    /// Seconds spent recording so far (its share of a run's time is the logging cost).
    var secondsRecording: Double { get }
}
