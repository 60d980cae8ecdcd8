import ArgumentParser
import Foundation

/// What `joule train` takes besides the settings: where settings come from, where the run is
/// recorded and how it is labelled.
struct TrainRunOptions: ParsableArguments {
    @Option(help: "YAML file of settings; options given here override it.") var config: String?
    @Option(help: "Continue a run: its id (or a unique prefix) or a checkpoint file.") var resume: String?
    @OptionGroup var store: RunStoreOptions
    @Option(help: "A name for the run (default: objective · model · dataset · seed in reports, the id elsewhere).")
    var name: String?
    @Option(help: "Experiment the run belongs to.") var experiment: String?
    @Option(name: .customLong("tag"), help: "A tag KEY=VALUE (repeatable).") var tags: [String] = []
    @Flag(help: "Run a few batches to check the set-up; write and record nothing.") var dryRun = false
    @Flag(help: "Print a JSON summary on standard output.") var json = false

    /// The `--tag KEY=VALUE` options as a mapping.
    func parsedTags() throws -> [String: String] {
        var result: [String: String] = [:]
        for tag in tags {
            guard let equals = tag.firstIndex(of: "="), equals != tag.startIndex else {
                throw ValidationError("--tag '\(tag)': expected KEY=VALUE")
            }
            result[String(tag[..<equals])] = String(tag[tag.index(after: equals)...])
        }
        return result
    }
}
