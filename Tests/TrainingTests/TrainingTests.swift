import Checkpoints
import Datasets
import Foundation
import Layers
import Settings
import Tensors
import TestSupport
import Testing

@testable import Runs
@testable import Training

/// The trainer on tiny synthetic data: exact resume, configuration files, checkpoints,
/// dry runs, and the `joule train` command end to end.
@Suite struct TrainingTests {
    /// 240 images of 1×4×4 in three classes whose mean brightness differs.
    static func tinyData() -> TrainingData {
        var rng = SeededGenerator(seed: 11)
        var pixels: [UInt8] = []
        var labels: [Int] = []
        for i in 0..<240 {
            let label = i % 3
            labels.append(label)
            for _ in 0..<16 { pixels.append(UInt8(min(255, label * 80 + Int(rng.next() % 60)))) }
        }
        let full = ImageDataset(
            name: "tiny", pixels: pixels, labels: labels, channels: 1, height: 4, width: 4,
            classNames: ["a", "b", "c"])
        return TrainingData.split(full, validationSize: 40, test: full.subset(Array(0..<30)))
    }

    static func configuration() -> RunConfiguration {
        var c = RunConfiguration()
        c.core.model = .mlp
        c.core.batchSize = 16
        c.core.steps = 24
        c.core.learningRate = 0.01
        c.data.noise = 0.05
        c.core.schedule = .cosine
        c.core.warmupSteps = 3
        c.details.clipNorm = 5
        return c
    }

    static func temporaryDirectory() -> URL {
        (try? makeTemporaryDirectory("joule-training")) ?? FileManager.default.temporaryDirectory
    }

