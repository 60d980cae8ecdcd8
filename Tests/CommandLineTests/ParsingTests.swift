import ArgumentParser
import Foundation
import Runs
import TestSupport
import Testing

@testable import joule

/// The command line as ArgumentParser reads it, without running anything: every command's
/// help, bad choices that list the valid ones, and where a run's settings come from.
@Suite struct ParsingTests {
    /// Every command, subcommands included, with the words that reach it.
    static func commands(_ root: any ParsableCommand.Type = Joule.self, path: [String] = []) -> [(
        [String], any ParsableCommand.Type
    )] {
        let here = [(path, root)]
        return here + root.configuration.subcommands.flatMap { commands($0, path: path + [$0._commandName]) }
    }

    @Test func everyCommandHasHelpThatStatesEachDefaultOnce() throws {
        let all = Self.commands()
        #expect(all.count >= 14, "\(all.map { $0.0.joined(separator: " ") })")
        for (path, command) in all {
            let help = Joule.helpMessage(for: command, columns: 100)
            let name = (["joule"] + path).joined(separator: " ")
            #expect(help.contains("USAGE: \(name)"), "\(name)")
            #expect(!command.configuration.abstract.isEmpty, "\(name) has no abstract")
            // An option's block runs from its line to the next option's.
            let blocks = help.components(separatedBy: "\n  -")
            for block in blocks where block.components(separatedBy: "(default:").count > 2 {
                Issue.record("\(name): a default stated twice in \(block.prefix(80))")
            }
        }
    }

    @Test func trainHelpGroupsTheSettings() {
        let help = Joule.helpMessage(for: TrainCommand.self, columns: 100)
        let titles = ["COMMON OPTIONS:", "CONFIGURATION, RESUMING AND RECORDING:", "DATA AND AUGMENTATION:", "JEM:"]
        let positions = titles.compactMap { help.range(of: $0)?.lowerBound }
        #expect(positions.count == titles.count && positions == positions.sorted(), "\(help.prefix(400))")
        #expect(help.contains("--sgld-steps") && help.contains("--sampler-precision") && help.contains("--runs-db"))
    }

    /// Each wrong value names the option and every value it takes.
    @Test(arguments: [
        (
            ["train", "--objective", "ebm"],
            [
                "'ebm' is invalid for '--objective <objective>'",
                "ce, jem, esm, ssm, ssm-vr, dsm, mdsm, vera, meg, kim-bengio",
            ]
        ),
        (["train", "--dataset", "toy:spiral"], ["'--dataset <dataset>'", "toy:8gaussians, toy:moons, toy:rings"]),
        (["train", "--model", "resnet"], ["'--model <model>'", "mlp, cnn-s, wrn-D-W"]),
        (["train", "--optimizer", "lamb"], ["'--optimizer <optimizer>'", "adam, adamw, sgd"]),
        (["train", "--schedule", "linear"], ["'--schedule <schedule>'", "constant, cosine, step"]),
        (
            ["train", "--sampler-precision", "half"],
            ["'--sampler-precision <sampler-precision>'", "float32, bfloat16"]
        ),
        (["train", "--norm", "instance"], ["'--norm <norm>'", "none, layer, group, batch"]),
        (["train", "--buffer-start", "zeros"], ["'--buffer-start <buffer-start>'", "uniform, class-gaussian"]),
        (["train", "--steps", "many"], ["'--steps <steps>'", "a whole number"]),
        (["evaluate", "r", "--scores", "max-prob"], ["unknown score 'max-prob'", "log-px, max-softmax"]),
        (["evaluate", "r", "--checkpoint", "first"], ["'--checkpoint <checkpoint>'", "'best' and 'last'"]),
        (["calibrate", "r", "--method", "platt"], ["'temperature', 'histogram' or 'isotonic'"]),
        (["score", "r", "x.png", "--format", "xml"], ["'csv' and 'json'"]),
        (["score", "r", "x.png", "--calibrator", "newest"], ["latest, none, vN or a .json file"]),
        (["sample", "r", "--out", "x.png", "--from", "buffers"], ["'buffer', 'noise' or 'generator'"]),
    ])
    func aBadChoiceListsTheValidOnes(arguments: [String], fragments: [String]) {
        do {
            _ = try Joule.parseAsRoot(arguments)
            Issue.record("\(arguments) parsed")
        } catch {
            let message = Joule.message(for: error)
            for fragment in fragments { #expect(message.contains(fragment), "\(arguments): \(message)") }
            #expect(Joule.exitCode(for: error) == .validationFailure)
        }
    }

    /// Defaults, then the YAML file, then the options given; `--epochs` drops a file's steps.
    @Test func optionsOverrideTheFileWhichOverridesTheDefaults() throws {
        try withTemporaryDirectory { folder in
            let file = try writeFile(
                Array("lr: 0.5\nbatch_size: 32\nsteps: 40\nsgld-steps: 7\nobjective: jem\nmodel: mlp\n".utf8),
                named: "run.yaml", in: folder)
            let command = try #require(
                try Joule.parseAsRoot([
                    "train", "--config", file.path, "--lr", "0.01", "--epochs", "2",
                    "--no-flip", "--sgld-steps", "9",
                ]) as? TrainCommand)
            let (c, resumed) = try command.makeSession().resolvedConfiguration()
            #expect(resumed == nil)
            #expect(c.core.learningRate == 0.01 && c.core.epochs == 2 && c.core.steps == nil, "options win")
            #expect(
                c.core.batchSize == 32 && c.core.objective == .jem && c.core.model == .mlp,
                "the file's where no option is given")
            #expect(c.jem.sgldSteps == 9 && !c.data.flip)
            #expect(c.core.seed == 1 && c.core.optimizer == .adam && c.jem.bufferSize == 10_000, "defaults elsewhere")

            let kept = try #require(
                try Joule.parseAsRoot(["train", "--config", file.path, "--seed", "4"]) as? TrainCommand)
            let (d, _) = try kept.makeSession().resolvedConfiguration()
            #expect(d.core.steps == 40 && d.core.learningRate == 0.5 && d.core.seed == 4 && d.jem.sgldSteps == 7)
        }
    }

    /// A negative number reaches validation (which names the setting) instead of being read as an option.
    @Test func negativeNumbersAreValuesNotOptions() throws {
        let command = try #require(try Joule.parseAsRoot(["train", "--steps", "-5"]) as? TrainCommand)
        #expect { try command.makeSession().resolvedConfiguration() } throws: {
            "\($0)" == "setting 'steps': must be at least 1"
        }
    }
}
