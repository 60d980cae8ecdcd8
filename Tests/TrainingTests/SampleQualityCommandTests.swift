import Foundation
import RunLog
import Testing

/// `joule sample RUN --evaluate CLASSIFIER` end to end on tiny PNG data: the numbers come out
/// in range, are stored with the run (and shown by `runs compare`), the grid is written, and
/// a judge that is not a cross-entropy run is refused.
@Suite struct SampleQualityCommandTests {
    typealias CLI = TrainCommandTests

    @Test(.enabled(if: CLI.executable != nil)) func samplesAreJudgedStoredAndCompared() throws {
        let root = try CLI.makeFolder()
        defer { try? FileManager.default.removeItem(at: root) }
        let ce = try FirstHourTests.train(in: root)
        let jem = try FirstHourTests.train(
            in: root, extra: ["--objective", "jem", "--sgld-steps", "2", "--buffer-size", "30", "--sgld-radius", "0.1"])
        let grid = root.appendingPathComponent("quality/grid.png")
        let measured = try CLI.joule(
            [
                "sample", jem, "--evaluate", ce, "--chains-per-class", "5", "--steps", "3", "--columns", "4", "--out",
                grid.path, "--json",
            ], in: root)
        #expect(measured.status == 0, "\(measured.error)")
        let result = try FirstHourTests.json(measured.output)
        for key in ["conditional_accuracy", "precision", "recall"] {
            let value = try #require(result[key] as? Double, "\(key)")
            #expect((0...1).contains(value), "\(key) \(value)")
        }
        #expect((result["frechet_distance"] as? Double ?? -1) >= 0)
        #expect(result["sample_count"] as? Int == 15 && result["steps"] as? Int == 3)
        #expect((result["feature_space"] as? String)?.contains("not Inception's") == true)
        #expect(FileManager.default.fileExists(atPath: grid.path))

        let store = try FirstHourTests.store(root)
        let rows = try store.evaluations(of: jem).filter { $0.dataset == "class-samples" }
        #expect(Set(rows.map(\.metric)) == ["conditional_accuracy", "frechet_distance", "precision", "recall"])
        #expect(try store.artifacts(of: jem).contains { $0.path == grid.path })
        let compared = try CLI.joule(["runs", "compare", ce, jem], in: root)
        #expect(compared.output.contains("evaluations.class-samples.sample-quality.frechet_distance"))

        // The judge must be a cross-entropy run; a bad count is refused before anything is drawn.
        let wrongJudge = try CLI.joule(["sample", ce, "--evaluate", jem, "--out", grid.path], in: root)
        #expect(wrongJudge.status != 0 && wrongJudge.error.contains("must be a cross-entropy run"))
        let tooFew = try CLI.joule(
            ["sample", jem, "--evaluate", ce, "--chains-per-class", "1", "--out", grid.path], in: root)
        #expect(tooFew.status != 0 && tooFew.error.contains("--chains-per-class"))
    }
}
