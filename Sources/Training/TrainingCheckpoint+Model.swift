import Layers
import Tensors

extension TrainingCheckpoint {
    /// The image shape [C, H, W] the model takes (recorded since the JEM work; older JEM
    /// checkpoints give it through their replay buffer).
    public func inputShape(path: String) throws -> [Int] {
        guard let shape = progress.inputShape ?? extraState[JEMTraining.bufferKey].map({ Array($0.shape.dropFirst()) }),
              shape.count == 3 else {
            throw TrainingError.badCheckpoint(path: path, problem: "no input shape recorded (written by an older Joule)")
        }
        return shape
    }

    /// The trained model: built from the run's configuration, then loaded with the
    /// checkpoint's tensors (names and shapes checked).
    public func makeModel(path: String) throws -> (model: AnyLayer, inputShape: [Int], classes: Int) {
        let shape = try inputShape(path: path)
        guard let classes = progress.classes else {
            throw TrainingError.badCheckpoint(path: path, problem: "no class count recorded (written by an older Joule)")
        }
        var initGenerator = SeededGenerator(seed: 0)
        let model = try configuration.modelSpecification.make(channels: shape[0], height: shape[1], width: shape[2],
                                                              classes: classes, using: &initGenerator)
            .loading(modelStateDict)
        return (model, shape, classes)
    }
}
