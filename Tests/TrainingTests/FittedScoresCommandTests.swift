import Foundation
import Testing

/// The fitted OOD scores and conformal sets end to end on a tiny PNG run: what `evaluate` and `score` fit is
/// stored once beside the checkpoint and reused, a background model feeds the likelihood ratio, `calibrate
/// --conformal` gives sets whose coverage `evaluate` reports and `score` prints, and a damaged fit file is refused
/// with its name.
@Suite(.serialized) struct FittedScoresCommandTests {
    typealias CLI = TrainCommandTests

    static func json(_ text: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    }

    @Test(.enabled(if: CLI.executable != nil)) func fittedScoresAreStoredOnceAndReused() throws {
        let (root, checkpoints, runID) = try EvaluateCommandTests.trainedRun()
        defer { try? FileManager.default.removeItem(at: root) }
        // A background model: the same data with 30% of the pixels replaced at random.
        let background = try CLI.joule([
            "train", "--dataset", "png:" + root.appendingPathComponent("images").path, "--model", "mlp",
            "--batch-size", "8", "--validation-size", "12", "--steps", "10", "--mutation-rate", "0.3",
            "--checkpoint-dir", checkpoints, "--json",
        ])
        #expect(background.status == 0, "stderr: \(background.error)")
        let backgroundID = try #require(try Self.json(background.output)["run_id"] as? String)
        let scores = "log-px,complexity@0.01,mahalanobis,knn@3,likelihood-ratio"
        let first = try CLI.joule([
            "evaluate", runID, "--checkpoint-dir", checkpoints, "--ood", "uniform,constant", "--scores", scores,
            "--background", backgroundID, "--synthetic-count", "20", "--typicality", "4", "--json",
        ])
        #expect(first.status == 0, "stderr: \(first.error)")
        let result = try Self.json(first.output)
        let ood = try #require(result["ood"] as? [[String: Any]])
        #expect(Set(ood.compactMap { $0["score"] as? String }) == Set(scores.split(separator: ",").map(String.init)))
        #expect(ood.allSatisfy { ($0["auroc"] as? Double).map { $0 >= 0 && $0 <= 1 } == true })
        let typicality = try #require(result["typicality"] as? [[String: Any]])
        #expect(typicality.count == 2 && typicality.allSatisfy { $0["score"] as? String == "typicality@4" })
        // 12 validation images in batches of 4; 20 synthetic images in batches of 4.
        #expect(typicality.allSatisfy { $0["in_count"] as? Int == 3 && $0["out_count"] as? Int == 5 })
        let folder = "\(checkpoints)/\(runID)/"
        #expect(FileManager.default.fileExists(atPath: folder + "best.scores.v1.safetensors"))
        #expect(first.error.contains("stored the score fit"))

        // The same request again reads the stored fit: no second version.
        let again = try CLI.joule([
            "score", runID, root.appendingPathComponent("images/dark").path, "--checkpoint-dir", checkpoints,
            "--score", "knn@3",
        ])
        #expect(again.status == 0, "stderr: \(again.error)")
        #expect(!FileManager.default.fileExists(atPath: folder + "best.scores.v2.safetensors"))
        #expect(again.error.contains("score fit: best.scores.v1.safetensors"))
        // On request it is fitted again, as a new version.
        let refit = try CLI.joule([
            "evaluate", runID, "--checkpoint-dir", checkpoints, "--ood", "uniform", "--scores", "mahalanobis",
            "--refit-scores", "--synthetic-count", "20",
        ])
        #expect(refit.status == 0 && FileManager.default.fileExists(atPath: folder + "best.scores.v2.safetensors"))

        // A damaged newest fit is refused, naming the file; nothing is scored.
        let newest = folder + "best.scores.v2.safetensors"
        let bytes = try Data(contentsOf: URL(fileURLWithPath: newest))
        try bytes.prefix(bytes.count / 2).write(to: URL(fileURLWithPath: newest))
        let damaged = try CLI.joule([
            "evaluate", runID, "--checkpoint-dir", checkpoints, "--ood", "uniform", "--scores", "mahalanobis",
        ])
        #expect(damaged.status != 0 && damaged.error.contains(newest), "\(damaged.error)")
        // Naming a score the model cannot give lists those it can.
        let missing = try CLI.joule([
            "evaluate", runID, "--checkpoint-dir", checkpoints, "--scores", "likelihood-ratio", "--refit-scores",
            "--ood", "uniform",
        ])
        #expect(missing.status != 0 && missing.error.contains("background model"), "\(missing.error)")
    }

    @Test(.enabled(if: CLI.executable != nil)) func conformalSetsAreFittedReportedAndPrinted() throws {
        let (root, checkpoints, runID) = try EvaluateCommandTests.trainedRun()
        defer { try? FileManager.default.removeItem(at: root) }
        let calibrated = try CLI.joule([
            "calibrate", runID, "--checkpoint-dir", checkpoints, "--conformal", "--coverage", "0.5", "--json",
        ])
        #expect(calibrated.status == 0, "stderr: \(calibrated.error)")
        let conformal = try #require(try Self.json(calibrated.output)["conformal"] as? [[String: Any]])
        #expect(conformal.compactMap { $0["method"] as? String } == ["lac", "aps", "raps"])
        #expect(
            conformal.allSatisfy { $0["calibration_count"] as? Int == 6 && $0["target_coverage"] as? Double == 0.5 })

        let evaluated = try CLI.joule([
            "evaluate", runID, "--checkpoint-dir", checkpoints, "--ood", "uniform", "--synthetic-count", "10", "--json",
        ])
        #expect(evaluated.status == 0, "stderr: \(evaluated.error)")
        let measures = try #require(try Self.json(evaluated.output)["conformal"] as? [[String: Any]])
        #expect(measures.count == 3)
        for m in measures {
            let counts = try #require(m["size_counts"] as? [Int])
            #expect(counts.reduce(0, +) == 12 && (m["coverage"] as? Double).map { $0 >= 0 && $0 <= 1 } == true)
        }

        let scored = try CLI.joule([
            "score", runID, root.appendingPathComponent("images/dark").path, "--checkpoint-dir", checkpoints,
            "--format", "json", "--set-method", "aps", "--also", "log-px,knn@2",
        ])
        #expect(scored.status == 0, "stderr: \(scored.error)")
        let samples = try #require(try Self.json(scored.output)["samples"] as? [[String: Any]])
        #expect(!samples.isEmpty && samples.allSatisfy { $0["prediction_set"] is [String] && $0["decision"] != nil })
        #expect(
            samples.allSatisfy { ($0["also"] as? [String: Any]).map { Set($0.keys) == ["log-px", "knn@2"] } == true })
        #expect(scored.error.contains("images scored") && scored.error.contains("mean prediction-set size"))
    }
}
