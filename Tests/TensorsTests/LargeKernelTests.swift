import Testing
@testable import Tensors

/// Kernels that switch implementation with size (oneDNN eltwise above a threshold) give
/// the same numbers as the small-size loops, forward and backward.
@Suite struct LargeKernelTests {
    @Test func leakyReLUOnBothSidesOfTheThreshold() {
        for count in [LeakyReLUKernel.primitiveThreshold - 1, LeakyReLUKernel.primitiveThreshold, 100_003] {
            let x = randomTensor([count], seed: UInt64(count))
            let r = randomTensor([count], seed: 5)
            let (y, g) = (x.leakyReLU(negativeSlope: 0.1), gradient(at: x) { ($0.leakyReLU(negativeSlope: 0.1) * r).sum() })
            let xs = x.scalars, ys = y.scalars, gs = g.scalars, rs = r.scalars
            for i in stride(from: 0, to: count, by: 7) {
                #expect(ys[i] == (xs[i] > 0 ? xs[i] : xs[i] * 0.1))
                #expect(abs(gs[i] - (xs[i] > 0 ? rs[i] : rs[i] * 0.1)) <= 1e-6 * abs(rs[i]))
            }
            // Second order through the large kernel: d/dr of the slope-scaled r is the slope.
            let h = gradient(at: r) { r in (gradient(at: x) { ($0.leakyReLU(negativeSlope: 0.1) * r).sum() } * x).sum() }
            let hs = h.scalars
            for i in stride(from: 0, to: count, by: 11) {
                #expect(abs(hs[i] - (xs[i] > 0 ? xs[i] : xs[i] * 0.1)) <= 1e-6 * (1 + abs(xs[i])))
            }
        }
    }
}