    @Test func resumedRunEqualsUninterruptedRun() throws {
        let data = Self.tinyData()
        let directory = Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        for optimizer in [OptimizerKind.adam, .sgd] {
            var c = Self.configuration()
            c.core.optimizer = optimizer
            let trainer = Trainer(configuration: c, data: data, checkpointDirectory: directory)
            let whole = try trainer.run(runID: "whole-\(optimizer)")
            // Interrupted mid-epoch (13 steps of 13 per epoch… then 2 more), resumed from the file.
            _ = try trainer.run(runID: "parts-\(optimizer)", stopAfterSteps: 15)
            let saved = try TrainingCheckpoint.read(
                from: directory.appendingPathComponent("parts-\(optimizer)/last.safetensors"))
            #expect(saved.progress.step == 15 && saved.progress.sampler.position > 0)
            let resumed = try trainer.run(runID: "parts-\(optimizer)", resume: saved)
            #expect(resumed.steps == whole.steps && resumed.testAccuracy == whole.testAccuracy)
            let a = try TrainingCheckpoint.read(
                from: directory.appendingPathComponent("whole-\(optimizer)/last.safetensors"))
            let b = try TrainingCheckpoint.read(
                from: directory.appendingPathComponent("parts-\(optimizer)/last.safetensors"))
            #expect(a.modelTensors.map(\.name) == b.modelTensors.map(\.name))
            #expect(
                a.modelTensors.map(\.tensor.scalars) == b.modelTensors.map(\.tensor.scalars),
                "\(optimizer): resumed weights differ")
            #expect(a.optimizerState.keys.sorted() == b.optimizerState.keys.sorted())
            #expect(a.progress.generator == b.progress.generator && a.progress.sampler == b.progress.sampler)
        }
    }

    @Test func trainingLearnsTheTinyTask() throws {
        var c = Self.configuration()
        c.core.steps = 120
        let summary = try Trainer(configuration: c, data: Self.tinyData(), checkpointDirectory: nil).run(runID: "learn")
        #expect((summary.bestValidationAccuracy ?? 0) > 0.9)
        #expect(summary.lastCheckpoint == nil && summary.bestCheckpoint == nil)
    }

    /// Found while documenting the optimisers: Adam's C loop runs over the parameter's length,
    /// so a checkpoint whose saved moments are smaller made it write past their buffers. A
    /// resume now checks every per-parameter tensor of the optimiser's state first.
    @Test func aResumeRefusesOptimizerStateOfTheWrongShape() throws {
        let directory = Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        var c = Self.configuration()
        c.core.steps = 4
        let trainer = Trainer(configuration: c, data: Self.tinyData(), checkpointDirectory: directory)
        _ = try trainer.run(runID: "s", stopAfterSteps: 2)
        let url = directory.appendingPathComponent("s/last.safetensors")
        for (name, value) in [("exp_avg.0", Tensor.zeros([3])), ("exp_avg_sq.99", Tensor.zeros([3]))] {
            var checkpoint = try TrainingCheckpoint.read(from: url)
            checkpoint.optimizerState[name] = value
            let hostile = directory.appendingPathComponent("hostile.safetensors")
            try checkpoint.write(to: hostile)
            #expect { try trainer.run(runID: "s", resume: TrainingCheckpoint.read(from: hostile)) } throws: {
                "\($0)".contains("optimizer.\(name)")
            }
        }
    }

    @Test func checkpointsHoldModelOptimizerAndProgress() throws {
        let directory = Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let c = Self.configuration()
        _ = try Trainer(configuration: c, data: Self.tinyData(), checkpointDirectory: directory).run(runID: "r")
        let file = try SafeTensors.read(from: directory.appendingPathComponent("r/last.safetensors"))
        #expect(file.names.prefix(6) == ["1.weight", "1.bias", "3.weight", "3.bias", "5.weight", "5.bias"])
        #expect(file.names.contains("optimizer.exp_avg.0") && file.names.contains("optimizer.step"))
        #expect(file.metadata["format"] == TrainingCheckpoint.format)
        var checkpoint = try TrainingCheckpoint.read(from: directory.appendingPathComponent("r/best.safetensors"))
        #expect(checkpoint.configuration == c && checkpoint.progress.runID == "r")
        // Room for more state (a replay buffer), kept apart from the model's tensors.
        checkpoint.extraState["replay_buffer"] = Tensor.ones([4, 1, 4, 4])
        let withBuffer = directory.appendingPathComponent("r/buffer.safetensors")
        try checkpoint.write(to: withBuffer)
        let reread = try TrainingCheckpoint.read(from: withBuffer)
        #expect(reread.extraState["replay_buffer"]?.shape == [4, 1, 4, 4])
        #expect(reread.modelTensors.map(\.name) == checkpoint.modelTensors.map(\.name))
        // A safetensors file that is not a Joule checkpoint is refused by name.
        let stranger = directory.appendingPathComponent("stranger.safetensors")
        try SafeTensors([("w", Tensor.zeros([2]))]).write(to: stranger)
        #expect {
            try TrainingCheckpoint.read(from: stranger)
        } throws: { "\($0)".contains("stranger.safetensors") && "\($0)".contains("not a Joule checkpoint") }
    }

    /// A checkpoint shared by someone else sizes the model from its own progress: claims of
    /// a huge input or more parameters than it stores are refused before anything is built
    /// (a 2-billion-pixel claim made `joule sample` try to allocate 64 GB).
    @Test func aCheckpointClaimingAHugeModelIsRefusedBeforeBuildingIt() throws {
        let directory = Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        var c = RunConfiguration()
        c.core.model = .mlp
        var rng = SeededGenerator(seed: 1)
        let model = c.modelSpecification.make(channels: 1, height: 28, width: 28, classes: 10, using: &rng)
        var progress = TrainingProgress(runID: "r", trainingCount: 10, batchSize: 2, seed: 1)
        progress.classes = 10
        let url = directory.appendingPathComponent("hostile.safetensors")
        for (shape, classes, fragment) in [
            ([1, 1, 2_000_000_000], 10, "is not 1 to 16777216 values"),
            ([1, 280, 280], 10, "holds only 669706 model values"),
            ([1, 28, 28], 100_000, "holds only 669706 model values"),
            ([0, 28, 28], 10, "is not 1 to 16777216 values"),
        ] {
            progress.inputShape = shape
            progress.classes = classes
            try TrainingCheckpoint(model: model, optimizerState: [:], configuration: c, progress: progress).write(
                to: url)
            let checkpoint = try TrainingCheckpoint.read(from: url)
            #expect { try checkpoint.makeModel(path: url.path) } throws: {
                "\($0)".contains("hostile.safetensors") && "\($0)".contains(fragment)
            }
        }
        progress.inputShape = [1, 28, 28]
        progress.classes = 10
        try TrainingCheckpoint(model: model, optimizerState: [:], configuration: c, progress: progress).write(to: url)
        #expect(try TrainingCheckpoint.read(from: url).makeModel(path: url.path).classes == 10)
        // A conv net's parameters do not depend on its input's size: the shape itself is bounded.
        c.core.model = .cnnS
        let convolutional = c.modelSpecification.make(channels: 1, height: 28, width: 28, classes: 10, using: &rng)
        progress.inputShape = [1, 1 << 20, 1 << 20]
        try TrainingCheckpoint(model: convolutional, optimizerState: [:], configuration: c, progress: progress).write(
            to: url)
        let claimed = try TrainingCheckpoint.read(from: url)
        #expect { try claimed.makeModel(path: url.path) } throws: {
            "\($0)".contains("1×1048576×1048576 is not 1 to 16777216 values")
        }
    }

    /// Found by scripts/fuzz.sh safetensors (fuzz/regressions/safetensors/unknown-model-name.safetensors):
    /// a checkpoint naming an unknown model trapped when its model was built. A checkpoint's
    /// configuration is now validated on reading, as a command line is.
    @Test func aCheckpointWithAnInvalidConfigurationIsRefusedOnReading() throws {
        let found = packageRoot.appendingPathComponent("fuzz/regressions/safetensors/unknown-model-name.safetensors")
        #expect { try TrainingCheckpoint.read(from: found) } throws: {
            "\($0)".contains("unknown-model-name.safetensors") && "\($0)".contains("'energy-mlq-8' is not a model")
        }
    }

    @Test func configurationFilesApplyAndReject() throws {
        let directory = Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let good = directory.appendingPathComponent("good.yaml")
        try "model: wrn-16-2\nbatch_size: 32\nlr: 0.0001\nmilestones: [3, 6]\nschedule: step\nflip: true\nnorm: group\n"
            .write(to: good, atomically: true, encoding: .utf8)
        let c = try RunConfiguration(contentsOf: good).validated()
        #expect(
            c.core.model == ModelName(.wideResNet(depth: 16, widen: 2)) && c.core.batchSize == 32
                && c.core.learningRate == 1e-4)
        #expect(c.details.milestones.values == [3, 6] && c.data.flip && c.core.schedule == .step)
        #expect(c.details.normalization == .group)
        let unknown = directory.appendingPathComponent("unknown.yaml")
        try "batch-sise: 3\n".write(to: unknown, atomically: true, encoding: .utf8)
        #expect { try RunConfiguration(contentsOf: unknown) } throws: {
            "\($0)" == "\(unknown.path): unknown setting 'batch-sise' (did you mean batch-size?)"
        }
        let wrongType = directory.appendingPathComponent("type.yaml")
        try "epochs: many\n".write(to: wrongType, atomically: true, encoding: .utf8)
        #expect(
            throws: ConfigurationError.wrongType(
                key: "epochs", expected: "a whole number", file: wrongType.path, given: "many")
        ) {
            try RunConfiguration(contentsOf: wrongType)
        }
        let notMapping = directory.appendingPathComponent("list.yaml")
        try "- 1\n- 2\n".write(to: notMapping, atomically: true, encoding: .utf8)
        #expect { try RunConfiguration(contentsOf: notMapping) } throws: { "\($0)".contains("mapping") }
        // Found by scripts/fuzz.sh yaml (fuzz/regressions/yaml/complex-key.yaml): a key that
        // is not text trapped inside Yams' conversion to Swift values; now refused by name.
        let complexKey = directory.appendingPathComponent("complex.yaml")
        try Data(contentsOf: packageRoot.appendingPathComponent("fuzz/regressions/yaml/complex-key.yaml")).write(
            to: complexKey)
        #expect { try RunConfiguration(contentsOf: complexKey) } throws: {
            "\($0)".contains("complex.yaml") && "\($0)".contains("setting names must be text")
        }
        for (name, text, fragment) in [
            ("twice.yaml", "batch_size: 1\nbatch-size: 2\n", "given twice"),
            ("nested.yaml", "milestones: [[1], 2]\n", "nested lists"),
            ("model.yaml", "model: resnet-50\n", "setting 'model' is 'resnet-50', but must be a model: mlp, cnn-s"),
            (
                "objective.yaml", "objective: score-matching\n",
                "one of ce, jem, esm, ssm, ssm-vr, dsm, mdsm, vera, meg, kim-bengio"
            ),
            ("mapping.yaml", "lr: {a: 1}\n", "not a mapping"),
        ] {
            let url = directory.appendingPathComponent(name)
            try text.write(to: url, atomically: true, encoding: .utf8)
            #expect { try RunConfiguration(contentsOf: url) } throws: {
                "\($0)".contains(name) && "\($0)".contains(fragment)
            }
        }
    }

    /// `sampler-precision` reaches the SGLD sampler (bfloat16 unless set); a wrong value is
    /// refused by name; a configuration saved before the setting existed reads as float32.
    @Test func samplerPrecisionIsASetting() throws {
        let directory = Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let good = directory.appendingPathComponent("f32.yaml")
        try "objective: jem\nsampler-precision: float32\n".write(to: good, atomically: true, encoding: .utf8)
        var c = try RunConfiguration(contentsOf: good).validated()
        #expect(c.jem.sgld.precision == .float32)
        #expect(c.params["sampler-precision"] == "float32")
        c = RunConfiguration()
        c.core.objective = .jem
        #expect(c.jem.sgld.precision == .bfloat16)
        #expect(c.params["sampler-precision"] == (ConvolutionPrecision.bfloat16IsNative ? "bfloat16" : "float32"))
        let bad = directory.appendingPathComponent("half.yaml")
        try "objective: jem\nsampler-precision: half\n".write(to: bad, atomically: true, encoding: .utf8)
        #expect { try RunConfiguration(contentsOf: bad) } throws: {
            "\($0)".contains("sampler-precision") && "\($0)".contains("'half', but must be one of float32, bfloat16")
        }
        // Saved before the setting existed (the flat layout before typed settings, with and
        // without JEM settings of its own): the run computed in float32.
        for legacy in [#"{"objective": "jem"}"#, #"{"objective": "jem", "jem": {"sgldSteps": 5}}"#] {
            let old = try JSONDecoder().decode(RunConfiguration.self, from: Data(legacy.utf8))
            #expect(old.core.objective == .jem && old.jem.sgld.precision == .float32)
            #expect(old.params["sampler-precision"] == "float32")
        }
        var encoded = try #require(JSONSerialization.jsonObject(with: JSONEncoder().encode(c)) as? [String: Any])
        #expect(encoded["format"] as? Int == 2)
        encoded = try #require(encoded["jem"] as? [String: Any])
        #expect(encoded["sampler-precision"] as? String == "bfloat16", "new runs write the setting")
    }
}

