import ArgumentParser
import Foundation
import RunLog

/// `joule runs write-metrics`: logs synthetic metrics to a run — a load generator for
/// testing the store under concurrent writers and interrupted transactions, and for the
/// scale benchmark. Hidden from help.
struct RunsWriteMetricsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "write-metrics", abstract: "Log synthetic metrics (store testing).", shouldDisplay: false)

    @Option var runsDb: String
    @Option(name: .customLong("run")) var runID: String
    @Option var count = 10_000
    @Option(help: "Metrics per transaction.") var batch = 100
    @Option(help: "Distinct metric keys.") var keys = 1
    @Option(help: "After the first batch, keep a transaction open this many seconds (to be killed).") var holdSeconds:
        Double?

    func run() throws {
        try reportingErrors("runs write-metrics") {
            let store = try RunStore(path: runsDb)
            if (try? store.run(runID).id) != runID {
                try store.createRun(NewRun(id: runID, params: ["writer": "synthetic"]))
            }
            var step = 0
            while step < count {
                let n = min(batch, count - step)
                let records = (0..<n).map { i in
                    MetricRecord(key: "m\((step + i) % keys)", step: (step + i) / keys, value: sin(Double(step + i)))
                }
                if let holdSeconds, step > 0 {
                    try store.transaction {
                        try store.logMetrics(records, for: runID)
                        FileHandle.standardOutput.write(Data("holding\n".utf8))
                        Thread.sleep(forTimeInterval: holdSeconds)
                    }
                } else {
                    try store.logMetrics(records, for: runID)
                }
                step += n
            }
            try store.endRun(id: runID, status: .finished)
            print("wrote \(count) metrics to \(runID)")
        }
    }
}
