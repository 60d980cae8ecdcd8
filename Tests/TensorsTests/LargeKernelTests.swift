import Testing

@testable import Tensors

/// Kernels that switch implementation with size (oneDNN eltwise above a threshold) give
/// the same numbers as the small-size loops, forward and backward.
@Suite struct LargeKernelTests {
    @Test func leakyReLUOnBothSidesOfTheThreshold() {
        for count in [LeakyReLUKernel.primitiveThreshold - 1, LeakyReLUKernel.primitiveThreshold, 100_003] {
            let x = randomTensor([count], seed: UInt64(count))
            let r = randomTensor([count], seed: 5)
            let (y, g) = (
                x.leakyReLU(negativeSlope: 0.1), gradient(at: x) { ($0.leakyReLU(negativeSlope: 0.1) * r).sum() }
            )
            let xs = x.scalars
            let ys = y.scalars
            let gs = g.scalars
            let rs = r.scalars
            for i in stride(from: 0, to: count, by: 7) {
                #expect(ys[i] == (xs[i] > 0 ? xs[i] : xs[i] * 0.1))
                #expect(abs(gs[i] - (xs[i] > 0 ? rs[i] : rs[i] * 0.1)) <= 1e-6 * abs(rs[i]))
            }
            // Second order through the large kernel: d/dr of the slope-scaled r is the slope.
            let h = gradient(at: r) { r in (gradient(at: x) { ($0.leakyReLU(negativeSlope: 0.1) * r).sum() } * x).sum()
            }
            let hs = h.scalars
            for i in stride(from: 0, to: count, by: 11) {
                #expect(abs(hs[i] - (xs[i] > 0 ? xs[i] : xs[i] * 0.1)) <= 1e-6 * (1 + abs(xs[i])))
            }
        }
    }
}

/// Chains of convolutions hand their outputs on in oneDNN's blocked layout (layout twins);
/// the numbers must equal the same chain forced through plain buffers between layers.
@Suite struct LayoutTwinTests {
    static func chain(_ x: Tensor, _ p: [Tensor], plainBetweenLayers: Bool) -> Tensor {
        var h = x
        for (layer, stride) in [1, 2, 1].enumerated() {
            h = conv2d(
                h, p[2 * layer], bias: p[2 * layer + 1], stride: stride, padding: 1,
                activation: .leakyReLU(negativeSlope: 0.2))
            if plainBetweenLayers { h = h * 1 }  // an engine loop: reads and writes plain
        }
        return h.globalAveragePooled().logSumExp(squeezingAxes: [1])
    }

    @Test func chainedConvolutionsMatchThePlainPath() {
        let x = randomTensor([4, 16, 16, 16], seed: 1)
        let p = [
            randomTensor([32, 16, 3, 3], seed: 2, scale: 0.15), randomTensor([32], seed: 3, scale: 0.1),
            randomTensor([32, 32, 3, 3], seed: 4, scale: 0.1), randomTensor([32], seed: 5, scale: 0.1),
            randomTensor([48, 32, 3, 3], seed: 6, scale: 0.1), randomTensor([48], seed: 7, scale: 0.1),
        ]
        func everything(_ plain: Bool) -> [Float] {
            let (gx, gp) = gradient(at: x, p) { Self.chain($0, $1, plainBetweenLayers: plain).sum() }
            return Self.chain(x, p, plainBetweenLayers: plain).scalars + gx.scalars + gp.flatMap(\.scalars)
        }
        let twin = everything(false)
        let plain = everything(true)
        let worst = zip(twin, plain).map { abs($0 - $1) / (1e-3 + abs($1)) }.max()!
        #expect(worst < 1e-3, "layout twins vs plain path: worst relative difference \(worst)")
        #expect(twin.count == plain.count && twin.contains { abs($0) > 1e-3 })
    }

    @Test func twinIsReadBackWhenThePlainValuesAreNeeded() {
        let x = randomTensor([2, 16, 8, 8], seed: 8)
        let w = randomTensor([16, 16, 3, 3], seed: 9, scale: 0.2)
        let y = conv2d(x, w, padding: 1)
        #expect(y.storage.twin != nil, "oneDNN picked a blocked layout for 16 channels, so the output has a twin")
        let reference = ConvolutionReferenceTests.directConvolution(x, w, Tensor.zeros([16]), stride: 1, padding: 1)
        var copy = y
        copy.withUnsafeMutableBufferPointer { $0[0] += 1 }  // an in-place edit leaves the original alone
        let worst = zip(y.scalars, reference).map { abs(Double($0) - $1) }.max()!
        #expect(worst < 1e-4 && copy.scalars[0] == y.scalars[0] + 1)
    }
}