/// The fuzzer's YAML dictionary names every setting a configuration file may hold, so that
/// mutations reach every group's reader.
@Test func theYAMLFuzzDictionaryNamesEverySetting() throws {
    let text = try String(
        contentsOf: packageRoot.appendingPathComponent("fuzz/dictionaries/yaml.dict"), encoding: .utf8)
    let names = Set(
        text.split(separator: "\n").filter { $0.hasPrefix("\"") && $0.dropFirst().first?.isLetter == true }
            .map { String($0.dropFirst().dropLast()) })
    let keys = RunConfiguration.settingKeys
    #expect(keys.isSubset(of: names), "missing \(keys.subtracting(names).sorted())")
}

/// Out-of-range settings are refused under their own key.
@Test func rangesAreRefusedUnderTheirOwnKey() throws {
    let cases: [(String, (inout RunConfiguration) -> Void)] = [
        ("step-every", { $0.details.stepEvery = 0 }),
        ("milestones", { $0.details.milestones = WholeNumbers([0, 3]) }),
        ("gamma", { $0.details.gamma = 0 }),
        ("momentum", { $0.details.momentum = 1 }),
        ("weight-decay", { $0.details.weightDecay = -1 }),
        ("noise", { $0.data.noise = .infinity }),
        ("guard-energy-l2", { $0.divergenceGuard.addedEnergyL2 = -1 }),
        ("guard-sgld-steps", { $0.divergenceGuard.addedSGLDSteps = -1 }),
    ]
    for (key, change) in cases {
        var c = RunConfiguration()
        change(&c)
        #expect { try c.validated() } throws: { "\($0)".hasPrefix("setting '\(key)':") }
    }
    var jem = RunConfiguration()
    jem.core.objective = .jem
    jem.jem.sgldStepSize = .nan
    #expect { try jem.validated() } throws: { "\($0)" == "setting 'sgld-step-size': must be a non-negative number" }
}

/// A seed takes all 64 bits in a file as on the command line.
@Test func aYAMLSeedTakesSixtyFourBits() throws {
    var c = RunConfiguration()
    try c.apply(SettingValues(["seed": YAMLNode("18446744073709551615")], file: "test"))
    #expect(c.core.seed == UInt64.max)
}

/// Resumed where the CPU runs another precision, a JEM run changed no setting.
@Test func theSamplerPrecisionInUseIsNoChange() {
    var c = RunConfiguration()
    c.core.objective = .jem
    var other = c
    other.core.steps = 50
    #expect(c.changes(to: other) == ["steps unset → 50"])
    other.jem.samplerPrecision = c.jem.samplerPrecision == .float32 ? .bfloat16 : .float32
    #expect(c.changes(to: other).contains { $0.hasPrefix("sampler-precision ") })
}
