import ArgumentParser
import Evaluation
import Foundation
import RunLog
import Runs

/// `joule sample RUN --out grid.png`: SGLD samples of a trained model as a PNG grid.
struct SampleCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sample",
        abstract: "Draw samples from a trained model by SGLD and write them as a PNG grid.",
        discussion: """
            From the run's replay buffer (continuing its chains; JEM runs), from Uniform(−1, 1) noise \
            (short-run chains), or from the run's generator (vera, meg, kim-bengio), refined by --steps \
            SGLD steps on the energy when given. --class K samples p(x | y = K); --per-class gives one row per class. \
            A score-matching energy (esm, ssm, ssm-vr, dsm, mdsm) samples from noise as its training \
            did: annealed Langevin over its σ schedule for mdsm (--steps per level), Langevin with \
            noise √(2η) otherwise; 2-D runs get a scatter plot over held-out points. \
            The grid is recorded as an artifact of the run when the run is in the store. \
            --evaluate CLASSIFIER measures sample quality instead: --chains-per-class fresh chains per class \
            from noise (default 100, 100 SGLD steps unless --steps says otherwise), judged by CLASSIFIER — a \
            cross-entropy run (its best checkpoint) or checkpoint file, the same one for every run compared: \
            the share it puts in the class each sample was drawn for, and the Fréchet distance and \
            precision/recall (k = 3) of its penultimate features against the test set's (a Fashion-MNIST \
            feature space, not Inception's). The numbers are stored with the run as a measurement, and the \
            grid (one row per class, --columns samples each) as its artifact.
            """
    )

    @OptionGroup var source: CheckpointOptions<LastCheckpoint>
    @Option(
        help:
            "Start from the replay buffer, noise, or the generator (default: the generator for vera/meg/kim-bengio runs, the buffer for JEM, noise for score matching)."
    ) var from: SampleGeneration.Start?
    @Option(
        parsing: .unconditional,
        help:
            "SGLD steps (default: the run's own from the buffer, 100 from noise, none after the generator; a score-matching run's sample-steps)."
    ) var steps: Int?
    @Option(parsing: .unconditional, help: "SGLD step size (default: the run's).") var stepSize: Float?
    @Option(parsing: .unconditional, help: "SGLD noise (default: the run's).") var noise: Float?
    @Option(
        name: .customLong("class"), parsing: .unconditional, help: "Sample this class only (class-conditional energy).")
    var label: Int?
    @Flag(help: "One row per class.") var perClass = false
    @Option(parsing: .unconditional, help: "Number of samples (unconditional or one class).") var count = 64
    @Option(parsing: .unconditional, help: "Grid columns.") var columns = 8
    @Option(help: "Random seed.") var seed: UInt64 = 0
    @Option(help: "Where to write the PNG grid (missing folders are created).") var out: String
    @Option(
        help: ArgumentHelp(
            "Measure sample quality with this cross-entropy run (its best checkpoint) or checkpoint file.",
            valueName: "classifier"))
    var evaluate: String?
    @Option(parsing: .unconditional, help: "With --evaluate: fresh chains per class.") var chainsPerClass = 100
    @Flag(help: "With --evaluate: print the numbers as JSON.") var json = false

    func run() throws {
        try reportingErrors("sample") {
            guard count >= 1, columns >= 1 else {
                throw ValidationErrorText("--count and --columns must be at least 1")
            }
            if let steps, steps < 0 { throw ValidationErrorText("--steps must not be negative") }
            for (name, value) in [("--step-size", stepSize), ("--noise", noise)] {
                if let value, !(value >= 0 && value.isFinite) {
                    throw ValidationErrorText("\(name) must be a non-negative number")
                }
            }
            let (url, saved) = try source.read()
            if let evaluate { return try measureQuality(saved, url: url, classifier: evaluate) }
            var generation = SampleGeneration()
            generation.start = from
            generation.steps = steps
            generation.stepSize = stepSize
            generation.noise = noise
            generation.count = count
            generation.label = label
            generation.perClass = perClass
            generation.columns = columns
            generation.seed = seed
            let (samples, _) = try generation.run(saved, path: url.path)
            let output = URL(fileURLWithPath: out)
            try OutputFile.prepare(output)
            try SampleGeneration.writePicture(samples, columns: columns, checkpoint: saved, to: output)
            // Recorded with the run when the store knows it; a missing store is not an error here.
            if let runs = source.storeHolding(saved.progress.runID, log: nil) {
                try runs.addArtifact(kind: "image-samples", path: output.path, for: saved.progress.runID)
            }
            let origin = generation.origin(for: saved.configuration)
            print(
                "wrote \(out): \(samples.shape[0]) samples, "
                    + (origin == .noise ? "from noise" : "from the \(origin.rawValue)"))
        }
    }
}

extension SampleCommand {
    /// `--evaluate`: fresh class-conditional chains from noise, judged by the classifier.
    private func measureQuality(_ saved: TrainingCheckpoint, url: URL, classifier: String) throws {
        guard chainsPerClass >= 2 else { throw ValidationErrorText("--chains-per-class must be at least 2") }
        guard from == nil || from == .noise else {
            throw ValidationErrorText("--evaluate draws fresh chains from noise; leave out --from \(from!.rawValue)")
        }
        let classifierURL = try CheckpointLocation.resolve(
            classifier, checkpointDirectory: source.checkpointDir, which: .best, store: source.store.location)
        let judge = try TrainingCheckpoint.read(from: classifierURL)
        var quality = SampleQualityEvaluation()
        quality.chainsPerClass = chainsPerClass
        quality.steps = steps ?? 100
        quality.stepSize = stepSize
        quality.noise = noise
        quality.seed = seed
        let (result, samples, _) = try quality.run(
            saved, path: url.path, classifier: judge, classifierPath: classifierURL.path)
        // The grid: the first --columns samples of each class, one row per class.
        let classes = samples.shape[0] / chainsPerClass
        let shown = min(columns, chainsPerClass)
        let rows = (0..<classes).flatMap { c in (0..<shown).map { c * chainsPerClass + $0 } }
        let output = URL(fileURLWithPath: out)
        try OutputFile.prepare(output)
        try SampleGeneration.writePicture(
            samples.gathering(atIndices: rows, alongAxis: 0), columns: shown, checkpoint: saved, to: output)
        let runID = saved.progress.runID
        let log: (String) -> Void = { FileHandle.standardError.write(Data(($0 + "\n").utf8)) }
        if let runs = source.storeHolding(runID, log: log) {
            let id = try runs.recordMeasurement(
                result.measurement, values: result.records, artifacts: [("image-samples", output.path)], for: runID)
            log("stored as measurement #\(id) of run \(runID) in \(runs.path)")
        }
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            encoder.keyEncodingStrategy = .convertToSnakeCase
            print(String(decoding: try encoder.encode(result), as: UTF8.self))
        } else {
            let f = { (value: Double, digits: Int) in String(format: "%.\(digits)f", value) }
            print(
                "\(result.sampleCount) samples (\(chainsPerClass) per class, \(result.steps) SGLD steps from noise, "
                    + "η \(result.stepSize), σ \(result.noise)), judged by \(result.classifierRun):\n"
                    + "  conditional-sample accuracy \(f(result.conditionalAccuracy, 4))\n"
                    + "  Fréchet distance \(f(result.frechetDistance, 2))\n"
                    + "  precision \(f(result.precision, 4))  recall \(f(result.recall, 4))\n"
                    + "  features: \(result.featureSpace)\nwrote \(out)")
        }
    }
}

extension SampleGeneration.Start: ExpressibleByArgument {}
