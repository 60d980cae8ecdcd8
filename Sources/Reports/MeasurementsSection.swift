import Foundation

/// Every measurement of every run (each `joule evaluate` and `joule calibrate`, none
/// replacing another), folded: when, on which checkpoint, with which calibrator, on how
/// many in-distribution images. The report's numbers are the newest per dataset and score.
enum MeasurementsSection {
    static func render(_ runs: [ReportRun]) -> String? {
        let total = runs.reduce(0) { $0 + $1.measurements.count }
        guard total > 0 else { return nil }
        let header = [
            Cell.text("Run"), Cell.text("#"), Cell.text("Kind"), Cell.text("Measured"), Cell.text("Checkpoint"),
            Cell.text("In-distribution"), Cell.text("Calibrator"),
        ]
        var rows: [HTMLTable.Row] = []
        for (index, run) in runs.enumerated() {
            for m in run.measurements.reversed() {
                rows.append(
                    .cells([
                        Cell.runHeading(run, index: index), Cell(markup: String(m.id), className: "num"),
                        Cell.text(m.kind + (m.migrated ? " (from an older store)" : "")),
                        Cell.text(NumberFormat.timestamp(m.createdAt)), Cell.text(m.checkpoint),
                        Cell.text(
                            m.inDataset.map { set in set + (m.inCount.map { " (n \(NumberFormat.count($0)))" } ?? "") }),
                        Cell.text(m.calibrator ?? "none"),
                    ]))
            }
        }
        let table = HTMLTable(header: header, rowHeadingCount: 1, rows: rows).render()
        return reportSection(
            id: "measurements", title: "Measurements",
            content: folded("\(total) measurement\(total == 1 ? "" : "s"), newest first", table))
    }
}
