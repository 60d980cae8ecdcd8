import Datasets
import Foundation
import RunLog
import Testing

#if canImport(FoundationXML)
    import FoundationXML
#endif

/// `joule evaluate`, `joule runs export-scores` and the report's calibration sections, end
/// to end on a tiny PNG run.
@Suite(.serialized) struct EvaluateCommandTests {
    typealias CLI = TrainCommandTests

    /// A trained tiny run: (root folder, checkpoint dir, run id).
    static func trainedRun() throws -> (root: URL, checkpoints: String, runID: String) {
        let root = try CLI.makeFolder()
        let checkpoints = root.appendingPathComponent("checkpoints").path
        let trained = try CLI.joule([
            "train", "--dataset", "png:" + root.appendingPathComponent("images").path, "--model", "mlp",
            "--batch-size", "8", "--validation-size", "12", "--steps", "30", "--lr", "0.01",
            "--checkpoint-dir", checkpoints, "--json",
        ])
        #expect(trained.status == 0, "stderr: \(trained.error)")
        let summary = try #require(try JSONSerialization.jsonObject(with: Data(trained.output.utf8)) as? [String: Any])
        return (root, checkpoints, try #require(summary["run_id"] as? String))
    }

    /// Four 8×8 PNGs in a flat folder: a user's OOD set.
    static func userFolder(in root: URL) throws -> URL {
        let folder = root.appendingPathComponent("odd")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        for i in 0..<4 {
            try PNGWriter.write(
                (0..<64).map { UInt8(($0 * 37 + i * 91) % 256) }, width: 8, height: 8, channels: 1,
                to: folder.appendingPathComponent("\(i).png"))
        }
        return folder
    }

    @Test(.enabled(if: CLI.executable != nil)) func evaluatesStoresExportsAndReports() throws {
        let (root, checkpoints, runID) = try Self.trainedRun()
        defer { try? FileManager.default.removeItem(at: root) }
        let odd = try Self.userFolder(in: root)
        let result = try CLI.joule([
            "evaluate", runID, "--checkpoint-dir", checkpoints, "--ood", "uniform,constant,png:\(odd.path)",
            "--scores", "log-px,max-softmax,energy@2,grad-norm,sgld-delta@3", "--synthetic-count", "40",
            "--bins", "10", "--json",
        ])
        #expect(result.status == 0, "stderr: \(result.error)")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(result.output.utf8)) as? [String: Any])
        for key in ["accuracy", "nll", "ece", "mce", "brier", "ood", "conventions", "reliability"] {
            #expect(json[key] != nil, "missing \(key)")
        }
        #expect(json["in_distribution"] as? String == "validation" && json["count"] as? Int == 12)
        let ood = try #require(json["ood"] as? [[String: Any]])
        #expect(ood.count == 3 * 5)
        for row in ood {
            for key in ["dataset", "score", "auroc", "aupr_in", "aupr_out", "fpr95"] {
                #expect(row[key] != nil, "missing \(key)")
            }
            let auroc = try #require(row["auroc"] as? Double)
            #expect(auroc >= 0 && auroc <= 1)
        }
        #expect(
            ood.contains {
                $0["dataset"] as? String == "png:\(odd.path)" && $0["group"] as? String == "user"
                    && $0["out_count"] as? Int == 4
            })
        #expect(result.error.contains("stored as measurement #1 of run \(runID)"))

        // The store has the results and every sample's scores: 12 + 40 + 40 + 4 samples × 5 scores.
        let store = try RunStore(path: checkpoints + "/runs.sqlite", readOnly: true)
        let evaluations = try store.evaluations(of: runID)
        #expect(evaluations.contains { $0.dataset == "validation" && $0.score == "classifier" && $0.metric == "ece" })
        #expect(evaluations.contains { $0.dataset == "uniform" && $0.score == "grad-norm" && $0.metric == "fpr95" })
        #expect(try store.sampleScores(of: runID).count == (12 + 40 + 40 + 4) * 5)

        // Export: one row per sample, a column per score.
        let csv = root.appendingPathComponent("scores.csv")
        let exported = try CLI.joule([
            "runs", "export-scores", runID, "--runs-db", checkpoints + "/runs.sqlite", "--out", csv.path,
        ])
        #expect(exported.status == 0, "stderr: \(exported.error)")
        let lines = try String(contentsOf: csv, encoding: .utf8).split(separator: "\n")
        #expect(
            lines.first
                == "dataset,index,label,prediction,confidence,measurement,checkpoint,energy@2,grad-norm,log-px,max-softmax,sgld-delta@3"
        )
        #expect(lines.count == 1 + 12 + 40 + 40 + 4)
        #expect(lines.contains { $0.hasPrefix("validation,0,") } && lines.contains { $0.hasPrefix("uniform,39,,") })
        #expect(lines.dropFirst().allSatisfy { $0.contains(",1,best.safetensors @ step ") })

