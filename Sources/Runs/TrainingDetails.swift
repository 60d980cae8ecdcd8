import Layers
import Optimizers
import Settings

/// The model's and the optimiser's finer settings.
@SettingsGroup(title: "Model and optimiser details")
public struct TrainingDetails: Sendable, Equatable {
    /// Wide ResNet normalisation: none (default), layer, group or batch (`norm`); a resumed run keeps it.
    @Setting(
        "Wide ResNet normalisation: none, layer, group, batch.", key: "norm", aliases: ["normalization"], resume: .fixed
    )
    public var normalization: NormalizationKind = .none
    /// Wide ResNet dropout probability, in [0, 1) (default: 0).
    @Setting("Wide ResNet dropout probability.")
    public var dropout: Float = 0
    /// SGD's momentum (default: 0.9).
    @Setting("SGD momentum.")
    public var momentum: Float = 0.9
    /// Whether SGD uses Nesterov momentum (default: off).
    @Setting("Nesterov momentum (SGD).")
    public var nesterov: Bool = false
    /// Weight decay: an L2 term in the gradient for adam and sgd, decoupled for adamw (default: 0).
    @Setting("Weight decay: L2 for adam and sgd, decoupled for adamw.")
    public var weightDecay: Float = 0
    /// Adam's and AdamW's β₁, in [0, 1) (default: 0.9).
    @Setting("Adam's β₁ (VERA uses 0).")
    public var beta1: Float = 0.9
    /// Adam's and AdamW's β₂, in [0, 1) (default: 0.999).
    @Setting("Adam's β₂ (VERA uses 0.9).")
    public var beta2: Float = 0.999
    /// Step schedule: multiply the rate by `gamma` every N epochs; when set, `milestones` is ignored.
    @Setting("Step schedule: decay every N epochs.")
    public var stepEvery: Int?
    /// Step schedule: the epochs at which the rate is multiplied by `gamma`, when `stepEvery` is nil.
    @Setting("Step schedule: decay at these epochs, e.g. 30,60.")
    public var milestones: WholeNumbers = WholeNumbers([])
    /// Step schedule: the factor applied to the rate at each decay (default: 0.1).
    @Setting("Step schedule: decay factor.")
    public var gamma: Float = 0.1
    /// The most the gradients' global L2 norm may be (larger ones are scaled down to it); nil: no clipping.
    @Setting("Clip the global gradient norm to this value (default: no clipping).")
    public var clipNorm: Float?
    /// Sharpness-aware minimisation of the classifier's loss (the joint loss for JEM): none
    /// (default), sam (Foret et al. 2021) or asam (Kwon et al. 2021); either costs one more
    /// forward and backward pass of the loss per step.
    @Setting(
        """
        Sharpness-aware minimisation of the loss (JEM: the joint loss): none, sam (Foret et al. 2021) or asam \
        (adaptive, Kwon et al. 2021); one more forward and backward pass per step.
        """, for: SettingScope.ce.union(.jem))
    public var sam: SharpnessAwareness = .none
    /// SAM's radius ρ; nil: 0.05 for sam, 0.5 for asam (the papers' values).
    @Setting("SAM's radius ρ (default: 0.05 for sam, 0.5 for asam).", for: SettingScope.ce.union(.jem))
    public var samRho: Float?
    /// Examples per batch when validating and testing (default: 1000).
    @Setting("Images per pass when validating and testing.")
    public var evaluationBatchSize: Int = 1000

    /// The defaults, as each setting declares them.
    public init() {}

    /// The ascent step these settings ask for; nil without SAM.
    public var sharpnessAwareAscent: SharpnessAwareAscent? {
        switch sam {
        case .none: nil
        case .sam: SharpnessAwareAscent(radius: samRho ?? 0.05, adaptive: false)
        case .asam: SharpnessAwareAscent(radius: samRho ?? 0.5, adaptive: true)
        }
    }
}
