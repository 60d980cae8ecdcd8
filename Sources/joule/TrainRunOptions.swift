import ArgumentParser
import Foundation

/// What `joule train` takes besides the settings: where settings come from, where the run is
/// recorded and how it is labelled.
struct TrainRunOptions: ParsableArguments {
    @Option(help: "YAML file of settings; options given here override it.") var config: String?
    @Option(help: "Continue a run: its id (or a unique prefix) or a checkpoint file.") var resume: String?
    @OptionGroup var store: RunStoreOptions
    @Option(help: "A name for the run (default: objective · model · dataset · seed in reports, the id elsewhere).") var name: String?
    @Option(help: "Experiment the run belongs to.") var experiment: String?
    @Option(name: .customLong("tag"), help: "A tag KEY=VALUE (repeatable).") var tags: [String] = []
    @Flag(help: "Run a few batches to check the set-up; write and record nothing.") var dryRun = false
    @Flag(help: "Print a JSON summary on standard output.") var json = false
}
