import Datasets
import Foundation
import Objectives
import RunLog
import Settings
import Tensors
import Testing

@testable import Runs
@testable import Training

/// `--objective vera|meg|kim-bengio` through both trainers on tiny data: the generator's whole
/// state travels in the checkpoint, so a resumed run ends with exactly the numbers of an
/// uninterrupted one; the JEM hybrid still learns to classify; the command line trains,
/// evaluates and samples these runs and refuses what cannot work.
@Suite(.serialized) struct LearnedSamplerRunTests {
    typealias CLI = TrainCommandTests

    static func configuration(_ estimate: EntropyEstimate) -> RunConfiguration {
        var c = TrainingTests.configuration()
        c.core.objective = Objective(rawValue: estimate.rawValue)!
        var settings = LearnedSamplerOptions()
        settings.generator = "mlp-16"
        settings.latentSize = 3
        settings.statisticsWidth = 8
        settings.importanceSamples = 4
        settings.entropyWeight = 0.01
        c.learnedSampler = settings
        return c
    }

    /// Every tensor of two checkpoints' states, by name.
    static func states(_ a: TrainingCheckpoint, _ b: TrainingCheckpoint) -> (names: [String], equal: [String]) {
        let names = a.extraState.keys.sorted()
        return (names, names.filter { a.extraState[$0]?.scalars == b.extraState[$0]?.scalars })
    }

