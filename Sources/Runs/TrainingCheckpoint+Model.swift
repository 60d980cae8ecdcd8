import Layers
import Objectives
import Tensors

extension TrainingCheckpoint {
    /// The name under `state.` of a JEM run's replay buffer.
    public static let replayBufferKey = "replay_buffer"

    /// The image shape [C, H, W] the model takes (recorded since the JEM work; older JEM
    /// checkpoints give it through their replay buffer).
    public func inputShape(path: String) throws -> [Int] {
        guard
            let shape = progress.inputShape
                ?? extraState[TrainingCheckpoint.replayBufferKey].map({ Array($0.shape.dropFirst()) }),
            shape.count == 3
        else {
            throw TrainingError.badCheckpoint(
                path: path, problem: "no input shape recorded (written by an older Joule)")
        }
        // Everything built from this shape (models, generators, samples) trusts it, so it is
        // bounded here: a conv net's parameter count does not show an absurd input.
        guard shape.allSatisfy({ $0 >= 1 }),
            shape.reduce(1.0, { $0 * Double($1) }) <= Double(ModelSpecification.maximumInputElements)
        else {
            throw TrainingError.badCheckpoint(
                path: path,
                problem:
                    "its input shape \(shape.map(String.init).joined(separator: "×")) is not 1 to \(ModelSpecification.maximumInputElements) values"
            )
        }
        return shape
    }

    /// The trained model: built from the run's configuration, then loaded with the
    /// checkpoint's tensors (names and shapes checked).
    public func makeModel(path: String) throws -> (model: AnyLayer, inputShape: [Int], classes: Int) {
        let shape = try inputShape(path: path)
        guard let classes = progress.classes else {
            throw TrainingError.badCheckpoint(
                path: path, problem: "no class count recorded (written by an older Joule)")
        }
        // Sized from the checkpoint's own claims, so checked against what it holds before
        // anything is allocated: a model needing more values than the file stores cannot load.
        let specification = configuration.modelSpecification
        let needed: Double
        do {
            needed = try specification.checkSize(
                channels: shape[0], height: shape[1], width: shape[2], classes: classes)
        } catch {
            throw TrainingError.badCheckpoint(path: path, problem: error.description)
        }
        let stored = modelTensors.reduce(0.0) { $0 + Double($1.tensor.scalarCount) }
        guard needed <= stored else {
            throw TrainingError.badCheckpoint(
                path: path,
                problem:
                    "its configuration describes \(specification.name) for \(shape.map(String.init).joined(separator: "×")) inputs "
                    + "and \(classes) classes (\(Int(needed)) parameters), but it holds only \(Int(stored)) model values"
            )
        }
        var initGenerator = SeededGenerator(seed: 0)
        let model = try specification.make(
            channels: shape[0], height: shape[1], width: shape[2],
            classes: classes, using: &initGenerator
        )
        .loading(modelStateDict)
        return (model, shape, classes)
    }
}
