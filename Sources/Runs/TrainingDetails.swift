import Layers
import Settings

/// The model's and the optimiser's finer settings.
@SettingsGroup(title: "Model and optimiser details")
public struct TrainingDetails: Sendable, Equatable {
    @Setting(
        "Wide ResNet normalisation: none, layer, group, batch.", key: "norm", aliases: ["normalization"], resume: .fixed
    )
    public var normalization: NormalizationKind = .none
    @Setting("Wide ResNet dropout probability.")
    public var dropout: Float = 0
    @Setting("SGD momentum.")
    public var momentum: Float = 0.9
    @Setting("Nesterov momentum (SGD).")
    public var nesterov: Bool = false
    @Setting("Weight decay: L2 for adam and sgd, decoupled for adamw.")
    public var weightDecay: Float = 0
    @Setting("Adam's β₁ (VERA uses 0).")
    public var beta1: Float = 0.9
    @Setting("Adam's β₂ (VERA uses 0.9).")
    public var beta2: Float = 0.999
    @Setting("Step schedule: decay every N epochs.")
    public var stepEvery: Int?
    @Setting("Step schedule: decay at these epochs, e.g. 30,60.")
    public var milestones: WholeNumbers = WholeNumbers([])
    @Setting("Step schedule: decay factor.")
    public var gamma: Float = 0.1
    @Setting("Clip the global gradient norm to this value (default: no clipping).")
    public var clipNorm: Float?
    @Setting("Images per pass when validating and testing.")
    public var evaluationBatchSize: Int = 1000

    public init() {}
}
