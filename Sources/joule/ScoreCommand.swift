import ArgumentParser
import Datasets
import Evaluation
import Foundation
import Runs
import Training
import Uncertainty

/// `joule score RUN PATH…`: scores a user's images for being in or out of distribution.
struct ScoreCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "score",
        abstract: "Score images (PNG files or folders, IDX files) for being out of distribution.",
        discussion: """
        For each image: the predicted class and its probability, the score (higher = more in-distribution) \
        and a decision, in or out, at the threshold that keeps --tpr of the run's validation images \
        (the largest t with at least that share of validation scores ≥ t). Scores: \(OODScore.nameHelp).
        """
    )

    @Argument(help: "Run id (or a unique prefix) or a checkpoint file.") var runOrFile: String
    @Argument(help: "PNG files, folders of PNG files, or IDX image files.") var paths: [String]
    @OptionGroup var store: RunStoreOptions
    @Option(help: "The score.") var score = "log-px"
    @Option(parsing: .unconditional, help: "Share of validation images to call in-distribution when fitting the threshold.")
    var tpr = 0.95
    @Flag(help: "Skip the validation threshold (no decision column).") var noThreshold = false
    @Option(help: ArgumentHelp("The calibrator to apply: latest (fitted on the checkpoint's weights), none, vN, or a file.",
                               valueName: "choice"))
    var calibrator = "latest"
    @Flag(help: "The same as --calibrator none.") var noCalibrator = false
    @Option(help: "csv or json.") var format = "csv"
    @Option(help: "Where run folders are, for a run the store does not know (default: checkpoints).") var checkpointDir: String?
    @Option(help: "Which checkpoint of the run: best (on validation) or last.") var checkpoint = "best"
    @Option(parsing: .unconditional, help: "Images per forward pass.") var batchSize = 256

    func run() throws {
        try reportingErrors("score") {
            guard let kind = OODScore(name: score) else { throw ValidationErrorText("unknown score '\(score)' (expected \(OODScore.nameHelp))") }
            guard ["csv", "json"].contains(format) else { throw ValidationErrorText("--format must be csv or json") }
            guard tpr > 0 && tpr <= 1 else { throw ValidationErrorText("--tpr must be in (0, 1]") }
            guard (1...65_536).contains(batchSize) else { throw ValidationErrorText("--batch-size must be between 1 and 65536") }
            guard !paths.isEmpty else { throw ValidationErrorText("give at least one PNG file, folder or IDX file") }
            guard let choice = noCalibrator ? StoredCalibrator.Choice.none : StoredCalibrator.Choice(calibrator) else {
                throw ValidationErrorText("--calibrator '\(calibrator)': expected latest, none, vN or a .json file")
            }
            let url = try CheckpointLocation.resolve(runOrFile, checkpointDirectory: checkpointDir, which: checkpoint,
                                                     store: store.location)
            let saved = try TrainingCheckpoint.read(from: url)
            let shape = try saved.inputShape(path: url.path)
            let scoringModel = try saved.scoringModel(path: url.path)
            guard scoringModel.supports(kind) else {
                throw ValidationErrorText("score \(kind.name) needs a classifier head, which this \(saved.configuration.core.objective) energy does not have")
            }
            let log: (String) -> Void = { FileHandle.standardError.write(Data(($0 + "\n").utf8)) }
            // The same checkpoint as this command's, named the same way.
            let refit = CommandHint.command(["calibrate", runOrFile] + (checkpoint == "best" ? [] : ["--checkpoint", checkpoint])
                                            + (checkpointDir.map { ["--checkpoint-dir", $0] } ?? []), store: store.location)
            let calibrator = try StoredCalibrator.load(choice, forCheckpoint: url, step: saved.progress.step, refit: refit, log: log)
            if let calibrator { log("applying \(calibrator.description) to the probabilities (--calibrator none to skip)") }
            var scoring = DatasetScoring(scores: [kind])
            scoring.batchSize = batchSize

            var threshold: Double?
            var classNames = saved.configuration.core.dataset == .fashionMNIST ? FashionMNIST.classNames : []
            if !noThreshold {
                let data = try TrainingData.load(saved.configuration)
                classNames = data.train.classNames
                guard let validation = data.validation else {
                    throw ValidationErrorText("the run has no validation hold-out to fit a threshold on; add --no-threshold")
                }
                threshold = ScoreThreshold.fit(inDistribution: scoring.run(validation, name: "validation", model: scoringModel).scores[kind] ?? [],
                                               truePositiveRate: tpr)
            }
            var samples: [[String: Any]] = []
            for path in paths {
                let set = try Self.load(path, shape: shape)
                var scored = scoring.run(set, name: path, model: scoringModel)
                if let calibrator, let logits = scored.logits { scored.probabilities = calibrator.calibrator.calibrated(logits: logits) }
                let predictions = scored.predictions, confidences = scored.confidences, values = scored.scores[kind] ?? []
                for i in 0..<scored.count {
                    var row: [String: Any] = ["source": set.sources.isEmpty ? "\(path)#\(i)" : set.sources[i], "score": Self.number(values[i])]
                    if let predictions, let confidences {
                        row["prediction"] = predictions[i]
                        row["class"] = classNames[safe: predictions[i]] ?? String(predictions[i])
                        row["confidence"] = Self.number(confidences[i])
                    }
                    if let threshold { row["decision"] = values[i] >= threshold ? "in" : "out" }
                    samples.append(row)
                }
            }
            if format == "json" {
                var object: [String: Any] = ["score": kind.name, "meaning": kind.meaning, "samples": samples,
                                             "calibrator": calibrator?.summary ?? NSNull()]
                if let threshold { object["threshold"] = ["value": threshold, "tpr": tpr, "fitted_on": "validation"] }
                try printJSON(object)
                return
            }
            let columns = ["source", "prediction", "class", "confidence", "score"] + (threshold == nil ? [] : ["decision"])
            print(columns.joined(separator: ","))
            for row in samples {
                print(columns.map { key in
                    switch row[key] {
                    case let v?: return OutputTable.csvField("\(v)")
                    default: return ""
                    }
                }.joined(separator: ","))
            }
            if let threshold {
                FileHandle.standardError.write(Data("threshold \(threshold) keeps \(Int(tpr * 100))% of validation images in (score \(kind.name))\n".utf8))
            }
        }
    }

    /// A finite value as a number; NaN and infinities as text (JSON has no such numbers).
    static func number(_ v: Double) -> Any { v.isFinite ? v : (v.isNaN ? "NaN" : (v > 0 ? "Inf" : "-Inf")) }

    /// PNG files and folders, or an IDX image file; shapes must be the model's.
    static func load(_ path: String, shape: [Int]) throws -> ImageDataset {
        let url = URL(fileURLWithPath: path)
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw ValidationErrorText("\(path): no such file or folder")
        }
        let set = isDirectory.boolValue || path.lowercased().hasSuffix(".png")
            ? try PNGFolder.loadUnlabeled(paths: [url], grayscale: shape[0] == 1)
            : try IDXImages.load(from: url)
        guard [set.channels, set.height, set.width] == shape else {
            throw ValidationErrorText("\(path): images are \(set.channels)×\(set.height)×\(set.width) but the model takes "
                                      + shape.map(String.init).joined(separator: "×"))
        }
        return set
    }
}

extension Array {
    /// The element at `index`, or nil outside the array.
    subscript(safe index: Int) -> Element? { indices.contains(index) ? self[index] : nil }
}
