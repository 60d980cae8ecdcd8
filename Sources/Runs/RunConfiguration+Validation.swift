import Layers
import Objectives
import Settings

extension RunConfiguration {
    /// Checks ranges and combinations; the message names the setting.
    public func validated() throws -> RunConfiguration {
        func fail(_ key: String, _ problem: String) -> ConfigurationError { .invalid(key: key, problem: problem) }
        let objective = core.objective
        let d = details
        if objective == .jem { try jem.validate(classes: nil) }
        if objective.isScoreMatching { try scoreMatching.validate() }
        guard core.learningRate > 0, core.learningRate.isFinite else { throw fail("lr", "must be a positive number") }
        guard (0..<1).contains(d.beta1), (0..<1).contains(d.beta2) else {
            throw fail(d.beta1 < 0 || d.beta1 >= 1 ? "beta1" : "beta2", "must lie in [0, 1)")
        }
        if objective.isLearnedSampler {
            try learnedSampler.validate()
            do { try learnedSamplerSettings.validate() } catch let error as LearnedSamplerSettingsError {
                throw fail(error.key, error.problem)
            }
            try jem.validate(classes: nil)
            // The generator is unconditional: there are no class-conditional samples.
            if jem.classConditional || jem.conditionalWeight != 0 {
                throw fail(
                    jem.conditionalWeight != 0 ? "pxy-weight" : "class-conditional",
                    "\(objective.rawValue)'s generator is unconditional, so there is no p(x|y) term or class-conditional sampling "
                        + "(use --objective jem)")
            }
        }
        try divergenceGuard.validate()
        if [.esm, .ssm, .ssmVarianceReduced].contains(objective), modelSpecification.isPiecewiseLinear {
            throw fail(
                "model",
                "\(objective.rawValue) needs the energy's input Hessian, which \(core.model)'s LeakyReLU network has as "
                    + "zero almost everywhere: use energy-mlp, or --objective dsm / mdsm")
        }
        if isUnconditionalEnergy, case .wideResNet = core.model.architecture, d.normalization == .batch {
            throw fail(
                "norm",
                "batch norm mixes samples, so a batch has no per-sample energy to match: use none, layer or group")
        }
        if !isUnconditionalEnergy, core.model.isEnergy {
            throw fail(
                "model",
                "energy-mlp has one output (an energy): train it with --objective esm, ssm, ssm-vr, dsm, mdsm, "
                    + "vera, meg or kim-bengio")
        }
        guard core.schedule != .step || d.stepEvery != nil || !d.milestones.values.isEmpty else {
            throw fail("schedule", "step decay needs step-every or milestones")
        }
        guard core.batchSize >= 1 else { throw fail("batch-size", "must be at least 1") }
        guard d.evaluationBatchSize >= 1 else { throw fail("evaluation-batch-size", "must be at least 1") }
        guard core.epochs >= 1 else { throw fail("epochs", "must be at least 1") }
        if let steps = core.steps, steps < 1 { throw fail("steps", "must be at least 1") }
        guard (0..<1).contains(d.dropout) else { throw fail("dropout", "must be in [0, 1)") }
        guard data.noise >= 0, data.cropPadding >= 0, core.warmupSteps >= 0, data.validationSize >= 0 else {
            throw fail(
                data.noise < 0
                    ? "noise"
                    : data.cropPadding < 0 ? "crop-padding" : core.warmupSteps < 0 ? "warmup" : "validation-size",
                "must not be negative")
        }
        if let clipNorm = d.clipNorm, !(clipNorm > 0) { throw fail("clip-norm", "must be positive") }
        if let rho = d.samRho, !(rho > 0 && rho.isFinite) { throw fail("sam-rho", "must be a positive number") }
        if d.sam != .none, objective != .ce, objective != .jem {
            throw fail("sam", "sharpness-aware minimisation trains ce and jem, not \(objective.rawValue)")
        }
        if objective == .ce, let perClass = jem.labelsPerClass, perClass < 1 {
            throw fail("labels-per-class", "must be at least 1")
        }
        guard data.noise.isFinite else { throw fail("noise", "must be a finite number") }
        guard (0..<1).contains(data.mutationRate) else { throw fail("mutation-rate", "must be in [0, 1)") }
        if let every = d.stepEvery, every < 1 { throw fail("step-every", "must be at least 1 (epochs)") }
        guard d.milestones.values.allSatisfy({ $0 >= 1 }) else {
            throw fail("milestones", "must be epochs of at least 1")
        }
        guard d.gamma > 0, d.gamma.isFinite else { throw fail("gamma", "must be a positive number") }
        guard (0..<1).contains(d.momentum) else { throw fail("momentum", "must lie in [0, 1)") }
        guard d.weightDecay >= 0, d.weightDecay.isFinite else {
            throw fail("weight-decay", "must be a non-negative number")
        }
        if let every = output.checkpointEvery, every < 1 { throw fail("checkpoint-every", "must be at least 1") }
        if let channels = data.channels, channels != 1 && channels != 3 {
            throw fail("channels", "must be 1 (grey) or 3 (RGB), not \(channels)")
        }
        return self
    }
}
