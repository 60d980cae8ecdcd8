import Testing

@testable import Tensors

/// First- and second-order checks of the composites, and their numerical stability.
@Suite struct CompositeGradientTests {
    let check = GradientCheck()

    @Test func activations() {
        let x = randomTensor([3, 5], seed: 81, scale: 2)
        check.check("sigmoid", [x]) { $0[0].sigmoid() }
        check.check("softplus", [randomTensor([3, 5], seed: 82, scale: 2, awayFromZero: 0.05)]) { $0[0].softplus() }
        check.check("silu", [x]) { $0[0].silu() }
        check.check("logSumExp", [x]) { $0[0].logSumExp(squeezingAxes: [1]) }
        check.check("logSoftmax", [x]) { $0[0].logSoftmax(alongAxis: 1) }
        check.check("softmax", [x]) { $0[0].softmax(alongAxis: 0) }
    }

    @Test func losses() {
        let logits = randomTensor([4, 3], seed: 91, scale: 2)
        check.check("crossEntropy", [logits]) { crossEntropy(logits: $0[0], labels: [2, 0, 1, 2]) }
        let p = randomTensor([2, 3], seed: 92)
        let q = randomTensor([2, 3], seed: 93)
        check.check("meanSquaredError", [p, q]) { meanSquaredError(predicted: $0[0], expected: $0[1]) }
    }

    @Test func stableAtExtremes() {
        let big = Tensor([1000, -1000, 0, 88.8, -104], shape: [5])
        #expect(big.sigmoid().scalars == [1, 0, 0.5, 1, 0])
        let softplus = big.softplus().scalars
        #expect(softplus[0] == 1000 && softplus[1] == 0 && abs(softplus[2] - 0.6931472) < 1e-6)
        let lse = Tensor([1000, 1000], shape: [1, 2]).logSumExp(squeezingAxes: [1]).scalar
        #expect(abs(lse - (1000 + 0.6931472)) < 1e-3)
        let allNegInf = Tensor([-.infinity, -.infinity], shape: [1, 2]).logSumExp(squeezingAxes: [1]).scalar
        #expect(allNegInf == -.infinity)
        let ce = crossEntropy(logits: Tensor([500, -500], shape: [1, 2]), labels: [1]).scalar
        #expect(abs(ce - 1000) < 1e-2)
        let softmax = Tensor([1000, 0], shape: [1, 2]).softmax().scalars
        #expect(softmax == [1, 0])
    }
}
