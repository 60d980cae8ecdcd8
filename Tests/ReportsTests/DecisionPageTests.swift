import Foundation
import Testing

@testable import Reports

/// The report as a decision page: readable unique run labels, warnings and a compact
/// summary first (each number with its sample count and checkpoint), the curves runs share
/// in view and everything long behind a fold.
@Suite struct DecisionPageTests {
    /// An evaluated classifier run: accuracy, NLL and ECE before and after temperature
    /// scaling on 10,000 test images, and AUROCs against two OOD sets under two scores.
    static func evaluated(
        _ id: String, name: String? = nil, objective: String = "ce", model: String = "cnn-s", seed: Int = 1,
        eceAfter: Double = 0.012, gradNormAUROC: Double = 0.61
    ) -> ReportRun {
        let test = { (score: String, metric: String, value: Double) in
            ReportEvaluation(
                dataset: "test", score: score, metric: metric, value: value, group: "in-distribution", inCount: 10_000,
                measurement: 4, checkpoint: "best.safetensors", checkpointStep: 860)
        }
        let ood = { (set: String, group: String, score: String, value: Double) in
            ReportEvaluation(
                dataset: set, score: score, metric: "auroc", value: value, group: group, inCount: 10_000,
                outCount: 5_000,
                measurement: 5, checkpoint: "best.safetensors", checkpointStep: 860)
        }
        return ReportRun(
            id: id, name: name ?? id, status: "FINISHED", startTime: Fixtures.start, endTime: Fixtures.start + 60,
            seed: seed,
            objective: objective, model: model, dataset: "fashion-mnist",
            metricHistory: [
                "train/loss": Fixtures.history([2, 1, 0.5]), "epoch": Fixtures.history([0.5, 1]),
                "time/seconds": Fixtures.history([10, 20]), "validation/accuracy": Fixtures.history([0.8, 0.9]),
            ],
            evaluations: [
                test("classifier", "accuracy", 0.9233), test("uncalibrated", "ece", 0.0129),
                test("uncalibrated", "nll", 0.25),
                test("calibrated:temperature", "ece", eceAfter), test("calibrated:temperature", "nll", 0.24),
                ood("mnist-5k", "near", "max-softmax", 0.80), ood("mnist-5k", "near", "grad-norm", gradNormAUROC),
                ood("uniform", "far", "log-px", 0.97), ood("uniform", "far", "max-softmax", 0.90),
            ])
    }

