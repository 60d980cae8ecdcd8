import Testing

@testable import Tensors

/// The transposed convolution: PyTorch's definition computed directly in Double, its
/// output sizes, the adjoint identity with `conv2d`, and derivatives to second order.
@Suite struct ConvolutionTransposeTests {
    /// y[n,o,i,j] = b[o] + Σ over (c, a, b') with i = h·s − p + a, j = w·s − p + b' of
    /// x[n,c,h,w] · weight[c,o,a,b'] (each input pixel scatters a weighted kernel).
    static func directTransposed(
        _ x: Tensor, _ w: Tensor, _ b: Tensor, stride s: Int, padding p: Int, outputPadding op: Int
    ) -> (shape: [Int], values: [Double]) {
        let (n, c, h, wd) = (x.shape[0], x.shape[1], x.shape[2], x.shape[3])
        let (o, kh, kw) = (w.shape[1], w.shape[2], w.shape[3])
        let oh = (h - 1) * s - 2 * p + kh + op
        let ow = (wd - 1) * s - 2 * p + kw + op
        let xs = x.scalars
        let ws = w.scalars
        let bs = b.scalars
        var y = [Double](repeating: 0, count: n * o * oh * ow)
        for ni in 0..<n {
            for oi in 0..<o {
                for i in 0..<oh { for j in 0..<ow { y[((ni * o + oi) * oh + i) * ow + j] = Double(bs[oi]) } }
            }
        }
        for ni in 0..<n {
            for ci in 0..<c {
                for yy in 0..<h {
                    for xx in 0..<wd {
                        let value = Double(xs[((ni * c + ci) * h + yy) * wd + xx])
                        for oi in 0..<o {
                            for a in 0..<kh {
                                for bb in 0..<kw {
                                    let i = yy * s - p + a
                                    let j = xx * s - p + bb
                                    guard i >= 0, i < oh, j >= 0, j < ow else { continue }
                                    y[((ni * o + oi) * oh + i) * ow + j] +=
                                        value * Double(ws[((ci * o + oi) * kh + a) * kw + bb])
                                }
                            }
                        }
                    }
                }
            }
        }
        return ([n, o, oh, ow], y)
    }

    static let cases: [(stride: Int, padding: Int, outputPadding: Int, kernel: Int)] = [
        (1, 0, 0, 3), (1, 1, 0, 3), (2, 0, 0, 3), (2, 1, 0, 3), (2, 1, 1, 3), (2, 2, 1, 5), (3, 1, 2, 4),
    ]

    @Test(arguments: cases)
    func matchesPyTorchsDefinition(stride: Int, padding: Int, outputPadding: Int, kernel: Int) {
        let x = randomTensor([2, 3, 4, 5], seed: UInt64(10 * stride + padding))
        let w = randomTensor([3, 4, kernel, kernel], seed: 5, scale: 0.3)
        let b = randomTensor([4], seed: 6)
        let y = convTranspose2d(x, w, bias: b, stride: stride, padding: padding, outputPadding: outputPadding)
        let reference = Self.directTransposed(x, w, b, stride: stride, padding: padding, outputPadding: outputPadding)
        #expect(y.shape == reference.shape)
        let worst = zip(y.scalars, reference.values).map { abs(Double($0) - $1) / (1 + abs($1)) }.max() ?? 1
        #expect(worst < 1e-5, "worst relative error \(worst)")
    }

    /// A stride-2, 2×2 kernel with no overlap tiles each pixel's scaled kernel: worked by hand.
    @Test func tilesTheKernelByHand() {
        let x = Tensor([1, 2, 3, 4], shape: [1, 1, 2, 2])
        let w = Tensor([1, 10, 100, 1000], shape: [1, 1, 2, 2])
        let y = convTranspose2d(x, w, stride: 2)
        #expect(y.shape == [1, 1, 4, 4])
        #expect(
            y.scalars == [
                1, 10, 2, 20,
                100, 1000, 200, 2000,
                3, 30, 4, 40,
                300, 3000, 400, 4000,
            ])
    }

    /// ⟨convT(x, w), y⟩ = ⟨x, conv(y, w)⟩: the transposed convolution is conv2d's adjoint.
    @Test func isTheAdjointOfConvolution() {
        let x = randomTensor([2, 3, 7, 7], seed: 21)
        let w = randomTensor([3, 5, 3, 3], seed: 22, scale: 0.3)
        let up = convTranspose2d(x, w, stride: 2, padding: 1, outputPadding: 1)
        #expect(up.shape == [2, 5, 14, 14])
        let y = randomTensor(up.shape, seed: 23)
        let left = (up * y).sum().scalar
        let right = (x * conv2d(y, w, stride: 2, padding: 1)).sum().scalar
        #expect(abs(left - right) <= 1e-4 * max(1, abs(left)), "\(left) vs \(right)")
    }

    @Test(arguments: [(1, 0, 0), (2, 1, 1), (2, 0, 1)])
    func derivativesToSecondOrder(stride: Int, padding: Int, outputPadding: Int) {
        let x = randomTensor([2, 3, 3, 4], seed: 31)
        let w = randomTensor([3, 2, 3, 3], seed: 32, scale: 0.3)
        let b = randomTensor([2], seed: 33)
        // As for conv2d: H·v differences Float gradients of many products, hence the margin.
        GradientCheck(absoluteTolerance: 5e-3).check(
            "convTranspose2d s\(stride) p\(padding) op\(outputPadding)", [x, w, b]
        ) {
            convTranspose2d($0[0], $0[1], bias: $0[2], stride: stride, padding: padding, outputPadding: outputPadding)
        }
    }
}
