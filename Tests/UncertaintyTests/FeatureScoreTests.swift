import Datasets
import Foundation
import Layers
import Tensors
import Testing

@testable import Uncertainty

/// Mahalanobis, k-NN, complexity, likelihood-ratio and typicality against values worked out by hand.
@Suite struct FeatureScoreTests {
    /// Class 0 around (0, 0), class 1 around (10, 0), each with offsets (±1, 0) and (0, ±2): the within-class
    /// covariance is diag(0.5, 2).
    static let points: [Float] = [1, 0, -1, 0, 0, 2, 0, -2, 11, 0, 9, 0, 10, 2, 10, -2]
    static let labels = [0, 0, 0, 0, 1, 1, 1, 1]

    static func gaussians() throws -> FeatureGaussians {
        try FeatureGaussians(fitting: Tensor(points, shape: [8, 2]), labels: labels, classes: 2)
    }

    @Test func mahalanobisDistanceMatchesHandComputedValues() throws {
        let scores = try Self.gaussians().scores(Tensor([1, 2, 10, -1], shape: [2, 2]))
        // (1, 2) to class 0: 1²/0.5 + 2²/2 = 4; (10, −1) to class 1: 0 + 1/2 = 0.5.
        #expect(abs(scores[0] + 4) < 1e-4)
        #expect(abs(scores[1] + 0.5) < 1e-4)
    }

    @Test func mahalanobisPreprocessingStepsTowardTheNearestClass() throws {
        // Features = the input (an identity layer before the read-out), so ∇ₓ distance = 2 Σ⁻¹ (x − μ₀) = (4, 2)
        // at (1, 2): the step −0.1 · sign moves it to (0.9, 1.9), distance 0.81/0.5 + 3.61/2 = 3.425.
        let network = Sequential([
            Linear(weight: Tensor([1, 0, 0, 1], shape: [2, 2]), bias: Tensor([0, 0])),
            Linear(weight: Tensor([1, 0, 0, 1, 1, 1], shape: [3, 2]), bias: Tensor([0, 0, 0])),
        ])
        var model = ScoringModel(classifier: network)
        model.gaussians = try Self.gaussians()
        let x = Tensor([1, 2], shape: [1, 2])
        let plain = DatasetScoring(scores: [.mahalanobis(preprocessing: 0)]).scoreBatch(x, model: model, seed: 0)
        let moved = DatasetScoring(scores: [.mahalanobis(preprocessing: 0.1)]).scoreBatch(x, model: model, seed: 0)
        #expect(abs((plain.scores[.mahalanobis(preprocessing: 0)]?[0] ?? .nan) + 4) < 1e-4)
        #expect(abs((moved.scores[.mahalanobis(preprocessing: 0.1)]?[0] ?? .nan) + 3.425) < 1e-4)
    }

