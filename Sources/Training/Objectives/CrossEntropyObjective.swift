import Foundation
import Layers
import Runs
import Tensors

/// `--objective ce`: the classifier's cross-entropy on labelled batches.
struct CrossEntropyObjective: TrainingObjective {
    let examples: ClassifierExamples

    var inputShape: [Int] { examples.inputShape }
    var outputs: Int { examples.classes }
    var trainingCount: Int { examples.data.train.count }
    var goal: ValidationGoal { .highestAccuracy }

    func batch(_ indices: [Int], progress: inout TrainingProgress) -> TrainingBatch {
        examples.batch(indices, progress: &progress)
    }

    func step(_ model: AnyLayer, batch: TrainingBatch, state: ForwardState, step: Int) throws -> StepResult {
        let labels = batch.labels ?? []
        var logits = Tensor(0)
        let (loss, gradient) = valueWithGradient(at: model) { m -> Tensor in
            logits = m(batch.inputs, context: ForwardContext(state: state))
            return crossEntropy(logits: logits, labels: labels)
        }
        let correct = zip(ClassifierEvaluation.predictions(logits), labels).filter { $0 == $1 }.count
        return StepResult(loss: loss, gradient: gradient, correct: correct)
    }

    func validate(_ model: AnyLayer) throws -> Validation? { examples.validate(model) }
    func test(final model: AnyLayer, best: URL?) throws -> TestResult? { try examples.test(final: model, best: best) }
}
