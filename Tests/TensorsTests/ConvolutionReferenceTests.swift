import Testing

@testable import Tensors

/// oneDNN's three convolution passes against a direct convolution computed in Double.
@Suite struct ConvolutionReferenceTests {
    /// y[n,o,i,j] = b[o] + Σ_c,ky,kx x[n,c,i·s+ky−p, j·s+kx−p] · w[o,c,ky,kx]
    static func directConvolution(_ x: Tensor, _ w: Tensor, _ b: Tensor, stride s: Int, padding p: Int) -> [Double] {
        let (n, c, h, wd) = (x.shape[0], x.shape[1], x.shape[2], x.shape[3])
        let (o, kh, kw) = (w.shape[0], w.shape[2], w.shape[3])
        let oh = (h + 2 * p - kh) / s + 1
        let ow = (wd + 2 * p - kw) / s + 1
        let xs = x.scalars
        let ws = w.scalars
        let bs = b.scalars
        var y = [Double](repeating: 0, count: n * o * oh * ow)
        for ni in 0..<n {
            for oi in 0..<o {
                for i in 0..<oh {
                    for j in 0..<ow {
                        var acc = Double(bs[oi])
                        for ci in 0..<c {
                            for ky in 0..<kh {
                                for kx in 0..<kw {
                                    let yy = i * s + ky - p
                                    let xx = j * s + kx - p
                                    guard yy >= 0, yy < h, xx >= 0, xx < wd else { continue }
                                    acc +=
                                        Double(xs[((ni * c + ci) * h + yy) * wd + xx])
                                        * Double(ws[((oi * c + ci) * kh + ky) * kw + kx])
                                }
                            }
                        }
                        y[((ni * o + oi) * oh + i) * ow + j] = acc
                    }
                }
            }
        }
        return y
    }

    static let cases: [(channels: Int, stride: Int, padding: Int)] = [
        (1, 1, 0), (1, 1, 1), (1, 2, 0), (1, 2, 1),
        (3, 1, 0), (3, 1, 1), (3, 2, 0), (3, 2, 1),
        (64, 1, 0), (64, 1, 1), (64, 2, 0), (64, 2, 1),
    ]

    @Test(arguments: cases)
    func matchesDirectConvolution(channels: Int, stride: Int, padding: Int) {
        let x = randomTensor([2, channels, 7, 6], seed: UInt64(channels * 10 + stride))
        let w = randomTensor([channels == 64 ? 64 : 5, channels, 3, 3], seed: 5, scale: 0.2)
        let b = randomTensor([w.shape[0]], seed: 6)
        let y = conv2d(x, w, bias: b, stride: stride, padding: padding)
        let reference = Self.directConvolution(x, w, b, stride: stride, padding: padding)
        #expect(y.scalarCount == reference.count)
        let worst = zip(y.scalars, reference).map { abs(Double($0) - $1) / (1 + abs($1)) }.max() ?? 0
        #expect(worst < 1e-4, "forward: worst relative error \(worst)")

        // Backward passes: ⟨dy, conv(x, w)⟩ is linear in x and in w, so its gradients are
        // the adjoints; check them through the identity ⟨dx, δx⟩ = ⟨dy, conv(δx, w)⟩ (no bias).
        let dy = randomTensor(y.shape, seed: 9)
        let (dx, dw) = gradient(at: x, w) { x, w in (conv2d(x, w, stride: stride, padding: padding) * dy).sum() }
        let deltaX = randomTensor(x.shape, seed: 10)
        let deltaW = randomTensor(w.shape, seed: 11)
        let zero = Tensor.zeros([w.shape[0]])
        let lhsX = dot(dx, deltaX.scalars.map(Double.init))
        let rhsX = dot(dy, Self.directConvolution(deltaX, w, zero, stride: stride, padding: padding))
        #expect(abs(lhsX - rhsX) <= 1e-4 * (1 + abs(rhsX)), "backward-data: \(lhsX) vs \(rhsX)")
        let lhsW = dot(dw, deltaW.scalars.map(Double.init))
        let rhsW = dot(dy, Self.directConvolution(x, deltaW, zero, stride: stride, padding: padding))
        #expect(abs(lhsW - rhsW) <= 1e-4 * (1 + abs(rhsW)), "backward-weights: \(lhsW) vs \(rhsW)")
    }

    func dot(_ a: Tensor, _ b: [Double]) -> Double { zip(a.scalars, b).map { Double($0) * $1 }.reduce(0, +) }
}
