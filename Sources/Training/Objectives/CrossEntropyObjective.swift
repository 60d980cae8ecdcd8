import Foundation
import Layers
import Runs
import Tensors

/// `--objective ce`: the classifier's cross-entropy on labelled batches (with `--sam`, at the
/// ascended weights).
struct CrossEntropyObjective: TrainingObjective {
    let examples: ClassifierExamples

    var inputShape: [Int] { examples.inputShape }
    var outputs: Int { examples.classes }
    var trainingCount: Int { examples.data.train.count }
    var goal: ValidationGoal { .highestAccuracy }

    /// A semi-supervised run (`labels-per-class`) trains on its labelled images alone.
    func prepare(_ progress: inout TrainingProgress) throws { try examples.prepareLabelledBatches(&progress) }

    func batch(_ indices: [Int], progress: inout TrainingProgress) -> TrainingBatch {
        examples.batch(indices, progress: &progress, likelihood: .none)
    }

    func step(_ model: AnyLayer, batch: TrainingBatch, state: ForwardState, step: Int) throws -> StepResult {
        let labels = batch.labels ?? []
        var logits: Tensor?
        let sam = SharpnessAwareGradient(ascent: examples.configuration.details.sharpnessAwareAscent)
        let (loss, gradient, ascended) = sam.valueWithGradient(at: model, state: state) { m, context -> Tensor in
            let output = m(batch.inputs, context: context)
            if logits == nil { logits = output }
            return crossEntropy(logits: output, labels: labels)
        }
        let predictions = logits.map { ClassifierEvaluation.predictions($0) } ?? []
        let correct = zip(predictions, labels).filter { $0 == $1 }.count
        return StepResult(
            loss: loss, gradient: gradient, correct: correct,
            metrics: SharpnessAwareGradient.metrics(loss: loss, ascendedLoss: ascended))
    }

    func validate(_ model: AnyLayer) throws -> Validation? { examples.validate(model) }
    func test(final model: AnyLayer, best: URL?) throws -> TestResult? { try examples.test(final: model, best: best) }
}
