/// The decision table: one column per run, one row per number that decides between runs —
/// accuracy, NLL, ECE and Brier before and after calibration, sample quality where measured,
/// a toy density's MMD², and the best
/// OOD AUROC against each set (with the score that reached it). Every number carries the
/// images it was measured on and the checkpoint; the best value of each row is marked.
enum SummarySection {
    /// One row: its label, how to read a run's value, and which way is better.
    private struct Row {
        var label: String
        var value: (RunDigest) -> ReportEvaluation?
        var note: (RunDigest) -> String? = { _ in nil }
        var higherIsBetter: Bool
    }

    /// The section, or `nil` when there are no runs.
    static func render(_ runs: [ReportRun], digests: [RunDigest]) -> String? {
        guard !runs.isEmpty else { return nil }
        var rows = [
            Row(label: "Accuracy", value: { $0.accuracy }, higherIsBetter: true),
            Row(label: "NLL", value: { $0.nll }, higherIsBetter: false),
            Row(label: "ECE", value: { $0.ece }, higherIsBetter: false),
        ]
        if digests.contains(where: { $0.brier != nil }) {
            rows.append(Row(label: "Brier", value: { $0.brier }, higherIsBetter: false))
        }
        if digests.contains(where: { $0.calibratedECE != nil }) {
            rows += [
                Row(
                    label: "NLL after calibration", value: { $0.calibratedNLL }, note: { $0.calibrationMethod },
                    higherIsBetter: false),
                Row(
                    label: "ECE after calibration", value: { $0.calibratedECE }, note: { $0.calibrationMethod },
                    higherIsBetter: false),
                Row(
                    label: "Brier after calibration", value: { $0.calibratedBrier }, note: { $0.calibrationMethod },
                    higherIsBetter: false),
            ]
        }
        // Sample quality, judged by a cross-entropy classifier (joule sample --evaluate).
        for (metric, label, higher) in [
            ("conditional_accuracy", "Conditional-sample accuracy", true),
            ("frechet_distance", "Fréchet distance of samples", false), ("precision", "Sample precision", true),
            ("recall", "Sample recall", true),
        ] where digests.contains(where: { $0.sampleQuality[metric] != nil }) {
            rows.append(Row(label: label, value: { $0.sampleQuality[metric] }, higherIsBetter: higher))
        }
        if digests.contains(where: { $0.mmd != nil }) {
            rows.append(
                Row(
                    label: "MMD² of samples", value: { $0.mmd },
                    note: { $0.mmdFloor.map { "data floor " + NumberFormat.compact($0.value) } }, higherIsBetter: false)
            )
        }
        rows += orderedSets(runs, digests).map { set in
            Row(
                label: "AUROC \(set)", value: { $0.bestAUROC[set] }, note: { $0.bestAUROC[set]?.score },
                higherIsBetter: true)
        }
        var table: [HTMLTable.Row] = [.cells([Cell.text("Status")] + runs.map(status))]
        for row in rows {
            let values = digests.map(row.value)
            let finite = values.compactMap { $0?.value }.filter(\.isFinite)
            let best = runs.count > 1 ? (row.higherIsBetter ? finite.max() : finite.min()) : nil
            table.append(
                .cells(
                    [Cell.text(row.label)]
                        + zip(values, digests).map { value, digest in
                            cell(value, note: row.note(digest), best: value.map { $0.value == best } ?? false)
                        }))
        }
        let header = [Cell(markup: "")] + runs.enumerated().map { Cell.runHeading($1, index: $0) }
        let note =
            "<p class=\"note\">Each number is the newest measured for its run (joule evaluate, joule calibrate); under it, the "
            + "images it was measured on (in-distribution / OOD) and the checkpoint with its training step; the best of each row is in "
            + "bold. AUROC: in-distribution positive, every score oriented so that higher means more in-distribution; the run's best "
            + "score per set.</p>\n"
        return reportSection(
            id: "summary", title: "Summary", content: HTMLTable(header: header, rows: table).render() + note)
    }

    /// The OOD sets of any run: near (MNIST, interpolations) first, then far, then users'.
    private static func orderedSets(_ runs: [ReportRun], _ digests: [RunDigest]) -> [String] {
        let groups = Dictionary(
            runs.flatMap(\.evaluations).map { ($0.dataset, $0.group ?? "") }, uniquingKeysWith: { a, _ in a })
        let rank = { (set: String) in ["near", "far", "user"].firstIndex(of: groups[set] ?? "") ?? 3 }
        return Set(digests.flatMap(\.bestAUROC.keys)).sorted { (rank($0), $0) < (rank($1), $1) }
    }

    /// What ran, how it ended and how long it took.
    private static func status(_ run: ReportRun) -> Cell {
        let what = [run.objective, run.model, run.dataset].compactMap { $0 }.joined(separator: " · ")
        let duration = RunDetailsSection.duration(run).map { " · " + $0.markup } ?? ""
        // What was trained, unless the run's label already says it.
        let shown = what.isEmpty || run.label.hasPrefix(what) ? "" : "<span class=\"sub\">\(escapeHTML(what))</span>"
        return Cell(markup: RunDetailsSection.status(run).markup + duration + shown)
    }

    /// A value to four digits with a note (the score, the calibrator) and its provenance under it.
    private static func cell(_ value: ReportEvaluation?, note: String?, best: Bool) -> Cell {
        guard let value else { return .missing }
        let number = Cell.number(value.value)
        let title = value.measurement.map { " title=\"measurement #\($0)\"" } ?? ""
        var markup = "<span\(title)>\(best ? "<strong>\(number.markup)</strong>" : number.markup)</span>"
        if let note { markup += " <span class=\"score\">\(escapeHTML(note))</span>" }
        if !value.provenance.isEmpty { markup += "<span class=\"sub\">\(escapeHTML(value.provenance))</span>" }
        return Cell(markup: markup, className: number.className)
    }
}

/// What a reader must not miss, run by run: runs that failed, scores whose direction is
/// wrong for the model, calibrators that made calibration worse.
enum WarningsSection {
    static func render(_ runs: [ReportRun], digests: [RunDigest]) -> String? {
        let all = zip(runs, digests).enumerated().flatMap { index, pair in
            pair.1.warnings.map { warning in
                (
                    isStatus: warning.hasPrefix("the run is "),
                    item: "<li>\(Palette.swatch(index))<strong>\(escapeHTML(pair.0.label))</strong>: "
                        + "\(escapeHTML(warning))</li>"
                )
            }
        }
        // A failed or interrupted run first, whichever run it is: it decides more than any one measure.
        let items = all.filter(\.isStatus).map(\.item) + all.filter { !$0.isStatus }.map(\.item)
        guard !items.isEmpty else { return nil }
        return reportSection(
            id: "warnings", title: "Warnings",
            content: "<ul class=\"warnings\">\n\(items.joined(separator: "\n"))\n</ul>\n")
    }
}