    @Test(arguments: EntropyEstimate.allCases)
    func jemResumeIsExact(estimate: EntropyEstimate) throws {
        let data = TrainingTests.tinyData()
        let directory = TrainingTests.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let trainer = Trainer(configuration: Self.configuration(estimate), data: data, checkpointDirectory: directory)
        let whole = try trainer.run(runID: "whole")
        _ = try trainer.run(runID: "parts", stopAfterSteps: 11)
        let saved = try TrainingCheckpoint.read(from: directory.appendingPathComponent("parts/last.safetensors"))
        #expect(saved.extraState.keys.contains { $0.hasPrefix("sampler.generator.") })
        #expect(saved.extraState.keys.contains("posterior_log_sigma") == (estimate == .vera))
        #expect(saved.extraState.keys.contains { $0.hasPrefix("sampler.statistics.") } == (estimate == .meg))
        let resumed = try trainer.run(runID: "parts", resume: saved)
        #expect(resumed.steps == whole.steps && resumed.testAccuracy == whole.testAccuracy)
        let a = try TrainingCheckpoint.read(from: directory.appendingPathComponent("whole/last.safetensors"))
        let b = try TrainingCheckpoint.read(from: directory.appendingPathComponent("parts/last.safetensors"))
        #expect(
            a.modelTensors.map(\.tensor.scalars) == b.modelTensors.map(\.tensor.scalars),
            "\(estimate): resumed weights differ")
        let (names, equal) = Self.states(a, b)
        #expect(
            names == b.extraState.keys.sorted() && names == equal,
            "\(estimate): sampler state differs in \(Set(names).subtracting(equal))")
        #expect(
            FileManager.default.fileExists(atPath: directory.appendingPathComponent("whole/samples/step-24.png").path))
    }

    @Test func theJEMHybridStillClassifies() throws {
        var c = Self.configuration(.vera)
        c.core.steps = 120
        let summary = try Trainer(configuration: c, data: TrainingTests.tinyData(), checkpointDirectory: nil).run(
            runID: "vera")
        #expect((summary.bestValidationAccuracy ?? 0) > 0.8)
    }

    @Test func unconditionalResumeIsExact() throws {
        var c = Self.configuration(.vera)
        c.core.dataset = .toy(.eightGaussians)
        c.core.model = .energyMLP(width: 8)
        let data = try EnergyData.load(c)
        let directory = TrainingTests.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let trainer = Trainer(configuration: c, data: data, checkpointDirectory: directory)
        let whole = try trainer.run(runID: "whole")
        _ = try trainer.run(runID: "parts", stopAfterSteps: 9)
        let saved = try TrainingCheckpoint.read(from: directory.appendingPathComponent("parts/last.safetensors"))
        let resumed = try trainer.run(runID: "parts", resume: saved)
        #expect(resumed.finalValidationLoss == whole.finalValidationLoss && whole.finalValidationLoss != nil)
        let a = try TrainingCheckpoint.read(from: directory.appendingPathComponent("whole/last.safetensors"))
        let b = try TrainingCheckpoint.read(from: directory.appendingPathComponent("parts/last.safetensors"))
        #expect(a.modelTensors.map(\.tensor.scalars) == b.modelTensors.map(\.tensor.scalars))
        let (names, equal) = Self.states(a, b)
        #expect(!names.isEmpty && names == equal)
    }

    @Test func aCheckpointWithoutTheSamplerIsRefusedByName() throws {
        let data = TrainingTests.tinyData()
        let directory = TrainingTests.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let trainer = Trainer(configuration: Self.configuration(.vera), data: data, checkpointDirectory: directory)
        _ = try trainer.run(runID: "cut", stopAfterSteps: 5)
        var saved = try TrainingCheckpoint.read(from: directory.appendingPathComponent("cut/last.safetensors"))
        saved.extraState["posterior_log_sigma"] = nil
        #expect { try trainer.run(runID: "cut", resume: saved) } throws: { "\($0)".contains("posterior_log_sigma") }
    }

    /// Left unset, a JEM run takes VERA's reference command (entropy weight 1e-4, p(y|x) at
    /// 100 against p(x) at 1, the generator at twice the rate, the posterior at the rate) and
    /// an unconditional energy VERA's argparse defaults; anything set wins.
    @Test func defaultsFollowVERAByKindOfRun() {
        var c = RunConfiguration()
        c.core.objective = .vera
        c.core.learningRate = 3e-5
        let jem = c.learnedSamplerSettings
        #expect(jem.entropyWeight == 1e-4 && jem.generatorLearningRate == 6e-5 && jem.posteriorLearningRate == 3e-5)
        #expect(c.jemWeights.classification == 100 && c.jemWeights.marginal == 1 && jem.gradientPenalty == 0.1)
        c.core.dataset = .toy(.rings)
        c.core.model = .energyMLP()
        let toy = c.learnedSamplerSettings
        #expect(toy.entropyWeight == 1 && toy.generatorLearningRate == 3e-5 && toy.posteriorLearningRate == 0.02)
        c.learnedSampler = LearnedSamplerOptions()
        c.learnedSampler.entropyWeight = 0.5
        c.jem = JEMSettings()
        c.jem.marginalWeight = 0.03
        #expect(
            c.learnedSamplerSettings.entropyWeight == 0.5 && c.jemWeights.marginal == 0.03
                && c.jemWeights.classification == 100)
        c.core.objective = .jem
        #expect(c.jemWeights.classification == 1)
    }

    /// σ's bounds may be set in either order, and are checked together.
    @Test func sigmaBoundsFormARangeInEitherOrder() throws {
        var c = Self.configuration(.vera)
        for key in ["vera-sigma-min", "vera-sigma-max"] {
            try c.apply(SettingValues([key: YAMLNode(key.hasSuffix("min") ? "0.001" : "0.005")], file: "test"))
        }
        #expect(try c.validated().learnedSamplerSettings.sigmaRange == 0.001...0.005)
    }

    /// A batch of one (here every batch) still gives the generator's batch norm two samples.
    @Test(arguments: [EntropyEstimate.vera, .meg])
    func aBatchOfOneTrains(estimate: EntropyEstimate) throws {
        var c = Self.configuration(estimate)
        c.core.batchSize = 1
        c.core.steps = 3
        let summary = try Trainer(configuration: c, data: TrainingTests.tinyData(), checkpointDirectory: nil).run(
            runID: "one")
        #expect(summary.steps == 3)
    }

    @Test func kimBengioPointGeneratorsEndInBatchNorm() throws {
        var c = Self.configuration(.kimBengio)
        c.core.dataset = .toy(.rings)
        var rng = SeededGenerator(seed: 1)
        let sampler = try LearnedSamplerConstruction.makeSampler(c, sampleShape: [2], using: &rng)
        #expect(BatchNormEntropy.unitCount(of: sampler.module.generator) == 16 + 16 + 2)
    }

    @Test(.enabled(if: CLI.executable != nil)) func everyLearnedSamplerTrainsEvaluatesAndSamplesOnAToyDensity() throws {
        let root = try EnergyTrainingTests.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: root) }
        for objective in LearnedSamplerSettings.objectives {
            let result = try CLI.joule([
                "train", "--objective", objective, "--dataset", "toy:8gaussians", "--model", "energy-mlp-16",
                "--generator", "mlp-16", "--steps", "8", "--batch-size", "32", "--beta1", "0",
                "--checkpoint-dir", root.path, "--json",
            ])
            #expect(result.status == 0, "\(objective): \(result.error)")
            let summary = try EnergyTrainingTests.summary(result.output)
            let runID = try #require(summary["run_id"] as? String)
            #expect(summary["best_validation_loss"] as? Double != nil, "\(objective): MMD² on validation")
            #expect(
                FileManager.default.fileExists(atPath: "\(root.path)/\(runID)/samples/scatter-step-8.png"),
                "\(objective)")
            let store = try RunStore(path: root.path + "/runs.sqlite", readOnly: true)
            #expect(try store.params(of: runID)["generator"] == "mlp-16")
            let evaluation = try CLI.joule(["evaluate", runID, "--checkpoint-dir", root.path])
            #expect(
                evaluation.status == 0 && evaluation.output.contains("\(objective) generator samples:"),
                "\(evaluation.error)")
            let picture = root.appendingPathComponent("\(objective).png").path
            let sampled = try CLI.joule([
                "sample", runID, "--checkpoint-dir", root.path, "--steps", "3", "--out", picture,
            ])
            #expect(sampled.status == 0 && sampled.output.contains("from the generator"), "\(sampled.error)")
            #expect(try EnergyTrainingTests.pngHeader(picture).colorType == 2)
        }
    }

    @Test(.enabled(if: CLI.executable != nil)) func unsuitableSettingsAreRefused() throws {
        let root = try EnergyTrainingTests.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: root) }
        let cases: [([String], String)] = [
            (
                ["--objective", "vera", "--dataset", "toy:rings", "--model", "energy-mlp", "--generator", "deconv"],
                "28×28 images"
            ),
            (
                ["--objective", "meg", "--dataset", "toy:rings", "--model", "energy-mlp", "--generator", "gan"],
                "'gan' is not a generator"
            ),
            (["--objective", "vera", "--vera-sigma-min", "0.5"], "vera-sigma-min"),
            (["--objective", "vera", "--entropy-weight", "-1"], "entropy-weight"),
            (["--objective", "kim-bengio", "--importance-samples", "0"], "importance-samples"),
            (["--objective", "vera", "--class-conditional", "--pxy-weight", "1"], "pxy-weight"),
            (["--objective", "meg", "--class-conditional"], "class-conditional"),
            (["--objective", "vera", "--beta1", "1"], "beta1"),
            (["--objective", "vera", "--latent-size", "70000"], "latent-size"),
            (["--objective", "vera", "--vera-sigma-min", "0.2", "--vera-sigma-max", "0.1"], "vera-sigma-max"),
        ]
        for (arguments, message) in cases {
            let result = try CLI.joule(["train", "--steps", "1", "--checkpoint-dir", root.path] + arguments)
            #expect(result.status != 0 && result.error.contains(message), "\(arguments): \(result.error)")
        }
    }
}