    @Test func runsGetReadableUniqueLabels() {
        let runs = [
            Self.evaluated("20261207-1-aaaa"), Self.evaluated("20261207-2-bbbb"),
            Self.evaluated("20261207-3-cccc", objective: "jem"), Self.evaluated("20261207-4-dddd", name: "my run"),
        ]
        #expect(
            ReportRun.displayNames(runs) == [
                "ce · cnn-s · fashion-mnist · seed 1 (aaaa)", "ce · cnn-s · fashion-mnist · seed 1 (bbbb)",
                "jem · cnn-s · fashion-mnist · seed 1", "my run",
            ])
        // Ids ending alike still give distinct labels.
        let same = ReportRun.displayNames([Self.evaluated("x-1-aaaa"), Self.evaluated("y-2-aaaa")])
        #expect(Set(same).count == 2)
        let html = Fixtures.render(runs)
        #expect(html.contains("jem · cnn-s · fashion-mnist · seed 1") && html.contains("my run"))
    }

    @Test func warningsAndTheSummaryComeFirst() throws {
        let runs = [
            Self.evaluated("a", eceAfter: 0.0148, gradNormAUROC: 0.0003), Self.evaluated("b", objective: "jem"),
        ]
        let document = try parseXML(Fixtures.render(runs))
        let headings = document.all("h2").map(\.text)
        #expect(Array(headings.prefix(3)) == ["Warnings", "Summary", "Training curves"])
        let warnings = try #require(document.all("ul").first { $0.attributes["class"] == "warnings" }).text
        #expect(warnings.contains("calibration made ECE worse") && warnings.contains("0.0129 → 0.0148"))
        #expect(warnings.contains("inverted score: grad-norm ranks mnist-5k") && warnings.contains("AUROC 0.0003"))
        // The second run has neither problem.
        #expect(!warnings.contains("jem · "))
    }

    @Test func theSummaryShowsTheNewestCalibratorsNumbers() throws {
        // Histogram scaling first (measurement 2), then temperature (measurement 3): the newest
        // calibration's before/after pair is the one shown and judged.
        var run = Self.evaluated("a")
        run.evaluations.removeAll { $0.score.hasPrefix("calibrated:") || $0.score == "uncalibrated" }
        let row = { (score: String, metric: String, value: Double, measurement: Int) in
            ReportEvaluation(
                dataset: "test", score: score, metric: metric, value: value, group: "in-distribution", inCount: 10_000,
                measurement: measurement, checkpoint: "best.safetensors", checkpointStep: 860)
        }
        run.evaluations += [
            row("calibrated:histogram", "ece", 0.05, 2), row("calibrated:histogram", "nll", 0.4, 2),
            row("uncalibrated", "ece", 0.0129, 3), row("uncalibrated", "nll", 0.25, 3),
            row("calibrated:temperature", "ece", 0.011, 3), row("calibrated:temperature", "nll", 0.24, 3),
        ]
        let digest = RunDigest(run)
        #expect(digest.calibrationMethod == "temperature" && digest.calibratedECE?.value == 0.011)
        #expect(!digest.warnings.contains { $0.contains("calibration made") })
    }

    @Test func theSummarysBestScoreIsOneOfASingleInputNotTheBatchTest() throws {
        var run = Fixtures.bare("scores")
        run.evaluations = [
            ReportEvaluation(dataset: "mnist-5k", score: "knn", metric: "auroc", value: 0.9, group: "near"),
            ReportEvaluation(dataset: "mnist-5k", score: "typicality@25", metric: "auroc", value: 1, group: "near"),
        ]
        #expect(RunDigest(run).bestAUROC["mnist-5k"]?.score == "knn")
        // A measurement on the validation hold-out does not stand in for the test set's.
        run.measurements = [
            ReportMeasurement(
                id: 1, kind: "evaluation", createdAt: Fixtures.start, checkpoint: "best", inDataset: "test"),
            ReportMeasurement(
                id: 2, kind: "evaluation", createdAt: Fixtures.start, checkpoint: "best", inDataset: "validation"),
        ]
        run.evaluations = [
            ReportEvaluation(
                dataset: "interp", score: "knn", metric: "auroc", value: 0.7, group: "near", measurement: 1),
            ReportEvaluation(
                dataset: "interp", score: "log-px", metric: "auroc", value: 0.8, group: "near", measurement: 2),
        ]
        #expect(RunDigest(run).bestAUROC["interp"]?.score == "knn")
    }

    @Test func summaryNumbersCarryTheirCountAndCheckpoint() throws {
        let document = try parseXML(Fixtures.render([Self.evaluated("a"), Self.evaluated("b", objective: "jem")]))
        let summary = try #require(document.all("section").first { $0.attributes["id"] == "summary" })
        #expect(summary.text.contains("0.9233") && summary.text.contains("n 10,000 · best@860"))
        // The best score per OOD set, with its name and both counts.
        #expect(
            summary.text.contains("AUROC mnist-5k") && summary.text.contains("0.8 max-softmaxn 10,000/5,000 · best@860")
        )
        #expect(summary.text.contains("AUROC uniform") && summary.text.contains("0.97 log-px"))
        // ECE before and after calibration, side by side.
        #expect(summary.text.contains("0.0129") && summary.text.contains("0.012 temperature"))
    }

    @Test func sharedCurvesAreInViewAndTheRestFolded() throws {
        let energy = ReportRun(
            id: "e", name: "e", status: "FINISHED", startTime: Fixtures.start, objective: "dsm", model: "energy-mlp-64",
            dataset: "toy:8gaussians", metricHistory: ["train/loss": Fixtures.history([900, 800, 700])])
        let html = Fixtures.render([Self.evaluated("a"), Self.evaluated("b", objective: "jem"), energy])
        let body = try Self.section("curves", of: html)
        let fold = try #require(body.range(of: "<details>"))
        let inView = String(body[..<fold.lowerBound])
        let folded = String(body[fold.lowerBound...])
        // In view: the classifiers' loss and validation accuracy, never the energy's loss with them.
        #expect(
            inView.contains("<h3>train/loss (classifiers)</h3>")
                && inView.contains("<h3>validation/accuracy (classifiers)</h3>"))
        #expect(!inView.contains("<h3>epoch</h3>") && !inView.contains("time/seconds"))
        #expect(!inView.contains("train/loss (energies)"))  // one energy run shares its loss with no one
        // Folded: every metric.
        #expect(folded.contains("<h3>epoch</h3>") && folded.contains("<h3>time/seconds</h3>"))
        #expect(folded.contains("Every metric logged (4 charts)"))
    }

    @Test func longTablesAreFolded() throws {
        let document = try parseXML(Fixtures.render([Self.evaluated("a"), Self.evaluated("b")]))
        let evaluations = try #require(document.all("section").first { $0.attributes["id"] == "evaluations" })
        #expect(evaluations.text.contains("Every value (9 rows)"))
        let section = try Self.section("evaluations", of: Fixtures.render([Self.evaluated("a"), Self.evaluated("b")]))
        let details = try #require(section.range(of: "<details>"))
        let table = try #require(section.range(of: "<table>"))
        #expect(details.lowerBound < table.lowerBound)
    }

    /// The markup of the section with this id.
    static func section(_ id: String, of html: String) throws -> String {
        let start = try #require(html.range(of: "<section id=\"\(id)\">"))
        let end = try #require(html[start.upperBound...].range(of: "</section>"))
        return String(html[start.upperBound..<end.lowerBound])
    }
}
