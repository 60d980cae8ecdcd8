import Foundation
import Runs
import Sampling
import Uncertainty

/// The likelihood ratio's background model (Ren et al. 2019): another run's checkpoint,
/// trained on perturbed inputs (`joule train --mutation-rate`), whose energy E_bg(x) the
/// score subtracts: E_bg(x) − E(x). Any run over the same image shape will do — a classifier
/// through −logsumexp f_bg(x), a score-matching energy as it is.
public enum BackgroundModel {
    /// Reads the checkpoint at `url` and checks it takes the images `checkpoint` (at `path`) takes.
    ///
    /// - Throws: `EvaluationError` naming the file when it cannot be read or its input shape differs.
    public static func load(_ url: URL, like checkpoint: TrainingCheckpoint, path: String) throws
        -> (reference: BackgroundReference, energy: EnergyFunction)
    {
        let saved: TrainingCheckpoint
        do { saved = try TrainingCheckpoint.read(from: url) } catch {
            throw EvaluationError.invalid("background model \(url.path): \(error)")
        }
        let shape = try saved.inputShape(path: url.path)
        let expected = try checkpoint.inputShape(path: path)
        guard shape == expected else {
            throw EvaluationError.invalid(
                "background model \(url.path): it takes \(shape.map(String.init).joined(separator: "×")) images, "
                    + "the model \(expected.map(String.init).joined(separator: "×"))")
        }
        let model = try saved.scoringModel(path: url.path)
        return (
            BackgroundReference(path: url.path, runID: saved.progress.runID, modelDigest: saved.modelDigest),
            model.energy
        )
    }
}
