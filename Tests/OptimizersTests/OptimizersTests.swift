import Tensors
import Testing

@testable import Optimizers

/// Update rules against values computed by hand (and, for the formulas, by PyTorch's
/// definitions step by step).
@Suite struct OptimizersTests {
    func close(_ a: [Float], _ b: [Double], _ tolerance: Double = 1e-6) -> Bool {
        a.count == b.count && zip(a, b).allSatisfy { abs(Double($0) - $1) <= tolerance * max(1, abs($1)) }
    }

    @Test func plainSGD() {
        var sgd = SGD()
        var p = [Tensor([1, -2], shape: [2])]
        sgd.update(&p, gradients: [Tensor([0.5, 1], shape: [2])], learningRate: 0.1)
        #expect(close(p[0].scalars, [0.95, -2.1]))
    }

    @Test func sgdMomentumNesterovAndWeightDecay() {
        // p = 1, g = 1 constant, lr 0.1, μ 0.9, λ 0.1.
        // step 1: g' = 1 + 0.1·1 = 1.1; b = 1.1; plain: p = 1 − 0.11 = 0.89
        // step 2: g' = 1 + 0.089 = 1.089; b = 0.9·1.1 + 1.089 = 2.079; p = 0.89 − 0.2079 = 0.6821
        var sgd = SGD(momentum: 0.9, weightDecay: 0.1)
        var p = [Tensor(1)]
        sgd.update(&p, gradients: [Tensor(1)], learningRate: 0.1)
        #expect(close(p[0].scalars, [0.89]))
        sgd.update(&p, gradients: [Tensor(1)], learningRate: 0.1)
        #expect(close(p[0].scalars, [0.6821]))
        // Nesterov, no decay: step 1: b = 1, g = 1 + 0.9 = 1.9, p = 1 − 0.19 = 0.81;
        // step 2: b = 0.9 + 1 = 1.9, g = 1 + 1.71 = 2.71, p = 0.81 − 0.271 = 0.539
        var nesterov = SGD(momentum: 0.9, nesterov: true)
        var q = [Tensor(1)]
        nesterov.update(&q, gradients: [Tensor(1)], learningRate: 0.1)
        nesterov.update(&q, gradients: [Tensor(1)], learningRate: 0.1)
        #expect(close(q[0].scalars, [0.539]))
    }

    @Test func adamFirstStepsByHand() {
        // g = 0.5 then −1, lr 0.1, default betas, ε 1e-8.
        // t=1: m = 0.05, v = 0.00025; m̂ = 0.5, v̂ = 0.25; p = 1 − 0.1·0.5/(0.5+1e-8) = 0.9
        // t=2: m = 0.045 − 0.1 = −0.055; v = 0.00024975 + 0.001 = 0.00124975
        //      m̂ = −0.055/0.19 = −0.289473…; v̂ = 0.00124975/0.001999 = 0.625187…;
        //      p = 0.9 + 0.1·0.289473/(0.790688… + 1e-8) = 0.936610…
        var adam = Adam()
        var p = [Tensor(1)]
        adam.update(&p, gradients: [Tensor(0.5)], learningRate: 0.1)
        #expect(close(p[0].scalars, [0.9], 1e-6))
        adam.update(&p, gradients: [Tensor(-1)], learningRate: 0.1)
        let mHat = -0.055 / 0.19
        let vHat = 0.00124975 / (1 - 0.999 * 0.999)
        #expect(close(p[0].scalars, [0.9 - 0.1 * mHat / (vHat.squareRoot() + 1e-8)], 1e-5))
    }

    @Test func adamWeightDecayCoupledAndDecoupled() {
        // p = 2, g = 0, λ = 0.5, lr 0.1.
        // Adam (L2): g' = 1, first step moves by lr·sign = 0.1 → 1.9
        var adam = Adam(weightDecay: 0.5)
        var p = [Tensor(2)]
        adam.update(&p, gradients: [Tensor(0)], learningRate: 0.1)
        #expect(close(p[0].scalars, [1.9], 1e-5))
        // AdamW: p ← 2·(1 − 0.05) = 1.9, and g = 0 moves nothing more.
        var adamW = Adam.adamW(weightDecay: 0.5)
        var q = [Tensor(2)]
        adamW.update(&q, gradients: [Tensor(0)], learningRate: 0.1)
        #expect(close(q[0].scalars, [1.9], 1e-6))
    }

