import Foundation

/// Buffers a run's metrics in memory and writes them in batched transactions — one commit
/// per few seconds rather than per value — so logging costs a small share of training.
public final class MetricLogger {
    /// The store the values are written to.
    public let store: RunStore
    /// The run the values belong to.
    public let runID: String
    /// Pending values are written once this many seconds passed since the last write...
    public var flushInterval: TimeInterval
    /// ...or once this many are pending.
    public var maximumPending: Int
    /// Wall time spent writing so far (for measuring the logging overhead).
    public private(set) var secondsWriting: Double = 0
    /// Rows written so far.
    public private(set) var rowsWritten = 0

    private var pending: [MetricRecord] = []
    private var lastFlush = Date()

    /// A logger for run `runID` in `store` that writes once `flushInterval` seconds (default 5) have passed or
    /// `maximumPending` values (default 10,000) are waiting, checked as each value is logged.
    public init(store: RunStore, runID: String, flushInterval: TimeInterval = 5, maximumPending: Int = 10_000) {
        self.store = store
        self.runID = runID
        self.flushInterval = flushInterval
        self.maximumPending = maximumPending
    }

    /// Logs one value; writes the batch when it is due.
    public func log(_ key: String, _ value: Double, step: Int) throws {
        pending.append(MetricRecord(key: key, step: step, value: value))
        try flushIfDue()
    }

    /// Logs several values at one step; writes the batch when it is due.
    public func log(_ values: [(String, Double)], step: Int) throws {
        let now = Date()
        pending.append(contentsOf: values.map { MetricRecord(key: $0.0, step: step, value: $0.1, timestamp: now) })
        try flushIfDue()
    }

    /// Writes everything pending now.
    public func flush() throws {
        guard !pending.isEmpty else { return }
        let start = DispatchTime.now().uptimeNanoseconds
        try store.logMetrics(pending, for: runID)
        rowsWritten += pending.count
        pending.removeAll(keepingCapacity: true)
        lastFlush = Date()
        secondsWriting += Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
    }

    private func flushIfDue() throws {
        if pending.count >= maximumPending || Date().timeIntervalSince(lastFlush) >= flushInterval { try flush() }
    }
}
