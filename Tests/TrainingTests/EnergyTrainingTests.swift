import Foundation
import RunLog
import Testing

/// `joule train --objective esm|ssm|ssm-vr|dsm|mdsm` end to end: toy densities and images,
/// pictures recorded with the run, exact resume, clear refusals, and evaluate / score on
/// an energy without a classifier head.
@Suite(.serialized) struct EnergyTrainingTests {
    typealias CLI = TrainCommandTests

    /// A PNG's size and colour type (0 grey, 2 RGB), read from its IHDR chunk.
    static func pngHeader(_ path: String) throws -> (width: Int, height: Int, colorType: UInt8) {
        let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        try #require(bytes.count > 25 && bytes[1...3] == [0x50, 0x4E, 0x47], "\(path) is not a PNG")
        let word = { (at: Int) in bytes[at..<(at + 4)].reduce(0) { $0 << 8 | Int($1) } }
        return (word(16), word(20), bytes[25])
    }

    static func temporaryFolder() throws -> URL {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("joule-energy-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        return root
    }

    static func summary(_ output: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(output.utf8)) as? [String: Any])
    }

    @Test(.enabled(if: CLI.executable != nil)) func everyObjectiveTrainsOnAToyDensity() throws {
        let root = try Self.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: root) }
        for objective in ["esm", "ssm", "ssm-vr", "dsm", "mdsm"] {
            let result = try CLI.joule([
                "train", "--objective", objective, "--dataset", "toy:8gaussians", "--model", "energy-mlp-16",
                "--steps", "8", "--batch-size", "32", "--sample-steps", "3", "--sigma-levels", "3",
                "--checkpoint-dir", root.path, "--json",
            ])
            #expect(result.status == 0, "\(objective): \(result.error)")
            let summary = try Self.summary(result.output)
            #expect(
                summary["best_validation_loss"] as? Double != nil && summary["test_accuracy"] is NSNull, "\(objective)")
            let runID = try #require(summary["run_id"] as? String)
            for picture in ["density-step-8.png", "scatter-step-8.png"] {
                #expect(
                    FileManager.default.fileExists(atPath: "\(root.path)/\(runID)/samples/\(picture)"),
                    "\(objective) \(picture)")
            }
            let store = try RunStore(path: root.path + "/runs.sqlite", readOnly: true)
            #expect(try store.artifacts(of: runID).contains { $0.kind == "image-density" })
            #expect(try store.params(of: runID)["sigma-levels"] == "3")
        }
    }

    @Test(.enabled(if: CLI.executable != nil)) func resumeIsExact() throws {
        let root = try Self.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: root) }
        let common = [
            "train", "--objective", "ssm", "--dataset", "toy:rings", "--model", "energy-mlp-8", "--batch-size", "16",
            "--sample-steps", "2", "--checkpoint-dir", root.path, "--json",
        ]
        let straight = try Self.summary(CLI.joule(common + ["--steps", "20"]).output)
        let first = try Self.summary(CLI.joule(common + ["--steps", "10"]).output)
        let id = try #require(first["run_id"] as? String)
        let resumed = try CLI.joule(["train", "--resume", id, "--checkpoint-dir", root.path, "--steps", "20", "--json"])
        #expect(resumed.status == 0, "\(resumed.error)")
        let end = try Self.summary(resumed.output)
        #expect(end["steps"] as? Int == 20)
        #expect(end["final_validation_loss"] as? Double == straight["final_validation_loss"] as? Double)
    }

    @Test(.enabled(if: CLI.executable != nil)) func unsuitableSettingsAreRefused() throws {
        let root = try Self.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: root) }
        let cases: [([String], String)] = [
            (["--objective", "esm", "--model", "cnn-s"], "needs the energy's input Hessian"),
            (["--objective", "dsm", "--dataset", "toy:rings", "--model", "mlp"], "toy densities are 2-D points"),
            (["--objective", "dsm", "--dataset", "toy:spiral", "--model", "energy-mlp"], "toy:8gaussians"),
            (["--objective", "ce", "--model", "energy-mlp"], "energy-mlp has one output"),
            (["--objective", "mdsm", "--sigma-spacing", "cubic", "--model", "energy-mlp"], "sigma-spacing"),
            (
                ["--objective", "esm", "--dataset", "toy:rings", "--model", "energy-mlp", "--exact-limit", "1"],
                "exceed the limit of 1"
            ),
        ]
        for (arguments, message) in cases {
            let result = try CLI.joule(["train", "--steps", "2", "--checkpoint-dir", root.path] + arguments)
            #expect(result.status != 0 && result.error.contains(message), "\(arguments): \(result.error)")
        }
    }

    @Test(.enabled(if: CLI.executable != nil)) func anImageEnergyIsEvaluatedAndScoredWithoutAClassifierHead() throws {
        let root = try CLI.makeFolder()
        defer { try? FileManager.default.removeItem(at: root) }
        let checkpoints = root.appendingPathComponent("checkpoints").path
        let trained = try CLI.joule([
            "train", "--objective", "dsm", "--dataset", "png:" + root.appendingPathComponent("images").path,
            "--model", "mlp", "--batch-size", "8", "--validation-size", "12", "--steps", "10",
            "--sample-steps", "2", "--checkpoint-dir", checkpoints, "--json",
        ])
        #expect(trained.status == 0, "\(trained.error)")
        let runID = try #require(try Self.summary(trained.output)["run_id"] as? String)
        #expect(FileManager.default.fileExists(atPath: "\(checkpoints)/\(runID)/samples/step-10.png"))

        let evaluated = try CLI.joule([
            "evaluate", runID, "--checkpoint-dir", checkpoints, "--ood", "uniform,constant",
            "--synthetic-count", "20", "--json",
        ])
        #expect(evaluated.status == 0, "\(evaluated.error)")
        let json = try Self.summary(evaluated.output)
        #expect(json["accuracy"] == nil && json["ece"] == nil)
        let scores = Set((json["ood"] as? [[String: Any]] ?? []).compactMap { $0["score"] as? String })
        // The default scores it can give without a classifier head: its energy, its gradient, the complexity
        // correction and the scores on its network's penultimate features.
        #expect(scores == ["log-px", "grad-norm", "complexity", "mahalanobis", "knn", "ensemble"])
        let text = try CLI.joule([
            "evaluate", runID, "--checkpoint-dir", checkpoints, "--ood", "uniform", "--synthetic-count", "20",
        ])
        #expect(text.output.contains("accuracy: not applicable"))
        let refused = try CLI.joule(["evaluate", runID, "--checkpoint-dir", checkpoints, "--scores", "max-softmax"])
        #expect(refused.status != 0 && refused.error.contains("needs a classifier head"))
        let calibrate = try CLI.joule(["calibrate", runID, "--checkpoint-dir", checkpoints])
        #expect(calibrate.status != 0 && calibrate.error.contains("no class probabilities to calibrate"))
        let scored = try CLI.joule([
            "score", runID, root.appendingPathComponent("images/dark").path, "--checkpoint-dir", checkpoints,
            "--score", "grad-norm",
        ])
        #expect(scored.status == 0, "\(scored.error)")
        #expect(scored.output.split(separator: "\n").count == 1 + 20)

        let grid = root.appendingPathComponent("grid.png").path
        let sampled = try CLI.joule([
            "sample", runID, "--checkpoint-dir", checkpoints, "--from", "noise", "--steps", "3",
            "--count", "6", "--columns", "3", "--out", grid,
        ])
        #expect(sampled.status == 0, "\(sampled.error)")
        let image = try Self.pngHeader(grid)
        // The folder's images are 8×8: three columns and two rows, with 2-pixel gaps around.
        #expect(image.width == 3 * 8 + 4 * 2 && image.height == 2 * 8 + 3 * 2 && image.colorType == 0, "\(image)")
        for (arguments, problem) in [
            (["--from", "buffer"], "has no replay buffer"), (["--from", "noise", "--class", "1"], "has no classes"),
            (["--from", "noise", "--noise", "0.1"], "set --step-size, not --noise"),
        ] {
            let refused = try CLI.joule(["sample", runID, "--checkpoint-dir", checkpoints, "--out", grid] + arguments)
            #expect(refused.status != 0 && refused.error.contains(problem), "\(arguments): \(refused.error)")
        }
    }

    @Test(.enabled(if: CLI.executable != nil)) func aToyRunIsEvaluatedByMMDNotAgainstImages() throws {
        let root = try Self.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: root) }
        let trained = try CLI.joule([
            "train", "--objective", "dsm", "--dataset", "toy:moons", "--model", "energy-mlp-8", "--steps", "3",
            "--sample-steps", "1", "--checkpoint-dir", root.path, "--json",
        ])
        let runID = try #require(try Self.summary(trained.output)["run_id"] as? String)
        let evaluated = try CLI.joule(["evaluate", runID, "--checkpoint-dir", root.path, "--json"])
        #expect(evaluated.status == 0, "\(evaluated.error)")
        let json = try Self.summary(evaluated.output)
        for key in ["mmd2", "mmd2_untrained", "mmd2_sampler", "mmd2_sampler_untrained", "mmd2_data", "bandwidth"] {
            #expect(json[key] as? Double != nil, "\(key)")
        }
        let store = try RunStore(path: root.path + "/runs.sqlite", readOnly: true)
        #expect(try store.evaluations(of: runID).contains { $0.dataset == "toy:moons" && $0.metric == "mmd2" })
        let scored = try CLI.joule(["score", runID, root.path, "--checkpoint-dir", root.path])
        #expect(scored.status != 0 && scored.error.contains("toy-density run"))
        let scatter = root.appendingPathComponent("scatter.png").path
        let sampled = try CLI.joule(["sample", runID, "--checkpoint-dir", root.path, "--steps", "2", "--out", scatter])
        #expect(sampled.output.contains("from noise"))
        #expect(sampled.status == 0, "\(sampled.error)")
        let image = try Self.pngHeader(scatter)
        #expect(image.width == 320 && image.height == 320 && image.colorType == 2, "\(image)")
    }
}
