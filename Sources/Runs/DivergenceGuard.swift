import Foundation
import Settings
import Tensors

/// When a step diverges — a non-finite loss or energy, |loss| beyond `lossBound`, or (JEM)
/// |E(data) − E(samples)| beyond `energyGapBound` — the trainer rolls back to its last good
/// state (model, optimiser, replay buffer, batches), applies the remedy, reseeds its random
/// stream so the replay differs, logs the event and carries on. After `maximumRecoveries`
/// the run ends FAILED with the reason. (The JEM reference crashes at |loss| > 1e8 and
/// leaves users to restart by hand.)
@SettingsGroup(title: "Divergence guard (every objective)")
public struct DivergenceGuardSettings: Sendable, Equatable {
    /// A step whose |loss| exceeds this has diverged (default: 1e8, where the JEM reference crashes).
    @Setting("|loss| above this counts as divergence.", key: "guard-loss-bound")
    public var lossBound: Float = 1e8
    /// JEM and learned samplers: a step whose |E(data) − E(samples)| exceeds this has diverged (default: 1e5).
    @Setting("|E(data) − E(samples)| above this counts as divergence.", key: "guard-gap-bound", for: .jemAndSamplers)
    public var energyGapBound: Float = 1e5
    /// Roll-backs allowed before the run ends FAILED (default: 3; 0 fails at the first divergence).
    @Setting("Roll-backs before the run fails.", key: "guard-max-recoveries")
    public var maximumRecoveries: Int = 3
    /// Remedy: each recovery multiplies the learning rate by this, in (0, 1] (default: 0.5).
    @Setting("Remedy: the learning rate is multiplied by this at each recovery.", key: "guard-lr-factor")
    public var learningRateFactor: Float = 0.5
    /// Remedy (JEM): SGLD steps added to the chains at each recovery (default: 0).
    @Setting("Remedy: SGLD steps added at each recovery (JEM).", key: "guard-sgld-steps", for: .jem)
    public var addedSGLDSteps: Int = 0
    /// Remedy: added to the energies' L2 weight (`energy-l2`) at each recovery (default: 0).
    @Setting("Remedy: added to the energy L2 weight at each recovery.", key: "guard-energy-l2", for: .jemAndSamplers)
    public var addedEnergyL2: Float = 0
    /// Steps between the in-memory good states it rolls back to, besides one at each checkpoint (default: 100).
    @Setting("Steps between the in-memory good states it rolls back to.", key: "guard-snapshot-every")
    public var snapshotEvery: Int = 100

    /// The defaults, as each setting declares them.
    public init() {}

    /// Checks ranges; the message names the setting.
    public func validate() throws {
        func fail(_ key: String, _ problem: String) -> ConfigurationError { .invalid(key: key, problem: problem) }
        guard lossBound > 0 else { throw fail("guard-loss-bound", "must be positive") }
        guard energyGapBound > 0 else { throw fail("guard-gap-bound", "must be positive") }
        guard maximumRecoveries >= 0 else { throw fail("guard-max-recoveries", "must not be negative") }
        guard learningRateFactor > 0, learningRateFactor <= 1 else {
            throw fail("guard-lr-factor", "must lie in (0, 1]")
        }
        guard addedSGLDSteps >= 0 else { throw fail("guard-sgld-steps", "must not be negative") }
        guard addedEnergyL2 >= 0, addedEnergyL2.isFinite else {
            throw fail("guard-energy-l2", "must be a non-negative number")
        }
        guard snapshotEvery >= 1 else { throw fail("guard-snapshot-every", "must be at least 1") }
    }

    /// Why a step counts as diverged, or nil when it is fine.
    public func problem(loss: Float, energyGap: Float?) -> String? {
        if !loss.isFinite { return "loss is \(loss)" }
        if abs(loss) > lossBound { return "|loss| \(loss) exceeds \(lossBound)" }
        if let energyGap {
            if !energyGap.isFinite { return "energy gap is \(energyGap)" }
            if abs(energyGap) > energyGapBound { return "|energy gap| \(energyGap) exceeds \(energyGapBound)" }
        }
        return nil
    }
}

/// The remedies applied so far; saved with the progress so a resumed run keeps them.
public struct DivergenceGuardState: Codable, Sendable, Equatable {
    /// Recoveries from divergence so far.
    public var recoveries = 0
    /// What the learning rate is multiplied by: the product of the factors applied so far (1 at first).
    public var learningRateScale: Float = 1
    /// SGLD steps added to JEM's chains so far.
    public var addedSGLDSteps = 0
    /// What has been added to the energies' L2 weight so far.
    public var addedEnergyL2: Float = 0

    /// No recoveries yet, so no remedies in force.
    public init() {}

    /// One more recovery under `settings`.
    public func escalated(_ settings: DivergenceGuardSettings) -> DivergenceGuardState {
        var next = self
        next.recoveries += 1
        next.learningRateScale *= settings.learningRateFactor
        next.addedSGLDSteps += settings.addedSGLDSteps
        next.addedEnergyL2 += settings.addedEnergyL2
        return next
    }
}
