import ArgumentParser
import JouleVersion

/// The `joule` command: trains classifiers as energy-based models and measures them.
@main
struct Joule: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "joule",
        abstract: "Energy-based training and uncertainty for classifiers.",
        version: JouleVersion.description,
        subcommands: [
            TrainCommand.self, EvaluateCommand.self, CalibrateCommand.self, ScoreCommand.self, SampleCommand.self,
            RunsCommand.self, ReportCommand.self, BenchCommand.self,
        ]
    )
}
