import Checkpoints
import Datasets
import Foundation
import Layers
import Tensors

/// Where a run stands: enough, with the model and optimiser state, to continue it exactly.
public struct TrainingProgress: Codable, Sendable, Equatable {
    /// The id of the run.
    public var runID: String
    /// Optimiser steps taken.
    public var step = 0
    /// Deals the training batches; its epoch counts completed passes.
    public var sampler: BatchSampler
    /// Randomness for augmentation and dropout.
    public var generator: SeededGenerator
    /// Classifiers: the highest validation accuracy so far, as a fraction (best = highest).
    public var bestValidationAccuracy: Double?
    /// Score matching: the lowest validation loss so far (best = lowest).
    public var bestValidationLoss: Double?
    /// The epoch (counted from 0) whose validation was the best so far; nil before any.
    public var bestEpoch: Int?
    /// Training seconds so far (across resumes).
    public var seconds: Double = 0
    /// The model's input shape (channels, height, width) and class count, so tools can
    /// rebuild the model without the dataset (absent in checkpoints from before JEM).
    public var inputShape: [Int]?
    /// The model's outputs: its class count, or 1 for an energy.
    public var classes: Int?
    /// Deals the labelled batches of semi-supervised JEM.
    public var labeledSampler: BatchSampler?
    /// Recoveries from divergence and the remedies in force.
    public var guardState: DivergenceGuardState?

    /// A run at step 0: its `trainingCount` examples dealt in batches of `batchSize`, shuffled by
    /// `seed`; augmentation and dropout randomness seeded with `seed + 1`.
    public init(runID: String, trainingCount: Int, batchSize: Int, seed: UInt64) {
        self.runID = runID
        sampler = BatchSampler(count: trainingCount, batchSize: batchSize, seed: seed)
        generator = SeededGenerator(seed: seed &+ 1)
    }

    /// Completed passes over the training set.
    public var epoch: Int { sampler.epoch }
}

/// A checkpoint file: one safetensors file holding the model's tensors under their
/// PyTorch `state_dict` names, the optimiser's state under `optimizer.`, other training
/// state (a replay buffer, a sampler's chains) under `state.`, and the configuration and
/// progress as JSON in the metadata. Written atomically.
public struct TrainingCheckpoint {
    /// The metadata `format` of a Joule checkpoint; `read` refuses a file without it.
    public static let format = "joule-checkpoint-1"
    /// The prefix of the optimiser's tensor names in the file.
    public static let optimizerPrefix = "optimizer."
    /// The prefix of the other training state's tensor names (`extraState`) in the file.
    public static let statePrefix = "state."

    /// The model's tensors under their PyTorch `state_dict` names, in the model's order.
    public var modelTensors: [(name: String, tensor: Tensor)]
    /// The optimiser's state by name, without the `optimizer.` prefix.
    public var optimizerState: [String: Tensor]
    /// Objective-specific state, e.g. `replay_buffer` for JEM.
    public var extraState: [String: Tensor] = [:]
    /// The run's configuration (validated when read).
    public var configuration: RunConfiguration
    /// Where the run stands.
    public var progress: TrainingProgress

    /// A checkpoint of `model`'s tensors with the optimiser's state, the configuration and the progress.
    public init(
        model: some Module, optimizerState: [String: Tensor], configuration: RunConfiguration,
        progress: TrainingProgress
    ) {
        modelTensors = model.namedTensors.map { ($0.slot.name, $0.tensor) }
        self.optimizerState = optimizerState
        self.configuration = configuration
        self.progress = progress
    }