    @Test func stateRoundTripsExactly() throws {
        var a = Adam()
        var p = [Tensor([1, 2], shape: [2]), Tensor(3)]
        let g = [Tensor([0.1, -0.2], shape: [2]), Tensor(0.3)]
        a.update(&p, gradients: g, learningRate: 0.01)
        var b = Adam()
        try b.restore(a.state)
        var p1 = p
        var p2 = p
        a.update(&p1, gradients: g, learningRate: 0.01)
        b.update(&p2, gradients: g, learningRate: 0.01)
        #expect(p1.map(\.scalars) == p2.map(\.scalars))
        #expect(throws: OptimizerStateError.self) { try b.restore([:]) }
        var s = SGD(momentum: 0.9)
        s.update(&p, gradients: g, learningRate: 0.1)
        var t = SGD(momentum: 0.9)
        try t.restore(s.state)
        #expect(t.state.keys.sorted() == ["momentum_buffer.0", "momentum_buffer.1"])
    }

    /// Found by scripts/fuzz.sh safetensors (fuzz/regressions/safetensors/optimizer-step-beyond-int.safetensors):
    /// a checkpoint's step of 3e29 trapped converting to Int. Any step that is not a whole
    /// number in range is refused.
    @Test func aStepOutOfRangeIsRefusedNotTrapped() throws {
        var a = Adam()
        var p = [Tensor([1, 2], shape: [2])]
        a.update(&p, gradients: [Tensor([0.1, -0.2], shape: [2])], learningRate: 0.01)
        for bad: Float in [3.0749840468933147e+29, .infinity, .nan, -1, 2.5, 0x1p62] {
            var state = a.state
            state["step"] = Tensor(bad)
            var b = Adam()
            #expect(throws: OptimizerStateError.self, "step \(bad)") { try b.restore(state) }
        }
        var b = Adam()
        var state = a.state
        state["step"] = Tensor(Float(0x1p61))
        try b.restore(state)
    }

    @Test func schedules() {
        let warm = LearningRateSchedule(base: 1e-4, warmupSteps: 1000)
        #expect(
            abs(warm.rate(at: 0) - 1e-7) < 1e-12 && abs(warm.rate(at: 499) - 5e-5) < 1e-10
                && warm.rate(at: 5000) == 1e-4)
        let step = LearningRateSchedule(base: 1, decay: .step(every: 10, milestones: [], gamma: 0.5))
        #expect(step.rate(at: 9) == 1 && step.rate(at: 10) == 0.5 && step.rate(at: 25) == 0.25)
        let milestones = LearningRateSchedule(base: 1, decay: .step(every: nil, milestones: [3, 5], gamma: 0.1))
        #expect(
            milestones.rate(at: 2) == 1 && abs(milestones.rate(at: 3) - 0.1) < 1e-7
                && abs(milestones.rate(at: 6) - 0.01) < 1e-8)
        let cosine = LearningRateSchedule(base: 1, decay: .cosine(totalSteps: 100, minimum: 0.1))
        #expect(
            cosine.rate(at: 0) == 1 && abs(cosine.rate(at: 50) - 0.55) < 1e-6 && abs(cosine.rate(at: 100) - 0.1) < 1e-6)
    }

    @Test func clipping() {
        var g = [Tensor([3, 0], shape: [2]), Tensor(4)]
        let norm = clipGradientNorm(&g, maxNorm: 1)
        #expect(norm == 5)
        #expect(close(g[0].scalars + g[1].scalars, [0.6, 0, 0.8], 1e-5))
        var small = [Tensor([0.3, 0.4], shape: [2])]
        clipGradientNorm(&small, maxNorm: 1)
        #expect(small[0].scalars == [0.3, 0.4])
    }
}

/// The fused update splits large parameters across threads; every chunk must agree with
/// the formula.
@Suite struct LargeParameterUpdateTests {
    @Test func adamOnALargeParameterMatchesTheFormula() {
        var rng = SeededGenerator(seed: 21)
        let n = 300_001
        let p = Tensor(randomNormal: [n], using: &rng)
        let g = Tensor(randomNormal: [n], using: &rng)
        var adam = Adam(weightDecay: 0.01, decoupledWeightDecay: true)
        var params = [p]
        adam.update(&params, gradients: [g], learningRate: 0.1)
        let ps = p.scalars
        let gs = g.scalars
        let out = params[0].scalars
        for i in Array(stride(from: 0, to: n, by: 997)) + [n - 1] {
            // First step: m̂ = g, v̂ = g², so p ← p(1 − ηλ) − η g / (|g| + ε).
            let expected = Double(ps[i]) * (1 - 0.001) - 0.1 * Double(gs[i]) / (abs(Double(gs[i])) + 1e-8)
            #expect(abs(Double(out[i]) - expected) < 1e-5 * (1 + abs(expected)), "element \(i)")
        }
    }
}
