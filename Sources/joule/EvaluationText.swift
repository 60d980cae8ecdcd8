import Evaluation
import Foundation
import Metrics

/// `joule evaluate`'s readable output: the classifier's numbers, then one OOD row per set
/// and score, then the conventions behind them.
enum EvaluationText {
    static func render(_ r: EvaluationResult) -> String {
        let step = r.checkpointStep.map { " @ step \($0)" } ?? ""
        var lines = [
            "run \(r.runID) (\((r.checkpoint as NSString).lastPathComponent)\(step)) on \(r.inDistribution): \(r.count) images"
                + (r.measurementID.map { ", stored as measurement #\($0)" } ?? "")
        ]
        lines += r.warnings.map { "warning: \($0)" }
        if let accuracy = r.accuracy {
            let f = { (v: Double?) in v.map { String(format: "%.4f", $0) } ?? "-" }
            lines.append(
                "accuracy \(f(accuracy))  nll \(f(r.nll))  brier \(f(r.brier))  ece \(f(r.ece))  mce \(f(r.mce))  "
                    + "rms-ce \(f(r.rmsCalibrationError))  (\(r.binning)\(r.calibrator.map { "; calibrated: \($0)" } ?? ""))"
            )
        } else {
            lines.append("accuracy: not applicable (no classifier head)")
        }
        if let bins = r.reliability {
            let f = { (v: Double?) in v.map { String(format: "%.4f", $0) } ?? "-" }
            let rows = bins.map { b in
                [
                    String(format: "%.3f–%.3f", b.lower, b.upper), String(b.count), f(b.meanConfidence), f(b.accuracy),
                    f(b.gap),
                ]
            }
            lines.append("")
            lines.append(OutputTable(columns: ["bin", "count", "confidence", "accuracy", "gap"], rows: rows).text())
        }
        if !r.conformal.isEmpty {
            lines.append("")
            lines.append("conformal prediction sets (the calibrator's), on \(r.inDistribution):")
            lines.append(conformalTable(r.conformal))
        }
        for (title, results) in [
            ("", r.ood), ("typicality test (scores batches of M inputs; counts are batches):", r.typicality),
        ]
        where !results.isEmpty {
            let rows = results.map { o in
                [o.dataset, o.group, o.score]
                    + [o.auroc, o.auprIn, o.auprOut, o.fpr95, o.detectionError].map { String(format: "%.4f", $0) }
            }
            lines.append("")
            if !title.isEmpty { lines.append(title) }
            lines.append(
                OutputTable(
                    columns: ["ood set", "group", "score", "auroc", "aupr-in", "aupr-out", "fpr95", "det-error"],
                    rows: rows
                ).text(maximumWidth: 40))
        }
        if let fit = r.scoreFit { lines.append("score fit: \(fit)") }
        lines.append("")
        lines.append("conventions:")
        for key in r.conventions.keys.sorted() { lines.append("  \(key): \(r.conventions[key] ?? "")") }
        lines.append("scores:")
        for key in r.scores.keys.sorted() { lines.append("  \(key): \(r.scores[key] ?? "")") }
        return lines.joined(separator: "\n")
    }

    /// One row per conformal method: target and empirical coverage, mean set size, sets of each size.
    static func conformalTable(_ measures: [ConformalMeasure]) -> String {
        let rows = measures.map { m in
            [
                m.method, String(format: "%.3f", m.targetCoverage), String(format: "%.4f", m.coverage),
                String(format: "%.3f", m.meanSize), m.sizeCounts.map(String.init).joined(separator: " "),
                String(m.calibrationCount),
            ]
        }
        return OutputTable(
            columns: ["method", "target", "coverage", "mean size", "sets of size 0, 1, 2, …", "fitted on"], rows: rows
        ).text()
    }

    /// A toy-density run's evaluation: its samples' MMD² beside the untrained network's and a
    /// second data sample's.
    static func render(_ result: ToyEvaluation, runID: String) -> String {
        var lines = [
            "run \(runID) on \(result.density): MMD² against \(result.count) held-out points (Gaussian kernel h = \(result.bandwidth))"
        ]
        if let exact = result.mmd2, let untrained = result.mmd2Untrained {
            lines.append(
                String(
                    format: "exact samples of exp(−E) (%d² grid): %.5f   untrained network: %.5f", result.grid, exact,
                    untrained))
        } else {
            lines.append("exact samples: not defined (the noise-scaled form's energy stands for no one density)")
        }
        let origin = result.sampler.hasSuffix("generator") ? "" : " from noise"
        lines.append(
            String(
                format: "%@ samples%@: %.5f   untrained network: %.5f", result.sampler, origin, result.mmd2Sampler,
                result.mmd2SamplerUntrained))
        lines.append(String(format: "a second data sample: %.5f (the estimate's noise floor)", result.mmd2Data))
        return lines.joined(separator: "\n")
    }

    /// Any Encodable result as sorted, indented JSON (NaN and infinities as text).
    static func json(_ value: some Encodable) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.nonConformingFloatEncodingStrategy = .convertToString(
            positiveInfinity: "+Inf", negativeInfinity: "-Inf", nan: "NaN")
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }
}
