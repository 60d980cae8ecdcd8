import Testing

@testable import Tensors

/// Global average pooling straight from a convolution's channel-blocked output (issue 10:
/// no reorder around the pool) gives the plain path's values and derivatives, to second
/// order (score matching differentiates through the input gradient).
@Suite struct BlockedPoolingTests {
    static let slope: Float = 0.2

    /// A convolution's output, which oneDNN leaves in its channel-blocked layout.
    static func features(_ x: Tensor, _ w: Tensor) -> Tensor {
        conv2d(x, w, stride: 1, padding: 1, activation: .leakyReLU(negativeSlope: slope))
    }

    /// The same values without a layout twin: the plain path.
    static func plain(_ t: Tensor) -> Tensor { t.mean(squeezingAxes: [2, 3]) }

    @Test func valuesComeFromTheBlockedLayoutAndMatchThePlainMean() {
        let x = randomTensor([3, 16, 7, 7], seed: 31)
        let w = randomTensor([32, 16, 3, 3], seed: 32, scale: 0.1)
        let y = Self.features(x, w)
        #expect(y.storage.twin?.channelBlock(for: y.shape) != nil, "the convolution's output should stay blocked")
        let pooled = y.globalAveragePooled()
        let reference = Self.plain(Tensor(y.scalars, shape: y.shape))
        #expect(pooled.shape == [3, 32])
        let worst = zip(pooled.scalars, reference.scalars).map { abs($0 - $1) }.max() ?? 1
        #expect(worst <= 1e-6)
    }

    /// A reshape shares the storage and its twin; the twin's layout no longer describes the
    /// new shape, so the pool must not read it as blocked channels.
    @Test func reshapedBlockedTensorsPoolByTheirNewShape() {
        let x = randomTensor([2, 16, 7, 7], seed: 36)
        let y = Self.features(x, randomTensor([64, 16, 3, 3], seed: 37, scale: 0.1))
        let reshaped = y.reshaped(to: [2, 32, 14, 7])
        let reference = Self.plain(Tensor(reshaped.scalars, shape: reshaped.shape))
        let worst = zip(reshaped.globalAveragePooled().scalars, reference.scalars).map { abs($0 - $1) }.max() ?? 1
        #expect(worst <= 1e-6)
    }

    @Test func firstAndSecondOrderDerivativesMatchThePlainPath() {
        let x = randomTensor([2, 16, 6, 6], seed: 33)
        let w = randomTensor([16, 16, 3, 3], seed: 34, scale: 0.1)
        let r = randomTensor([2, 16], seed: 35)
        // f(x, w) = Σ r ⊙ pool(conv(x, w))²; the score-matching-like loss ‖∇ₓ f‖² needs the
        // pool's derivative and, since the cotangent reaching the pool depends on x and w
        // through the square, that derivative's own derivative (the adjoint's pullback).
        func loss(_ pool: @escaping (Tensor) -> Tensor) -> (Tensor, Tensor) {
            gradient(at: x, w) { x, w in
                let inputGradient = gradient(at: x) { x in
                    let p = pool(Self.features(x, w))
                    return (p * p * r).sum()
                }
                return (inputGradient * inputGradient).sum() + (pool(Self.features(x, w)) * r).sum()
            }
        }
        let (blockedX, blockedW) = loss { $0.globalAveragePooled() }
        let (plainX, plainW) = loss { Self.plain($0) }
        for (a, b) in [(blockedX, plainX), (blockedW, plainW)] {
            let scale = b.scalars.map(abs).max() ?? 1
            let worst = zip(a.scalars, b.scalars).map { abs($0 - $1) }.max() ?? 1
            #expect(worst <= 1e-5 * max(scale, 1), "worst \(worst) at scale \(scale)")
        }
    }
}
