import Testing

@testable import Tensors

/// Gradients of gradients: analytic Hessians, third order, and the weight-gradient of a
/// denoising-score-matching loss of a small convnet energy.
@Suite struct HigherOrderTests {
    @Test func hessianVectorProductOfCubic() {
        // f(x) = Σ x³ + x₀x₁  →  H = diag(6x) + offdiag(0,1) = 1
        let x = Tensor([1, -2, 0.5], shape: [3])
        let v = Tensor([1, 2, 3], shape: [3])
        let hv = gradient(at: x) { x in
            let g = gradient(at: x) { x in
                (x * x * x).sum() + x.sliced(alongAxis: 0, range: 0..<1).sum()
                    * x.sliced(alongAxis: 0, range: 1..<2).sum()
            }
            return (g * v).sum()
        }
        // H·v = (6·1·1 + 1·2, 6·(−2)·2 + 1·1, 6·0.5·3)
        #expect(hv.scalars == [8, -23, 9])
    }

    @Test func thirdDerivative() {
        // d³/dx³ x⁴ = 24x
        let x = Tensor([1.5, -1], shape: [2])
        let third = gradient(at: x) { x in
            gradient(at: x) { x in gradient(at: x) { x in x.squared().squared().sum() }.sum() }.sum()
        }
        #expect(third.scalars == [36, -24])
    }

    @Test func innerGradientOfOuterVariableIsNotConfused() {
        // d/dx [ x · d/dy (x·y) ] = d/dx [x · x] = 2x: the inner gradient depends on the outer variable.
        let x = Tensor(3)
        let y = Tensor(5)
        let g = gradient(at: x) { x in x * gradient(at: y) { y in x * y } }
        #expect(g.scalar == 6)
    }

    @Test func severalTensorsAndNestedStructures() {
        let a = Tensor([1, 2], shape: [2])
        let b = Tensor([3, 4], shape: [2])
        let (ga, gb) = gradient(at: a, b) { a, b in (a * b).sum() }
        #expect(ga.scalars == [3, 4] && gb.scalars == [1, 2])
        let nested: [[Tensor]] = [[a], [b, a]]
        let g = gradient(at: nested) { t in (t[0][0] * t[1][0] + t[1][1]).sum() }
        #expect(g[0][0].scalars == [3, 4] && g[1][0].scalars == [1, 2] && g[1][1].scalars == [1, 1])
        let (value, pb) = valueWithPullback(at: a) { $0 * $0 }
        #expect(value.scalars == [1, 4] && pb(Tensor([1, 10], shape: [2])).scalars == [2, 40])
    }

    @Test func recordingCanBeSwitchedOff() {
        let x = Tensor([1, 2], shape: [2])
        let g = gradient(at: x) { x in
            let constant = withoutRecording { x * x }
            #expect(!constant.isRecorded)
            return (x * withoutDerivative(at: x) + constant).sum()
        }
        #expect(g.scalars == [1, 2])
        // A gradient asked for inside withoutRecording still works, but is not itself recorded.
        let inner = withoutRecording { gradient(at: x) { ($0 * $0).sum() } }
        #expect(inner.scalars == [2, 4] && !inner.isRecorded)
        #expect(!gradient(at: x) { ($0 * $0).sum() }.isRecorded)
    }

    /// A small convnet energy E(x) = −logsumexp f(x), smooth (SiLU) so finite differences are clean.
    struct SmallConvEnergy {
        var w1, b1, w2, b2, wl, bl: Tensor
        var parameters: [Tensor] { [w1, b1, w2, b2, wl, bl] }
        init(_ p: [Tensor]) { (w1, b1, w2, b2, wl, bl) = (p[0], p[1], p[2], p[3], p[4], p[5]) }
        static func random(seed: UInt64) -> [Tensor] {
            [
                randomTensor([4, 1, 3, 3], seed: seed, scale: 0.5), randomTensor([4], seed: seed + 1, scale: 0.1),
                randomTensor([6, 4, 3, 3], seed: seed + 2, scale: 0.3), randomTensor([6], seed: seed + 3, scale: 0.1),
                randomTensor([3, 6], seed: seed + 4, scale: 0.5), randomTensor([3], seed: seed + 5, scale: 0.1),
            ]
        }
        func energy(_ x: Tensor) -> Tensor {
            let h1 = conv2d(x, w1, bias: b1, stride: 1, padding: 1).silu()
            let h2 = conv2d(h1, w2, bias: b2, stride: 2, padding: 1).silu().globalAveragePooled()
            let logits = matmul(h2, wl, transposeB: true) + bl
            return -logits.logSumExp(squeezingAxes: [1])
        }
    }

    /// ½ mean ‖−∇E(x̃) − (x − x̃)/σ²‖² (Vincent 2010).
    static func dsmLoss(_ parameters: [Tensor], clean: Tensor, noisy: Tensor, sigma: Float) -> Tensor {
        let model = SmallConvEnergy(parameters)
        let score = -gradient(at: noisy) { model.energy($0).sum() }
        let target = (clean - noisy) / (sigma * sigma)
        return ((score - target).squared().sum(squeezingAxes: [1, 2, 3]) * 0.5).mean()
    }

    @Test func denoisingScoreMatchingWeightGradient() {
        let parameters = SmallConvEnergy.random(seed: 100)
        let clean = randomTensor([3, 1, 6, 6], seed: 200)
        let noisy = clean + randomTensor([3, 1, 6, 6], seed: 201, scale: 0.1)
        let sigma: Float = 0.1
        let g = gradient(at: parameters) { Self.dsmLoss($0, clean: clean, noisy: noisy, sigma: sigma) }
        let h = 1e-2
        var rng = SeededGenerator(seed: 300)
        var checked = 0
        for k in parameters.indices {
            for _ in 0..<4 {
                let i = Int.random(in: 0..<parameters[k].scalarCount, using: &rng)
                var plus = parameters
                var minus = parameters
                plus[k].withUnsafeMutableBufferPointer { $0[i] += Float(h) }
                minus[k].withUnsafeMutableBufferPointer { $0[i] -= Float(h) }
                let fd =
                    (Double(Self.dsmLoss(plus, clean: clean, noisy: noisy, sigma: sigma).scalar)
                        - Double(Self.dsmLoss(minus, clean: clean, noisy: noisy, sigma: sigma).scalar)) / (2 * h)
                let ad = Double(g[k].scalars[i])
                #expect(
                    abs(ad - fd) <= 0.02 + 0.05 * max(abs(ad), abs(fd)),
                    "DSM ∂L/∂θ\(k)[\(i)]: autodiff \(ad) vs finite difference \(fd)")
                checked += 1
            }
        }
        #expect(checked == 24)
        // The loss really depends on the weights through the inner gradient.
        #expect(g.map { $0.scalars.map(abs).max()! }.max()! > 0.5)
    }
}
