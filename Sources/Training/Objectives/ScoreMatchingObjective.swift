import Foundation
import Layers
import Runs
import Tensors

/// `--objective esm|ssm|ssm-vr|dsm|mdsm`: an energy E(x) (one output per sample) trained by
/// score matching; validated and tested by the same objective on held-out data (lower is
/// better), pictured by the objective's Langevin sampler.
struct ScoreMatchingObjective: TrainingObjective {
    let examples: EnergyExamples

    var inputShape: [Int] { examples.data.inputShape }
    var outputs: Int { 1 }
    var trainingCount: Int { examples.data.trainingCount }
    var goal: ValidationGoal { .lowestLoss }

    func batch(_ indices: [Int], progress: inout TrainingProgress) -> TrainingBatch {
        examples.batch(indices, progress: &progress)
    }

    func step(_ model: AnyLayer, batch: TrainingBatch, state: ForwardState, step: Int) throws -> StepResult {
        let c = examples.configuration
        var generator = state.generator
        let (loss, gradient) = try valueWithGradient(at: model) { m in
            try c.scoreMatching.loss(
                c.core.objective, energy: ScalarEnergy.of(m), data: batch.inputs, using: &generator)
        }
        state.generator = generator
        return StepResult(loss: loss, gradient: gradient)
    }

    func validate(_ model: AnyLayer) throws -> Validation? {
        let batches = examples.data.validationBatches(size: examples.configuration.details.evaluationBatchSize)
        guard let value = try objective(model, on: batches) else { return nil }
        return Validation(
            value: value, metrics: [("validation/loss", value)], text: String(format: "validation loss %.4f", value))
    }

    func pictures(_ model: AnyLayer, step: Int, folder: URL) throws -> [(url: URL, kind: String)] {
        try examples.pictures(model, sampler: nil, step: step, folder: folder)
    }

    func test(final model: AnyLayer, best: URL?) throws -> TestResult? {
        guard let best, let test = examples.data.testBatches(size: examples.configuration.details.evaluationBatchSize)
        else { return nil }
        let loss = try objective(model.loading(TrainingCheckpoint.read(from: best).modelStateDict), on: test)
        return TestResult(
            loss: loss, metrics: [("test/loss", loss ?? .nan)],
            note: String(format: "test loss %.4f (best-on-validation model)", loss ?? .nan))
    }

    /// The objective averaged over a set's batches, with noise and projections from a fixed
    /// seed so epochs compare on the same draws.
    func objective(_ model: AnyLayer, on batches: [Tensor]?) throws -> Double? {
        guard let batches, !batches.isEmpty else { return nil }
        let c = examples.configuration
        var generator = SeededGenerator(seed: TrainingData.holdOutSeed &+ 3)
        var total = 0.0
        var count = 0
        for x in batches {
            // The loss needs input gradients, but no parameter gradient: its value is all we keep.
            let value = try c.scoreMatching.loss(
                c.core.objective, energy: ScalarEnergy.of(model), data: x, using: &generator)
            total += Double(value.scalar) * Double(x.shape[0])
            count += x.shape[0]
        }
        return total / Double(count)
    }
}
