import ArgumentParser
import Evaluation
import Foundation

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
            The grid is recorded as an artifact of the run when the run is in the store.
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

extension SampleGeneration.Start: ExpressibleByArgument {}
