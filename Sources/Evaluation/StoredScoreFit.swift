import Checkpoints
import Foundation
import Tensors
import Uncertainty

/// What the OOD scores fitted for one checkpoint, kept beside it as a safetensors file, one
/// version per fit (`best.safetensors` → `best.scores.v1.safetensors`, v2, …; none is
/// overwritten): the Mahalanobis Gaussians and the k-NN feature bank from the training split,
/// the typicality test's entropy estimate, the background model the likelihood ratio uses,
/// and each score's values on the calibration half of the validation hold-out, from which
/// the in/out thresholds follow for any true-positive rate. `evaluate` and `score` reuse
/// the newest fit made for the checkpoint's weights and fit again only what it lacks (or
/// everything, on request).
public struct StoredScoreFit: Sendable {
    /// The `format` metadata every such file carries, and its layout's version.
    public static let format = "joule-score-fit"
    /// The layout version this code writes and reads.
    public static let formatVersion = 1
    static let sidecar = CheckpointSidecar(kind: "scores", fileExtension: "safetensors")

    /// The checkpoint file's name it belongs to.
    public var checkpoint: String
    /// The optimiser step the checkpoint held.
    public var step: Int
    /// The run the checkpoint belongs to.
    public var runID: String
    /// SHA-256 of the checkpoint's model tensors (`TrainingCheckpoint.modelDigest`): a fit is used only on the
    /// weights it was made for.
    public var modelDigest: String
    /// Its version among the checkpoint's fits (set when written or read).
    public var version = 0
    /// When it was fitted.
    public var fittedAt: Date
    /// Training images behind the feature statistics and the entropy estimate.
    public var trainingCount: Int
    /// Validation images (the calibration half of the hold-out) behind `validationScores`.
    public var validationCount: Int
    /// Mahalanobis: class Gaussians on the penultimate features.
    public var gaussians: FeatureGaussians?
    /// k-NN: the normalised training features.
    public var bank: FeatureBank?
    /// The typicality test's entropy estimate.
    public var typicality: TypicalityTest?
    /// The likelihood ratio's background model.
    public var background: BackgroundReference?
    /// The complexity score's weight, σ(log p) / σ(L ln 2) on the calibration half.
    public var complexityWeight: Double?
    /// The ensemble's standardisation: each member's mean and standard deviation on the calibration half.
    public var standardisation: [OODScore: (mean: Double, deviation: Double)]?
    /// Each score's values on the calibration half of the validation hold-out, by score name.
    public var validationScores: [String: [Double]]

    /// A fit from its parts (version 0 until written).
    public init(
        checkpoint: String, step: Int, runID: String, modelDigest: String, fittedAt: Date, trainingCount: Int,
        validationCount: Int, validationScores: [String: [Double]]
    ) {
        self.checkpoint = checkpoint
        self.step = step
        self.runID = runID
        self.modelDigest = modelDigest
        self.fittedAt = fittedAt
        self.trainingCount = trainingCount
        self.validationCount = validationCount
        self.validationScores = validationScores
    }

    /// The threshold of `score` that keeps `truePositiveRate` of the validation images in; nil when the fit has
    /// no validation values for it.
    public func threshold(_ score: OODScore, truePositiveRate: Double) -> Double? {
        validationScores[score.name].flatMap {
            ScoreThreshold.fit(inDistribution: $0, truePositiveRate: truePositiveRate)
        }
    }

    /// Whether the fit holds what `score` needs: validation values, and its statistics or background model.
    public func covers(_ score: OODScore) -> Bool {
        guard validationScores[score.name] != nil else { return false }
        switch score {
        case .mahalanobis: return gaussians != nil
        case .knn: return bank != nil
        case .likelihoodRatio: return background != nil
        case .complexity(let weight): return weight != nil || complexityWeight != nil
        case .ensemble: return standardisation != nil && OODScore.ensembleMembers.allSatisfy(covers)
        default: return true
        }
    }

    /// "best.scores.v2.safetensors: mahalanobis, knn, … fitted on 55000 training and 2500 validation images at
    /// step 10320".
    public var description: String {
        "\(Self.sidecar.fileName(forCheckpoint: checkpoint, version: version)): "
            + validationScores.keys.sorted().joined(separator: ", ")
            + " fitted on \(trainingCount) training and \(validationCount) validation images at step \(step)"
    }

    /// The versions stored for `checkpoint`, oldest first.
    public static func versions(forCheckpoint checkpoint: URL) -> [Int] {
        sidecar.versions(forCheckpoint: checkpoint)
    }

    /// Where version `version` of `checkpoint`'s fits lives.
    public static func url(forCheckpoint checkpoint: URL, version: Int) -> URL {
        sidecar.url(forCheckpoint: checkpoint, version: version)
    }
}

/// The background model of the likelihood-ratio score: a checkpoint of another run, trained on perturbed
/// inputs, named by its file and pinned by its weights' digest.
public struct BackgroundReference: Codable, Sendable, Equatable {
    /// The checkpoint file, as given (absolute when it was given so).
    public var path: String
    /// Its run.
    public var runID: String
    /// SHA-256 of its model tensors.
    public var modelDigest: String

    enum CodingKeys: String, CodingKey {
        case path
        case runID = "run_id"
        case modelDigest = "model_digest"
    }
}
