import Testing

@testable import Tensors

/// Residual sums of two convolutions' blocked outputs (issue 10: the wide ResNet's
/// additions stay in oneDNN's layout) give the plain sum's values and derivatives.
@Suite struct TwinAddTests {
    static func features(_ x: Tensor, _ w: Tensor) -> Tensor {
        conv2d(x, w, stride: 1, padding: 1, activation: .leakyReLU(negativeSlope: 0.2))
    }

    @Test func blockedSumEqualsThePlainSum() {
        // 4·32·16·16 elements: at the size where a primitive call pays (LeakyReLUKernel's threshold).
        let x = randomTensor([4, 16, 16, 16], seed: 41)
        let a = Self.features(x, randomTensor([32, 16, 3, 3], seed: 42, scale: 0.1))
        let b = Self.features(x, randomTensor([32, 16, 3, 3], seed: 43, scale: 0.1))
        let sum = a + b
        #expect(sum.storage.twin != nil, "the sum should stay in the convolutions' layout")
        let plain = zip(a.scalars, b.scalars).map { $0 + $1 }
        let worst = zip(sum.scalars, plain).map { abs($0 - $1) }.max() ?? 1
        #expect(worst == 0, "worst difference \(worst)")
    }

    @Test func residualBlockDerivativesMatchThePlainPath() {
        let x = randomTensor([2, 32, 24, 24], seed: 44)
        let w1 = randomTensor([32, 32, 3, 3], seed: 45, scale: 0.1)
        let w2 = randomTensor([32, 32, 3, 3], seed: 46, scale: 0.1)
        let r = randomTensor([2, 32, 24, 24], seed: 47)
        #expect(x.scalarCount >= LeakyReLUKernel.primitiveThreshold)
        // h = x + conv(conv(x)): x reaches the sum twice, so the backward pass also adds two
        // cotangents; `detwin` scales by 1 around every convolution (a plain elementwise op),
        // so values and cotangents meet in plain buffers: the reference path.
        func loss(detwin: Bool) -> (Tensor, Tensor, Tensor) {
            func plain(_ t: Tensor) -> Tensor { detwin ? t * 1 : t }
            let (dx, dw) = gradient(at: x, [w1, w2]) { x, w in
                let (w1, w2) = (w[0], w[1])
                let inner = plain(Self.features(plain(Self.features(plain(x), w1)), w2))
                let h = plain(Self.features(plain(x), w1)) + inner
                return (h * r).sum()
            }
            return (dx, dw[0], dw[1])
        }
        let blocked = loss(detwin: false)
        let reference = loss(detwin: true)
        for (a, b) in [(blocked.0, reference.0), (blocked.1, reference.1), (blocked.2, reference.2)] {
            let scale = b.scalars.map(abs).max() ?? 1
            let worst = zip(a.scalars, b.scalars).map { abs($0 - $1) }.max() ?? 1
            #expect(worst <= 1e-5 * max(scale, 1), "worst \(worst) at scale \(scale)")
        }
    }
}
