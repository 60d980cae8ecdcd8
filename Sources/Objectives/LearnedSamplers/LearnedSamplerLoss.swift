import Foundation
import Layers
import Tensors

/// The two halves of a learned-sampler step (docs/research/learned-samplers.md), energies
/// passed in as functions so that a toy energy, an image energy or a classifier's JEM
/// energy all fit:
///
/// - the energy's loss on data x⁺ and generator samples x⁻ (held constant):
///   mean E(x⁺) − mean E(x⁻) + (γ/2)·mean ‖∇ₓE(x⁺)‖² + λ₂·(mean E(x⁺)² + mean E(x⁻)²)
///   (VERA's zero-centred gradient penalty on data, with its ½; MEG's λ·mean ‖∇ₓE‖² is γ = 2λ here;
///   the energy L2 of JEM);
/// - the generator's loss against the energy, KL(p_G‖p_θ) up to log Z:
///   mean E(G(z)) − w·Ĥ, with Ĥ the chosen estimate's surrogate (MEG: + w·L_MI, which also
///   trains the statistics network, so w scales its gradient too; the reference has w = 1).
public enum LearnedSamplerLoss {
    /// The energy's loss; `samples` are treated as constants.
    public static func energyLoss(
        energy: (Tensor) -> Tensor, data: Tensor, samples: Tensor, gradientPenalty: Float,
        energySquared: Float
    ) -> Tensor {
        energyTerms(
            energy: energy, data: data, samples: samples, gradientPenalty: gradientPenalty, energySquared: energySquared
        ).loss
    }

    /// The energy's loss, with the mean energies of data and samples it computed on the way.
    public static func energyTerms(
        energy: (Tensor) -> Tensor, data: Tensor, samples: Tensor, gradientPenalty: Float,
        energySquared: Float
    ) -> (loss: Tensor, dataEnergy: Float, sampleEnergy: Float) {
        let negatives = withoutDerivative(at: samples)
        let dataEnergy = energy(data)
        let sampleEnergy = energy(negatives)
        var loss = dataEnergy.mean() - sampleEnergy.mean()
        if gradientPenalty != 0 {
            loss = loss + Self.gradientPenalty(energy: energy, data: data, weight: gradientPenalty)
        }
        if energySquared != 0 {
            loss = loss + (dataEnergy.squared().mean() + sampleEnergy.squared().mean()) * energySquared
        }
        return (loss, dataEnergy.mean().scalar, sampleEnergy.mean().scalar)
    }

    /// VERA's zero-centred gradient penalty on data, (γ/2)·mean ‖∇ₓE(x⁺)‖², differentiable in
    /// the energy's parameters (the input gradient is taken with its own graph recorded).
    public static func gradientPenalty(energy: (Tensor) -> Tensor, data: Tensor, weight: Float) -> Tensor {
        let slope = energyInputGradient(energy, at: data).flattenedBatch()
        return slope.squared().sum(squeezingAxes: [1]).mean() * (weight / 2)
    }

    /// JEM with a learned sampler, the energy's step (VERA's `--jem`): JEM's loss over data and
    /// generator samples — w_c·CE + w_m·(Ē(x) − Ē(G(z))) + w_2·(E² terms) — plus the gradient
    /// penalty (γ/2)·mean ‖∇ₓE(x)‖² on the data of the p(x) term.
    public static func jemEnergyLoss(
        _ model: AnyLayer, data: Tensor, labels: [Int], unlabeled: Tensor?, negatives: Tensor,
        weights: JEMWeights, gradientPenalty: Float, context: ForwardContext
    ) -> (loss: Tensor, terms: JEMTerms) {
        let result = jemLoss(
            model, data: data, labels: labels, unlabeledData: unlabeled, samples: negatives, weights: weights,
            context: context)
        guard gradientPenalty != 0 else { return result }
        // Its own forward state: dropout draws of their own (seeded from a copy of the stream,
        // which is not advanced) and batch-norm statistics that do not overwrite the main pass's.
        var stream = context.state.generator
        let state = ForwardState(isTraining: context.state.isTraining, generator: SeededGenerator(seed: stream.next()))
        let energy = JointEnergyModel(model, context: ForwardContext(state: state, path: context.path)).energyFunction
        return (
            result.loss + Self.gradientPenalty(energy: energy, data: unlabeled ?? data, weight: gradientPenalty),
            result.terms
        )
    }

    /// Samples for the energy's step (no gradient recorded), with their latents.
    public static func sample(
        _ module: GeneratorModule, estimate: EntropyEstimate, count: Int, latentSize: Int,
        isTraining: Bool, using generator: inout SeededGenerator
    ) -> (x: Tensor, z: Tensor) {
        withoutRecording {
            let context = ForwardContext(state: ForwardState(isTraining: isTraining))
            if estimate == .vera {
                let (x, h) = VariationalEntropy.sample(
                    module.generator, logSigma: module.logSigma, count: count,
                    latentSize: latentSize, context: context, using: &generator)
                return (x, h)
            }
            let z = Tensor(randomNormal: [count, latentSize], using: &generator)
            return (module.generator(z, context: context), z)
        }
    }

    /// The generator's loss at `count` fresh latents, differentiable in `module`; also the
    /// entropy diagnostic to log (VERA: the surrogate; MEG: Î_JSD; Kim & Bengio: Ĥ) and the
    /// generator samples' mean energy. `state` receives the generator's batch-norm updates.
    public static func generatorLoss(
        _ module: GeneratorModule, estimate: EntropyEstimate, vera: VariationalEntropy?,
        energy: (Tensor) -> Tensor, count: Int, latentSize: Int, entropyWeight: Float,
        state: ForwardState, using generator: inout SeededGenerator
    )
        -> (loss: Tensor, entropy: Float, sampleEnergy: Float)
    {
        let context = ForwardContext(state: state).child("generator")
        switch estimate {
        case .vera:
            guard var estimator = vera else { preconditionFailure("generatorLoss: VERA needs its VariationalEntropy") }
            estimator.logSigma = module.logSigma
            let (x, h) = VariationalEntropy.sample(
                module.generator, logSigma: module.logSigma, count: count, latentSize: latentSize,
                context: context, using: &generator)
            let sampleEnergy = energy(x).mean()
            let entropy = estimator.entropySurrogate(
                module.generator, x: x, h: h, isTraining: state.isTraining, using: &generator)
            return (sampleEnergy - entropy.surrogate * entropyWeight, entropy.surrogate.scalar, sampleEnergy.scalar)
        case .meg:
            let z = Tensor(randomNormal: [count, latentSize], using: &generator)
            let x = module.generator(z, context: context)
            let sampleEnergy = energy(x).mean()
            let mi = MutualInformationEntropy.loss(
                statistics: module.statistics, x: x, z: z,
                context: ForwardContext(state: state).child("statistics"), using: &generator)
            return (sampleEnergy + mi.loss * entropyWeight, mi.estimate, sampleEnergy.scalar)
        case .kimBengio:
            let z = Tensor(randomNormal: [count, latentSize], using: &generator)
            let sampleEnergy = energy(module.generator(z, context: context)).mean()
            let entropy = BatchNormEntropy.entropy(of: module.generator)
            return (sampleEnergy - entropy * entropyWeight, entropy.scalar, sampleEnergy.scalar)
        }
    }
}