    /// Writes the checkpoint atomically (temporary file, fsync, rename).
    public func write(to url: URL) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        var file = try SafeTensors(
            modelTensors,
            metadata: [
                "format": Self.format,
                "configuration": String(decoding: try encoder.encode(configuration), as: UTF8.self),
                "progress": String(decoding: try encoder.encode(progress), as: UTF8.self),
            ])
        for (name, tensor) in optimizerState.sorted(by: { $0.key < $1.key }) {
            try file.append(tensor, named: Self.optimizerPrefix + name)
        }
        for (name, tensor) in extraState.sorted(by: { $0.key < $1.key }) {
            try file.append(tensor, named: Self.statePrefix + name)
        }
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try file.write(to: url)
    }

    /// What a decoding error says, without Foundation's wrapping: the key path and the problem.
    static func reason(_ error: any Error) -> String {
        let context: DecodingError.Context
        switch error as? DecodingError {
        case .dataCorrupted(let c), .keyNotFound(_, let c), .typeMismatch(_, let c), .valueNotFound(_, let c):
            context = c
        default: return "\(error)"
        }
        let path = context.codingPath.map(\.stringValue).joined(separator: ".")
        return (path.isEmpty ? "" : "at '\(path)': ") + context.debugDescription
    }

    /// Reads and validates a checkpoint.
    public static func read(from url: URL) throws -> TrainingCheckpoint {
        let file = try SafeTensors.read(from: url)
        func fail(_ problem: String) -> TrainingError { .badCheckpoint(path: url.path, problem: problem) }
        guard file.metadata["format"] == format else {
            throw fail("not a Joule checkpoint (metadata 'format' is not \(format))")
        }
        let decoder = JSONDecoder()
        guard let configurationText = file.metadata["configuration"] else {
            throw fail("metadata 'configuration' is missing")
        }
        let decoded: RunConfiguration
        do { decoded = try decoder.decode(RunConfiguration.self, from: Data(configurationText.utf8)) } catch {
            throw fail("metadata 'configuration' is malformed: \(Self.reason(error))")
        }
        // Checked as a command line is: everything downstream relies on a valid configuration
        // (an unknown model name trapped in `modelSpecification`; found by scripts/fuzz.sh).
        let configuration: RunConfiguration
        do { configuration = try decoded.validated() } catch {
            throw fail("metadata 'configuration' is not valid: \(error)")
        }
        guard let progressText = file.metadata["progress"],
            let progress = try? decoder.decode(TrainingProgress.self, from: Data(progressText.utf8))
        else {
            throw fail("metadata 'progress' is missing or malformed")
        }
        var checkpoint = TrainingCheckpoint(
            modelTensors: [], optimizerState: [:], configuration: configuration, progress: progress)
        for (name, tensor) in file.entries {
            if name.hasPrefix(optimizerPrefix) {
                checkpoint.optimizerState[String(name.dropFirst(optimizerPrefix.count))] = tensor
            } else if name.hasPrefix(statePrefix) {
                checkpoint.extraState[String(name.dropFirst(statePrefix.count))] = tensor
            } else {
                checkpoint.modelTensors.append((name, tensor))
            }
        }
        return checkpoint
    }

    private init(
        modelTensors: [(name: String, tensor: Tensor)], optimizerState: [String: Tensor],
        configuration: RunConfiguration, progress: TrainingProgress
    ) {
        self.modelTensors = modelTensors
        self.optimizerState = optimizerState
        self.configuration = configuration
        self.progress = progress
    }

    /// The model tensors by name, for `Module.loading`.
    public var modelStateDict: [String: Tensor] { Dictionary(modelTensors.map { ($0.name, $0.tensor) }) { a, _ in a } }
}

/// Failures of a training run that are not programming errors.
public enum TrainingError: Error, CustomStringConvertible {
    case badCheckpoint(path: String, problem: String)
    case noCheckpoint(String)
    case dataset(String)
    case stopped(signal: String, step: Int)
    case unrecoverable(step: Int, problem: String, recoveries: Int)

    /// The message for the user.
    public var description: String {
        switch self {
        case .badCheckpoint(let path, let problem): return "\(path): \(problem)"
        case .noCheckpoint(let what): return "no checkpoint to resume: \(what)"
        case .dataset(let problem): return problem
        case .stopped(let signal, let step): return "stopped by \(signal) at step \(step) (checkpoint written)"
        case .unrecoverable(let step, let problem, let recoveries):
            return
                "training diverged at step \(step) (\(problem)) after \(recoveries) recover\(recoveries == 1 ? "y" : "ies")"
        }
    }
}
