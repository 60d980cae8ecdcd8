import Checkpoints
import Foundation
import Tensors
import Uncertainty

extension StoredScoreFit {
    /// Writes the fit beside `checkpoint` as its next version (never replacing a file) and sets `version`.
    public mutating func write(forCheckpoint checkpoint: URL) throws -> URL {
        var copy = self
        let (version, url) = try Self.sidecar.writeNextVersion(forCheckpoint: checkpoint) { version in
            copy.version = version
            return try copy.safeTensors().serialized()
        }
        self.version = version
        return url
    }

    /// The file's contents: the statistics as tensors, everything else as metadata.
    func safeTensors() throws -> SafeTensors {
        var metadata = [
            "format": Self.format, "format_version": String(Self.formatVersion), "checkpoint": checkpoint,
            "step": String(step), "run_id": runID, "model_digest": modelDigest, "version": String(version),
            "fitted_at": String(fittedAt.timeIntervalSince1970), "training_count": String(trainingCount),
            "validation_count": String(validationCount),
            "validation_scores": String(decoding: try JSONEncoder().encode(validationScores), as: UTF8.self),
        ]
        if let typicality { metadata["typicality_entropy"] = String(typicality.entropy) }
        if let complexityWeight { metadata["complexity_weight"] = String(complexityWeight) }
        if let standardisation {
            let table = Dictionary(
                uniqueKeysWithValues: standardisation.map { ($0.key.name, [$0.value.mean, $0.value.deviation]) })
            metadata["ensemble_standardisation"] = String(decoding: try JSONEncoder().encode(table), as: UTF8.self)
        }
        if let background {
            metadata["background"] = String(decoding: try JSONEncoder().encode(background), as: UTF8.self)
        }
        var file = SafeTensors(metadata: metadata)
        if let gaussians {
            try file.append(gaussians.whitening, named: "mahalanobis.whitening")
            try file.append(gaussians.whitenedMeans, named: "mahalanobis.means")
        }
        if let bank { try file.append(bank.features, named: "knn.bank") }
        return file
    }

    /// Reads and checks a fit file: its format and version, every field, the statistics' shapes and values,
    /// and, when `digest` is given, that it was fitted for those weights.
    ///
    /// - Throws: `EvaluationError` naming the file and what is wrong with it.
    public static func read(_ url: URL, expectingDigest digest: String? = nil) throws -> StoredScoreFit {
        func bad(_ problem: String) -> EvaluationError { .invalid("\(url.path): \(problem)") }
        guard FileManager.default.fileExists(atPath: url.path) else { throw bad("no such score fit") }
        let file: SafeTensors
        do { file = try SafeTensors.read(from: url) } catch { throw bad("not a readable score fit (\(error))") }
        let m = file.metadata
        guard m["format"] == format else {
            throw bad("not a Joule score fit (no format \"\(format)\" in its metadata)")
        }
        guard m["format_version"] == String(formatVersion) else {
            throw bad("score-fit layout \(m["format_version"] ?? "?"), this Joule reads \(formatVersion)")
        }
        func field(_ key: String) throws -> String {
            guard let value = m[key] else { throw bad("metadata field \(key) is missing") }
            return value
        }
        func integer(_ key: String) throws -> Int {
            guard let value = Int(try field(key)), value >= 0 else { throw bad("metadata field \(key) is not a count") }
            return value
        }
        guard let fittedAt = Double(try field("fitted_at")) else { throw bad("metadata field fitted_at is not a time") }
        let scores: [String: [Double]]
        do {
            scores = try JSONDecoder().decode([String: [Double]].self, from: Data(try field("validation_scores").utf8))
        } catch { throw bad("metadata field validation_scores is not a JSON object of number lists (\(error))") }
        var fit = StoredScoreFit(
            checkpoint: try field("checkpoint"), step: try integer("step"), runID: try field("run_id"),
            modelDigest: try field("model_digest"), fittedAt: Date(timeIntervalSince1970: fittedAt),
            trainingCount: try integer("training_count"), validationCount: try integer("validation_count"),
            validationScores: scores)
        fit.version = try integer("version")
        if let digest, fit.modelDigest != digest {
            throw bad(
                "fitted for other weights (model digest \(fit.modelDigest.prefix(12))…, the checkpoint's is "
                    + "\(digest.prefix(12))…): fit again with --refit-scores")
        }
        for (name, values) in scores where values.count != fit.validationCount {
            throw bad("validation scores of \(name): \(values.count) values for \(fit.validationCount) images")
        }
        do {
            if let entropy = m["typicality_entropy"] {
                guard let value = Double(entropy) else { throw FittedScoreError("typicality_entropy is not a number") }
                fit.typicality = try TypicalityTest(entropy: value)
            }
            if let weight = m["complexity_weight"] {
                guard let value = Double(weight), value.isFinite, value >= 0 else {
                    throw FittedScoreError("complexity_weight is not a non-negative number")
                }
                fit.complexityWeight = value
            }
            if let text = m["ensemble_standardisation"] {
                let table = try JSONDecoder().decode([String: [Double]].self, from: Data(text.utf8))
                var standardisation: [OODScore: (mean: Double, deviation: Double)] = [:]
                for (name, pair) in table {
                    guard let score = OODScore(name: name), pair.count == 2, pair[0].isFinite, pair[1].isFinite,
                        pair[1] > 0
                    else {
                        throw FittedScoreError(
                            "ensemble_standardisation of \(name) is not a mean and a positive spread")
                    }
                    standardisation[score] = (pair[0], pair[1])
                }
                guard OODScore.ensembleMembers.allSatisfy({ standardisation[$0] != nil }) else {
                    throw FittedScoreError("ensemble_standardisation lacks a member")
                }
                fit.standardisation = standardisation
            }
            if let background = m["background"] {
                fit.background = try JSONDecoder().decode(BackgroundReference.self, from: Data(background.utf8))
            }
            let names = Set(file.entries.map(\.name))
            if names.contains("mahalanobis.whitening") || names.contains("mahalanobis.means") {
                fit.gaussians = try FeatureGaussians(
                    whitening: try file.tensor(named: "mahalanobis.whitening"),
                    whitenedMeans: try file.tensor(named: "mahalanobis.means"))
            }
            if names.contains("knn.bank") { fit.bank = try FeatureBank(normalised: try file.tensor(named: "knn.bank")) }
        } catch {
            throw bad("\(error)")
        }
        if let gaussians = fit.gaussians, let bank = fit.bank, gaussians.dimension != bank.dimension {
            throw bad("the Gaussians have \(gaussians.dimension) features but the bank \(bank.dimension)")
        }
        return fit
    }

    /// The newest fit stored for `checkpoint` when it was made for the weights with `digest`; nil when there is
    /// none, or (with a line in `log`) when the newest belongs to other weights.
    public static func latest(forCheckpoint checkpoint: URL, digest: String, log: (String) -> Void) throws
        -> StoredScoreFit?
    {
        guard let newest = versions(forCheckpoint: checkpoint).last else { return nil }
        let url = url(forCheckpoint: checkpoint, version: newest)
        let fit = try read(url)
        guard fit.modelDigest == digest else {
            log("not using \(url.path): fitted for other weights (the run went on since); fitting again")
            return nil
        }
        return fit
    }
}