        // The report draws the reliability diagram and the score histograms.
        let report = root.appendingPathComponent("report.html")
        let reported = try CLI.joule(["report", runID, "--runs-db", checkpoints + "/runs.sqlite", "--out", report.path])
        #expect(reported.status == 0, "stderr: \(reported.error)")
        let html = try String(contentsOf: report, encoding: .utf8)
        #expect(
            html.contains("id=\"calibration\"") && html.contains("Reliability diagram")
                && html.contains("id=\"score-histograms\""))
        // OOD rows are grouped: in-distribution first, then far (uniform, constant), then user.
        let order = [">in-distribution<", ">far<", ">user<"].compactMap { html.range(of: $0)?.lowerBound }
        #expect(order.count == 3 && order == order.sorted())
        let parser = XMLParser(data: Data(html.utf8))
        #expect(parser.parse(), "\(parser.parserError.map { "\($0)" } ?? "")")

        // Table output names the conventions.
        let text = try CLI.joule([
            "evaluate", runID, "--checkpoint-dir", checkpoints, "--ood", "uniform", "--scores", "log-px",
            "--synthetic-count", "10",
        ])
        #expect(text.status == 0 && text.output.contains("fpr95") && text.output.contains("positive_class"))
    }

    @Test(.enabled(if: CLI.executable != nil)) func badRequestsFailClearly() throws {
        let (root, checkpoints, runID) = try Self.trainedRun()
        defer { try? FileManager.default.removeItem(at: root) }
        let cases: [([String], String)] = [
            (["--ood", "cifar"], "unknown OOD set 'cifar'"),
            (["--scores", "max-prob"], "unknown score 'max-prob'"),
            (["--bins", "0"], "--bins"),
            (["--scores", "energy,energy@1"], "given twice"),
            (["--ood", "mnist-5k", "--mnist5k", "/nonexistent/m.csv.gz"], "/nonexistent/m.csv.gz"),
            (["--ood", "mnist-5k", "--mnist5k", "/dev/null"], "/dev/null"),
        ]
        for (arguments, message) in cases {
            let result = try CLI.joule(["evaluate", runID, "--checkpoint-dir", checkpoints] + arguments)
            #expect(result.status != 0 && result.error.contains(message), "\(arguments): \(result.error)")
        }
        let missing = try CLI.joule(["evaluate", "nope", "--checkpoint-dir", checkpoints])
        #expect(missing.status != 0 && missing.error.contains("no checkpoint at"))
        let noScores = try CLI.joule([
            "runs", "export-scores", runID, "--runs-db", checkpoints + "/runs.sqlite", "--out", root.path + "/x.csv",
        ])
        #expect(noScores.status != 0 && noScores.error.contains("joule evaluate"))
        #expect(!FileManager.default.fileExists(atPath: root.path + "/x.csv"))
    }

    @Test(.enabled(if: CLI.executable != nil)) func calibratesAndEvaluateAppliesIt() throws {
        let (root, checkpoints, runID) = try Self.trainedRun()
        defer { try? FileManager.default.removeItem(at: root) }
        for method in ["histogram", "isotonic", "temperature"] {
            let result = try CLI.joule([
                "calibrate", runID, "--checkpoint-dir", checkpoints, "--method", method, "--json",
            ])
            #expect(result.status == 0, "stderr: \(result.error)")
            let json = try #require(try JSONSerialization.jsonObject(with: Data(result.output.utf8)) as? [String: Any])
            #expect(
                json["method"] as? String == method && json["fitted_on"] as? String == "validation (calibration half)"
                    && json["fitted_count"] as? Int == 6)
            let before = try #require(json["before"] as? [String: Double])
            let after = try #require(json["after"] as? [String: Double])
            for key in ["accuracy", "nll", "brier", "ece", "mce"] {
                #expect(before[key] != nil && after[key] != nil, "\(key)")
            }
            // No test split here: measured on the hold-out's other half, which the output says.
            #expect(result.error.contains("no test split") && json["measured_count"] as? Int == 6)
            // No method changes a prediction.
            #expect(after["accuracy"] == before["accuracy"], "\(method)")
        }
        // Each fit is a version of its own, never overwritten: histogram v1, isotonic v2, temperature v3.
        let file = "\(checkpoints)/\(runID)/best.calibrator.v3.json"
        let stored = try #require(
            try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: file))) as? [String: Any])
        #expect(stored["checkpoint"] as? String == "best.safetensors" && stored["version"] as? Int == 3)
        for version in 1...2 {
            #expect(FileManager.default.fileExists(atPath: "\(checkpoints)/\(runID)/best.calibrator.v\(version).json"))
        }
        let store = try RunStore(path: checkpoints + "/runs.sqlite", readOnly: true)
        #expect(
            try store.evaluations(of: runID).contains { $0.score == "calibrated:temperature" && $0.metric == "ece" })
        #expect(try store.evaluations(of: runID).contains { $0.score == "calibrated:histogram" && $0.metric == "ece" })
        #expect(try store.artifacts(of: runID).contains { $0.kind == "calibrator" && $0.path == file })
        #expect(try store.measurements(of: runID).map(\.kind) == [.calibration, .calibration, .calibration])

        let evaluated = try CLI.joule([
            "evaluate", runID, "--checkpoint-dir", checkpoints, "--ood", "none", "--scores", "log-px", "--json",
        ])
        #expect(evaluated.status == 0 && evaluated.error.contains("applying best.calibrator.v3.json: temperature"))
        let json = try #require(try JSONSerialization.jsonObject(with: Data(evaluated.output.utf8)) as? [String: Any])
        #expect((json["calibrator"] as? String)?.hasPrefix("best.calibrator.v3.json: temperature (T = ") == true)
        // The evaluation names the calibrator it used; an earlier one can be asked for.
        #expect(try store.measurements(of: runID).last?.calibrator == json["calibrator"] as? String)
        let older = try CLI.joule([
            "evaluate", runID, "--checkpoint-dir", checkpoints, "--ood", "none", "--scores", "log-px",
            "--calibrator", "v1", "--json",
        ])
        let olderJSON = try #require(try JSONSerialization.jsonObject(with: Data(older.output.utf8)) as? [String: Any])
        #expect((olderJSON["calibrator"] as? String)?.hasPrefix("best.calibrator.v1.json: histogram") == true)
        let absent = try CLI.joule([
            "evaluate", runID, "--checkpoint-dir", checkpoints, "--ood", "none", "--calibrator", "v9",
        ])
        #expect(absent.status != 0 && absent.error.contains("versions: v1, v2, v3"))
        let raw = try CLI.joule([
            "evaluate", runID, "--checkpoint-dir", checkpoints, "--ood", "none", "--scores", "log-px",
            "--no-calibrator", "--json",
        ])
        let rawJSON = try #require(try JSONSerialization.jsonObject(with: Data(raw.output.utf8)) as? [String: Any])
        #expect(rawJSON["calibrator"] == nil && !raw.error.contains("applying"))

        // A corrupt calibrator is named, not ignored.
        try Data("{".utf8).write(to: URL(fileURLWithPath: file))
        let corrupt = try CLI.joule(["evaluate", runID, "--checkpoint-dir", checkpoints, "--ood", "none"])
        #expect(corrupt.status != 0 && corrupt.error.contains(file))
        let badMethod = try CLI.joule(["calibrate", runID, "--checkpoint-dir", checkpoints, "--method", "platt"])
        #expect(
            badMethod.status != 0
                && badMethod.error.contains("Please provide one of 'temperature', 'histogram' or 'isotonic'"))
    }

    @Test(.enabled(if: CLI.executable != nil)) func scoresUsersFilesWithAValidationThreshold() throws {
        let (root, checkpoints, runID) = try Self.trainedRun()
        defer { try? FileManager.default.removeItem(at: root) }
        let odd = try Self.userFolder(in: root)
        // An IDX file of two 8×8 images (magic 0x00000803, count 2, rows 8, columns 8).
        let idx = root.appendingPathComponent("two.idx")
        var bytes: [UInt8] = [0, 0, 8, 3, 0, 0, 0, 2, 0, 0, 0, 8, 0, 0, 0, 8]
        bytes += (0..<128).map { UInt8($0 * 2) }
        try Data(bytes).write(to: idx)
        let one = root.appendingPathComponent("images/mid/3.png").path

        let csv = try CLI.joule([
            "score", runID, odd.path, idx.path, one, "--checkpoint-dir", checkpoints, "--score", "grad-norm",
        ])
        #expect(csv.status == 0, "stderr: \(csv.error)")
        let lines = csv.output.split(separator: "\n")
        #expect(lines.first == "source,prediction,class,confidence,prediction_set,score,decision")
        #expect(lines.count == 1 + 4 + 2 + 1)
        #expect(lines.contains { $0.hasPrefix(idx.path + "#1,") } && lines.contains { $0.hasPrefix(one + ",") })
        #expect(lines.dropFirst().allSatisfy { $0.hasSuffix(",in") || $0.hasSuffix(",out") })
        #expect(csv.error.contains("threshold"))

        let json = try CLI.joule([
            "score", runID, odd.path, "--checkpoint-dir", checkpoints, "--format", "json", "--tpr", "0.5",
        ])
        #expect(json.status == 0, "stderr: \(json.error)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.output.utf8)) as? [String: Any])
        let threshold = try #require(object["threshold"] as? [String: Any])
        #expect(threshold["tpr"] as? Double == 0.5 && threshold["fitted_on"] as? String == "validation")
        let samples = try #require(object["samples"] as? [[String: Any]])
        #expect(
            samples.count == 4
                && samples.allSatisfy { ($0["class"] as? String).map(["dark", "mid", "light"].contains) == true })

        let cases: [([String], String)] = [
            ([root.path + "/nope.png"], "nope.png"),
            (
                [odd.path, "--score", "max-prob"],
                "'max-prob' is invalid for '--score <score>': expected one of log-px, max-softmax"
            ),
            ([odd.path, "--tpr", "0"], "--tpr"),
            ([idx.path + "x"], "no such file"),
        ]
        for (arguments, message) in cases {
            let result = try CLI.joule(["score", runID, "--checkpoint-dir", checkpoints] + arguments)
            #expect(result.status != 0 && result.error.contains(message), "\(arguments): \(result.error)")
        }
        // A wrong-sized image is named with both shapes.
        let big = root.appendingPathComponent("big.png")
        try PNGWriter.write([UInt8](repeating: 9, count: 100), width: 10, height: 10, channels: 1, to: big)
        let wrong = try CLI.joule(["score", runID, big.path, "--checkpoint-dir", checkpoints])
        #expect(
            wrong.status != 0 && wrong.error.contains(big.path) && wrong.error.contains("1×10×10")
                && wrong.error.contains("1×8×8"))
    }

    @Test(.enabled(if: CLI.executable != nil)) func comparesCalibrationAcrossRuns() throws {
        let (root, checkpoints, first) = try Self.trainedRun()
        defer { try? FileManager.default.removeItem(at: root) }
        let again = try CLI.joule([
            "train", "--dataset", "png:" + root.appendingPathComponent("images").path, "--model", "mlp",
            "--batch-size", "8", "--validation-size", "12", "--steps", "6", "--lr", "0.001", "--seed", "5",
            "--checkpoint-dir", checkpoints, "--json",
        ])
        let second =
            try #require(try JSONSerialization.jsonObject(with: Data(again.output.utf8)) as? [String: Any])["run_id"]
            as? String
        let runs = [first, try #require(second)]
        for run in runs {
            let result = try CLI.joule([
                "evaluate", run, "--checkpoint-dir", checkpoints, "--ood", "uniform", "--scores", "log-px",
                "--synthetic-count", "20",
            ])
            #expect(result.status == 0, "stderr: \(result.error)")
        }
        let database = checkpoints + "/runs.sqlite"
        let compared = try CLI.joule(["runs", "compare"] + runs + ["--runs-db", database, "--json"])
        #expect(compared.status == 0, "stderr: \(compared.error)")
        for key in [
            "evaluations.validation.classifier.ece", "evaluations.validation.classifier.brier",
            "evaluations.validation.classifier.nll", "evaluations.uniform.log-px.auroc",
        ] {
            #expect(compared.output.contains(key), "missing \(key)")
        }
        let report = root.appendingPathComponent("two.html").path
        #expect(try CLI.joule(["report"] + runs + ["--runs-db", database, "--out", report]).status == 0)
        let html = try String(contentsOfFile: report, encoding: .utf8)
        // One reliability curve per run, overlaid in the one diagram (its legend names both).
        let calibration = try #require(html.range(of: "id=\"calibration\"")).upperBound
        let section = html[calibration...]
        let diagram = String(section[..<(section.range(of: "Confidence histogram")?.lowerBound ?? section.endIndex)])
        #expect(diagram.components(separatedBy: "<g class=\"series\"").count - 1 == 2)
        #expect(diagram.components(separatedBy: "(ECE ").count - 1 == 2)
    }
}
