import Layers
import Runs
import Uncertainty

extension TrainingCheckpoint {
    /// The checkpoint's model as the scores read it: a classifier through JEM's energies, or
    /// a score-matching run's single output as its energy (no classifier head).
    ///
    /// - Throws: `EvaluationError` for a toy-density run, whose 2-D points no image set fits.
    public func scoringModel(path: String) throws -> ScoringModel {
        if configuration.core.dataset.isToy {
            throw EvaluationError.invalid(
                "\(path): a toy-density run (\(configuration.core.dataset)) has 2-D inputs, which no image "
                    + "set fits (joule evaluate measures its samples by MMD instead)")
        }
        let (model, _, _) = try makeModel(path: path)
        guard configuration.core.objective.isScoreMatching else { return ScoringModel(classifier: model) }
        return ScoringModel(energy: { x in model(x, context: .inference()).reshaped(to: [x.shape[0]]) }, network: model)
    }
}
