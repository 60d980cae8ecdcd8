import Checkpoints
import Foundation
import Layers
import Tensors
import TestSupport
import Testing

@testable import Evaluation
@testable import Uncertainty

/// Score fits are versioned files beside their checkpoint, read back exactly, and refused with the file's
/// name when they are damaged or belong to other weights.
@Suite struct StoredScoreFitTests {
    static func fit() throws -> StoredScoreFit {
        var fit = StoredScoreFit(
            checkpoint: "best.safetensors", step: 120, runID: "20261207-000000-abcd", modelDigest: "d1",
            fittedAt: Date(timeIntervalSince1970: 1_800_000_000), trainingCount: 8, validationCount: 3,
            validationScores: ["log-px": [1.5, -0.25, 3], "knn": [-0.1, -0.2, -0.3], "complexity": [9, 8, 7]])
        fit.gaussians = try FeatureGaussians(
            fitting: Tensor(FeatureScoreTests.points, shape: [8, 2]), labels: FeatureScoreTests.labels, classes: 2)
        fit.bank = try FeatureBank(normalising: Tensor(FeatureScoreTests.points, shape: [8, 2]))
        fit.typicality = try TypicalityTest(entropy: -2.75)
        fit.complexityWeight = 0.0125
        fit.standardisation = Dictionary(
            uniqueKeysWithValues: OODScore.ensembleMembers.enumerated().map { ($1, (Double($0), 0.5 + Double($0))) })
        fit.background = BackgroundReference(path: "/runs/bg/best.safetensors", runID: "bg", modelDigest: "d2")
        return fit
    }

    @Test func writesNewVersionsAndReadsThemBackExactly() throws {
        try withTemporaryDirectory { directory in
            let checkpoint = directory.appendingPathComponent("best.safetensors")
            var fit = try Self.fit()
            let first = try fit.write(forCheckpoint: checkpoint)
            #expect(first.lastPathComponent == "best.scores.v1.safetensors" && fit.version == 1)
            var again = try Self.fit()
            #expect(try again.write(forCheckpoint: checkpoint).lastPathComponent == "best.scores.v2.safetensors")
            #expect(StoredScoreFit.versions(forCheckpoint: checkpoint) == [1, 2])
            let back = try StoredScoreFit.read(first, expectingDigest: "d1")
            #expect(back.version == 1 && back.step == 120 && back.runID == fit.runID && back.trainingCount == 8)
            #expect(back.validationScores == fit.validationScores)
            #expect(back.typicality == fit.typicality && back.background == fit.background)
            #expect(back.complexityWeight == 0.0125 && back.covers(.complexity(weight: nil)))
            #expect(back.standardisation?[.knn(neighbours: 50)]?.deviation == 3.5)
            #expect(!back.covers(.ensemble), "the ensemble needs each member's validation values")
            #expect(back.gaussians?.whitening.scalars == fit.gaussians?.whitening.scalars)
            #expect(back.bank?.features.scalars == fit.bank?.features.scalars)
            #expect(back.threshold(.logDensity, truePositiveRate: 2.0 / 3) == 1.5)
            #expect(back.covers(.knn(neighbours: 50)) && !back.covers(.maxSoftmax))
            let latest = try StoredScoreFit.latest(forCheckpoint: checkpoint, digest: "d1") { _ in }
            #expect(latest?.version == 2)
            var notes: [String] = []
            #expect(try StoredScoreFit.latest(forCheckpoint: checkpoint, digest: "other") { notes.append($0) } == nil)
            #expect(notes.first?.contains("other weights") == true)
        }
    }

    @Test func damagedOrForeignFitsAreRefusedNamingTheFile() throws {
        try withTemporaryDirectory { directory in
            let checkpoint = directory.appendingPathComponent("best.safetensors")
            var fit = try Self.fit()
            let url = try fit.write(forCheckpoint: checkpoint)
            func expectRefusal(_ url: URL, digest: String? = nil, saying words: String) {
                do {
                    _ = try StoredScoreFit.read(url, expectingDigest: digest)
                    Issue.record("\(url.lastPathComponent) was read")
                } catch {
                    let text = "\(error)"
                    #expect(text.contains(url.path) && text.contains(words), "\(text)")
                }
            }
            expectRefusal(url, digest: "d9", saying: "fitted for other weights")
            let bytes = try Data(contentsOf: url)
            let truncated = directory.appendingPathComponent("truncated.safetensors")
            try bytes.prefix(bytes.count - 40).write(to: truncated)
            expectRefusal(truncated, saying: "not a readable score fit")
            expectRefusal(directory.appendingPathComponent("missing.safetensors"), saying: "no such score fit")
            let foreign = directory.appendingPathComponent("foreign.safetensors")
            try SafeTensors(metadata: ["format": "something-else"]).write(to: foreign)
            expectRefusal(foreign, saying: "not a Joule score fit")
            var file = try fit.safeTensors()
            file.metadata["validation_count"] = "4"
            let miscounted = directory.appendingPathComponent("miscounted.safetensors")
            try file.write(to: miscounted)
            expectRefusal(miscounted, saying: "values for 4 images")
            var wrongBank = try fit.safeTensors()
            wrongBank = try SafeTensors(
                wrongBank.entries.map { $0.name == "knn.bank" ? ($0.name, Tensor(repeating: 1, shape: [8, 2])) : $0 },
                metadata: wrongBank.metadata)
            let notUnit = directory.appendingPathComponent("not-unit.safetensors")
            try wrongBank.write(to: notUnit)
            expectRefusal(notUnit, saying: "not of unit length")
        }
    }

    @Test func aFitForAnotherFeatureSizeOrClassCountIsRefusedNamingTheFile() throws {
        // The fit's statistics are 2 features wide over 2 classes; this model gives 3 features and 4 classes.
        let network = Sequential([
            Flatten(), Linear(weight: Tensor(repeating: 0.1, shape: [3, 4]), bias: nil),
            Linear(weight: Tensor(repeating: 0.2, shape: [4, 3]), bias: nil),
        ])
        let fit = try Self.fit()
        let file = URL(fileURLWithPath: "/runs/x/best.scores.v1.safetensors")
        var model = ScoringModel(classifier: network)
        do {
            try fit.attach(to: &model, inputShape: [1, 2, 2], classes: 4, file: file)
            Issue.record("a 2-feature fit was attached to a 3-feature model")
        } catch {
            #expect("\(error)".contains(file.path) && "\(error)".contains("2 features, the model gives 3"), "\(error)")
        }
        var narrow = ScoringModel(
            classifier: Sequential([
                Flatten(), Linear(weight: Tensor(repeating: 0.1, shape: [2, 4]), bias: nil),
                Linear(weight: Tensor(repeating: 0.2, shape: [4, 2]), bias: nil),
            ]))
        #expect(throws: EvaluationError.self) {
            try fit.attach(to: &narrow, inputShape: [1, 2, 2], classes: 4, file: file)
        }
        try fit.attach(to: &narrow, inputShape: [1, 2, 2], classes: 2, file: file)
        #expect(narrow.gaussians != nil && narrow.bank != nil && narrow.complexityWeight == 0.0125)
    }

    @Test func theHoldOutHalvesAreDisjointFixedAndCoverIt() {
        let (calibration, conformal) = HoldOutPartition.split(count: 11)
        #expect(calibration.count == 6 && conformal.count == 5)
        #expect(Set(calibration).isDisjoint(with: conformal) && Set(calibration + conformal) == Set(0..<11))
        #expect(HoldOutPartition.split(count: 11).calibration == calibration)
    }
}
