import Foundation
import Runs
import Runs

/// The settings given on `joule train`'s command line, applied over a configuration (the
/// defaults, a YAML file, or a checkpoint's).
struct TrainOverrides {
    let command: TrainCommand

    func apply(to base: TrainingConfiguration) throws -> TrainingConfiguration {
        var c = base
        let common = command.common, output = command.output, data = command.data, details = command.details
        if let objective = common.objective { c.objective = objective }
        if let dataset = common.dataset { c.dataset = dataset }
        if let datasetPath = data.datasetPath { c.datasetPath = datasetPath }
        if let channels = data.channels { c.channels = channels }
        if let model = common.model { c.model = model }
        if let norm = details.norm { try ConfigurationFile.set("normalization", to: norm, in: &c, file: "--norm") }
        if let dropout = details.dropout { c.dropout = dropout }
        if let epochs = common.epochs { c.epochs = epochs; c.steps = nil }
        if let steps = common.steps { c.steps = steps }
        if let batchSize = common.batchSize { c.batchSize = batchSize }
        if let lr = common.lr { c.learningRate = lr }
        if let optimizer = common.optimizer { c.optimizer = optimizer }
        if let momentum = details.momentum { c.momentum = momentum }
        if let beta1 = details.beta1 { c.beta1 = beta1 }
        if let beta2 = details.beta2 { c.beta2 = beta2 }
        if details.nesterov { c.nesterov = true }
        if let weightDecay = details.weightDecay { c.weightDecay = weightDecay }
        if let warmup = common.warmup { c.warmupSteps = warmup }
        if let schedule = common.schedule { c.schedule = schedule }
        if let stepEvery = details.stepEvery { c.stepEvery = stepEvery }
        if let gamma = details.gamma { c.gamma = gamma }
        if let clipNorm = details.clipNorm { c.clipNorm = clipNorm }
        if let noise = data.noise { c.noise = noise }
        if let cropPadding = data.cropPadding { c.cropPadding = cropPadding }
        if data.flip { c.flip = true }
        if let seed = common.seed { c.seed = seed }
        if let validationSize = data.validationSize { c.validationSize = validationSize }
        if let checkpointDir = output.checkpointDir { c.checkpointDirectory = checkpointDir }
        if let checkpointEvery = output.checkpointEvery { c.checkpointEvery = checkpointEvery }
        for case let (key, value?) in groupSettings {
            try ConfigurationFile.set(key, to: value, in: &c, file: "--\(key)")
        }
        return c
    }

    /// The settings of the JEM, guard, score-matching and learned-sampler groups by their
    /// YAML names (the configuration file's setter applies them).
    private var groupSettings: [(String, Any?)] {
        let jem = command.jem, guardOptions = command.divergence, sm = command.scoreMatching, learned = command.learned
        let double = { (value: Float?) in value.map { Double($0) } }
        return [
            ("sgld-steps", jem.sgldSteps), ("sgld-step-size", double(jem.sgldStepSize)), ("sgld-noise", double(jem.sgldNoise)),
            ("buffer-size", jem.bufferSize), ("reinit-rate", double(jem.reinitRate)), ("buffer-start", jem.bufferStart),
            ("class-conditional", jem.classConditional ? true : nil), ("px-weight", double(jem.pxWeight)),
            ("pyx-weight", double(jem.pyxWeight)), ("pxy-weight", double(jem.pxyWeight)), ("energy-l2", double(jem.energyL2)),
            ("labels-per-class", jem.labelsPerClass), ("sampler-precision", jem.samplerPrecision),
            ("guard-loss-bound", double(guardOptions.guardLossBound)), ("guard-gap-bound", double(guardOptions.guardGapBound)),
            ("guard-max-recoveries", guardOptions.guardMaxRecoveries), ("guard-lr-factor", double(guardOptions.guardLrFactor)),
            ("guard-sgld-steps", guardOptions.guardSgldSteps), ("guard-energy-l2", double(guardOptions.guardEnergyL2)),
            ("sigma", double(sm.sigma)), ("sigma-max", double(sm.sigmaMax)), ("sigma-min", double(sm.sigmaMin)),
            ("sigma-levels", sm.sigmaLevels), ("sigma-spacing", sm.sigmaSpacing), ("sm-form", sm.smForm),
            ("projections", sm.projections), ("projection", sm.projection), ("exact-limit", sm.exactLimit),
            ("sample-steps", sm.sampleSteps), ("sample-step-size", double(sm.sampleStepSize)),
            ("generator", learned.generator), ("latent-size", learned.latentSize), ("entropy-weight", double(learned.entropyWeight)),
            ("gradient-penalty", double(learned.gradientPenalty)), ("generator-lr", double(learned.generatorLr)),
            ("posterior-lr", double(learned.posteriorLr)), ("importance-samples", learned.importanceSamples),
            ("vera-sigma-max", double(learned.veraSigmaMax)), ("vera-sigma-min", double(learned.veraSigmaMin)),
            ("statistics-width", learned.statisticsWidth),
        ]
    }
}