    @Test func gaussiansRefuseAClassWithoutExamplesAndBadShapes() {
        #expect(throws: FittedScoreError.self) {
            try FeatureGaussians(fitting: Tensor(Self.points, shape: [8, 2]), labels: Self.labels, classes: 3)
        }
        #expect(throws: FittedScoreError.self) {
            try FeatureGaussians(
                whitening: Tensor(repeating: 1, shape: [2, 3]), whitenedMeans: Tensor(repeating: 0, shape: [1, 3]))
        }
        #expect(throws: FittedScoreError.self) {
            try FeatureGaussians(
                whitening: Tensor([1, 0, 0, .nan], shape: [2, 2]), whitenedMeans: Tensor(repeating: 0, shape: [1, 2]))
        }
    }

    @Test func kNearestNeighbourDistanceMatchesHandComputedValues() throws {
        let bank = try FeatureBank(normalising: Tensor([3, 0, 0, 0.5, -2, 0], shape: [3, 2]))
        // (2, 0) normalises to (1, 0): similarities 1, 0, −1, distances 0, √2, 2.
        let onAxis = Tensor([2, 0], shape: [1, 2])
        #expect(abs(bank.scores(onAxis, k: 1)[0]) < 1e-6)
        #expect(abs(bank.scores(onAxis, k: 2)[0] + 2.0.squareRoot()) < 1e-6)
        #expect(abs(bank.scores(onAxis, k: 3)[0] + 2) < 1e-6)
        #expect(abs(bank.scores(onAxis, k: 50)[0] + 2) < 1e-6, "k beyond the bank is clamped to it")
        // (1, 1): similarities √½, √½, −√½; the second nearest is at √(2 − √2).
        let diagonal = Tensor([1, 1], shape: [1, 2])
        #expect(abs(bank.scores(diagonal, k: 2)[0] + (2 - 2.0.squareRoot()).squareRoot()) < 1e-5)
    }

    @Test func aStoredBankMustHoldUnitRows() {
        #expect(throws: FittedScoreError.self) { try FeatureBank(normalised: Tensor([3, 0], shape: [1, 2])) }
        #expect(throws: Never.self) { try FeatureBank(normalised: Tensor([0.6, 0.8], shape: [1, 2])) }
    }

    @Test func kthLargestAgreesWithSorting() {
        var generator = SeededGenerator(seed: 3)
        let values = (0..<1000).map { _ in Float.random(in: -1...1, using: &generator) }
        let sorted = values.sorted(by: >)
        values.withUnsafeBufferPointer { p in
            for k in [1, 2, 17, 500, 1000] {
                #expect(FeatureBank.kthLargest(p, offset: 0, length: 1000, k: k) == sorted[k - 1])
            }
        }
    }

    /// A classifier on 1×4×4 images: flatten, then a fixed linear map to 3 classes.
    static var imageClassifier: Sequential {
        Sequential([
            Flatten(),
            Linear(weight: Tensor(shape: [3, 16]) { Float($0 % 5) * 0.1 - 0.2 }, bias: Tensor([0, 0.1, -0.1])),
        ])
    }

    @Test func complexityAddsThePNGLengthInBitsToTheLogDensity() throws {
        let constant = [UInt8](repeating: 77, count: 16)
        var generator = SeededGenerator(seed: 1)
        let noisy = (0..<16).map { _ in UInt8.random(in: 0...255, using: &generator) }
        let x = Tensor((constant + noisy).map { Float($0) / 127.5 - 1 }, shape: [2, 1, 4, 4])
        let bits = InputComplexity.bits(x)
        #expect(bits[0] == Double(8 * PNGWriterSize.of(constant)))
        #expect(bits[1] == Double(8 * PNGWriterSize.of(noisy)))
        #expect(bits[0] < bits[1], "a constant image compresses to fewer bits than noise")
        let model = ScoringModel(classifier: Self.imageClassifier)
        let scores = DatasetScoring(scores: [.logDensity, .complexity(weight: 0.5)]).scoreBatch(
            x, model: model, seed: 0
        )
        .scores
        for i in 0..<2 {
            let expected = (scores[.logDensity]?[i] ?? .nan) + 0.5 * bits[i] * log(2)
            #expect(abs((scores[.complexity(weight: 0.5)]?[i] ?? .nan) - expected) < 1e-9)
        }
    }

    @Test func theFittedComplexityWeightBalancesTheTwoSpreads() {
        // σ(log p) = 1 over (1, 3); σ(L ln 2) = 5 ln 2 over (0, 10) bits: w = 1 / (5 ln 2).
        #expect(abs(InputComplexity.balancingWeight(logDensity: [1, 3], bits: [0, 10]) - 1 / (5 * log(2))) < 1e-12)
        #expect(InputComplexity.balancingWeight(logDensity: [2, 2], bits: [0, 10]) == 1)
        var model = ScoringModel(classifier: Self.imageClassifier)
        #expect(!model.supports(.complexity(weight: nil)) && model.canFit(.complexity(weight: nil)))
        model.complexityWeight = 0.5
        let x = Tensor((0..<32).map { Float($0 % 5) / 5 }, shape: [2, 1, 4, 4])
        let scores = DatasetScoring(scores: [.complexity(weight: nil), .complexity(weight: 0.5)]).scoreBatch(
            x, model: model, seed: 0
        ).scores
        #expect(scores[.complexity(weight: nil)] == scores[.complexity(weight: 0.5)])
    }

    @Test func theEnsembleIsTheMostDoubtfulStandardisedMember() throws {
        // An identity feature layer before the read-out, so the Gaussians and the bank see the input itself.
        let network = Sequential([
            Flatten(), Linear(weight: Tensor([1, 0, 0, 1], shape: [2, 2]), bias: Tensor([0, 0])),
            Linear(weight: Tensor([1, 0, 0, 1, 1, 1], shape: [3, 2]), bias: Tensor([0, 0, 0])),
        ])
        var model = ScoringModel(classifier: network)
        model.gaussians = try Self.gaussians()
        model.bank = try FeatureBank(normalising: Tensor(Self.points, shape: [8, 2]))
        model.complexityWeight = 0
        let standardisation: [OODScore: (mean: Double, deviation: Double)] = [
            .logDensity: (1, 2), .complexity(weight: nil): (0, 1), .mahalanobis(preprocessing: 0): (-2, 4),
            .knn(neighbours: 50): (-0.5, 0.25),
        ]
        model.standardisation = standardisation
        // Three 1×1×2 images (the complexity member reads images).
        let x = Tensor([1, 2, 10, -1, 30, 30], shape: [3, 1, 1, 2])
        let members = DatasetScoring(scores: OODScore.ensembleMembers).scoreBatch(x, model: model, seed: 0).scores
        let ensemble = DatasetScoring(scores: [.ensemble]).scoreBatch(x, model: model, seed: 0).scores
        #expect(Set(ensemble.keys) == [.ensemble], "members asked for only by the ensemble are not returned")
        for i in 0..<3 {
            let expected =
                OODScore.ensembleMembers.map { member in
                    ((members[member]?[i] ?? .nan) - (standardisation[member]?.mean ?? 0))
                        / (standardisation[member]?.deviation ?? 1)
                }.min() ?? .nan
            #expect(abs((ensemble[.ensemble]?[i] ?? .nan) - expected) < 1e-9)
        }
        // (30, 30) is far from both classes: its Mahalanobis member decides.
        #expect((ensemble[.ensemble]?[2] ?? 0) < (ensemble[.ensemble]?[0] ?? 0))
    }

    @Test func likelihoodRatioSubtractsTheBackgroundLogDensity() {
        let x = Tensor((0..<32).map { Float($0 % 7) / 7 - 0.5 }, shape: [2, 1, 4, 4])
        var model = ScoringModel(classifier: Self.imageClassifier)
        // A background energy E_bg(x) = Σ x²: the score is log p(x) + E_bg(x) = log p(x) − log p_bg(x).
        model.backgroundEnergy = { ($0 * $0).sum(squeezingAxes: [1, 2, 3]) }
        let scores = DatasetScoring(scores: [.logDensity, .likelihoodRatio]).scoreBatch(x, model: model, seed: 0).scores
        let squares = (0..<2).map { i in (0..<16).reduce(0.0) { $0 + pow(Double(x.scalars[i * 16 + $1]), 2) } }
        for i in 0..<2 {
            #expect(abs((scores[.likelihoodRatio]?[i] ?? .nan) - (scores[.logDensity]?[i] ?? .nan) - squares[i]) < 1e-5)
        }
    }

    @Test func typicalityScoresABatchByItsMeanEnergysDistanceFromTheEntropy() throws {
        let test = try TypicalityTest(trainingEnergies: [1, 2, 3, 4])
        #expect(test.entropy == 2.5)
        #expect(test.score(batchEnergies: [1, 2]) == -1)
        #expect(test.score(batchEnergies: [2, 3]) == 0)
        let batches = test.batchScores(energies: Array(repeating: 2.5, count: 11), batchSize: 5, seed: 0)
        #expect(batches == [0, 0], "11 inputs make two batches of 5; the last one is dropped")
        #expect(throws: FittedScoreError.self) { try TypicalityTest(trainingEnergies: [.nan]) }
    }

    @Test func newScoreNamesRoundTrip() {
        let all: [OODScore] = [
            .complexity(weight: nil), .complexity(weight: 1), .complexity(weight: 0.25), .likelihoodRatio,
            .mahalanobis(preprocessing: 0),
            .mahalanobis(preprocessing: 0.002), .knn(neighbours: 50), .knn(neighbours: 1), .ensemble,
        ]
        for score in all { #expect(OODScore(name: score.name) == score, "\(score.name)") }
        #expect(OODScore(name: "knn")?.name == "knn")
        #expect(OODScore(name: "complexity@0") == .complexity(weight: 0))
        for bad in [
            "knn@0", "knn@x", "knn@1.5", "mahalanobis@-1", "mahalanobis@2", "complexity@-1", "likelihood-ratio@2",
        ] {
            #expect(OODScore(name: bad) == nil, "\(bad)")
        }
    }
}

/// The PNG length of a 4×4 grey image, for the complexity test.
enum PNGWriterSize {
    static func of(_ pixels: [UInt8]) -> Int {
        Datasets.PNGWriter.encodedSize(pixels, width: 4, height: 4, channels: 1)
    }
}
