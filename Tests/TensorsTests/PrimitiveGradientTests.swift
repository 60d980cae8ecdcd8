import Testing

@testable import Tensors

/// First- and second-order finite-difference checks of every primitive.
@Suite struct PrimitiveGradientTests {
    let check = GradientCheck()

    @Test func arithmeticWithBroadcasting() {
        let a = randomTensor([3, 4], seed: 1)
        let b = randomTensor([4], seed: 2)
        let c = randomTensor([2, 1, 3], seed: 3)
        let d = randomTensor([4, 1], seed: 4)
        check.check("add", [a, b]) { $0[0] + $0[1] }
        check.check("subtract", [c, d]) { $0[0] - $0[1] }
        check.check("multiply", [a, b]) { $0[0] * $0[1] }
        check.check("multiply broadcast both", [c, d]) { $0[0] * $0[1] }
        check.check("divide", [a, positiveTensor([3, 1], seed: 5)]) { $0[0] / $0[1] }
        check.check("negate", [a]) { -$0[0] }
        check.check("scale and shift", [a]) { $0[0] * 3 + 1 }
    }

    @Test func unary() {
        let x = randomTensor([2, 5], seed: 11)
        check.check("exp", [x]) { $0[0].exp() }
        check.check("log", [positiveTensor([2, 5], seed: 12)]) { $0[0].log() }
        check.check("sqrt", [positiveTensor([2, 5], seed: 13)]) { $0[0].sqrt() }
        check.check("tanh", [x]) { $0[0].tanh() }
        check.check("abs", [randomTensor([2, 5], seed: 14, awayFromZero: 0.1)]) { $0[0].abs() * $0[0] }
    }

    @Test func selectionAndLeakyReLU() {
        let a = randomTensor([3, 4], seed: 21)
        let b = randomTensor([3, 4], seed: 22)
        check.check("maximum", [a, b]) { maximum($0[0], $0[1]) }
        check.check("minimum", [a, b]) { minimum($0[0], $0[1]) }
        let mask = Tensor([1, 0, 1, 0], shape: [4])
        check.check("select", [a, b]) { select(mask, $0[0] * $0[1], $0[1]) }
        let x = randomTensor([3, 4], seed: 23, awayFromZero: 0.1)
        let w = randomTensor([4], seed: 24, awayFromZero: 0.2)
        check.check("leakyReLU", [x, w]) { ($0[0] * $0[1]).leakyReLU(negativeSlope: 0.2) }
        check.check("relu", [x]) { $0[0].relu() * $0[0] }
    }

    @Test func reductions() {
        let x = randomTensor([2, 3, 4], seed: 31)
        check.check("sum along", [x]) { $0[0].sum(alongAxes: [1]) }
        check.check("sum squeezing", [x]) { $0[0].sum(squeezingAxes: [0, 2]) }
        check.check("sum all", [x]) { $0[0].sum() }
        check.check("mean", [x]) { $0[0].mean(squeezingAxes: [2]) }
        // Well-separated values, so the finite differences never cross a change of maximum.
        var rng = SeededGenerator(seed: 32)
        let spread = Tensor((0..<24).map { Float($0) * 0.25 - 3 }.shuffled(using: &rng), shape: [2, 3, 4])
        check.check("max", [spread]) { $0[0].max(alongAxes: [2]) }
        check.check("max squeezing two axes", [spread]) { $0[0].max(squeezingAxes: [0, 1]) }
    }

    @Test func shapes() {
        let x = randomTensor([2, 3, 4], seed: 41)
        check.check("reshape", [x]) { $0[0].reshaped(to: [6, -1]) }
        check.check("permute", [x]) { $0[0].permuted([2, 0, 1]) }
        check.check("transpose", [randomTensor([3, 5], seed: 42)]) { $0[0].transposed() }
        check.check("broadcast", [randomTensor([3, 1], seed: 43)]) { $0[0].broadcast(to: [2, 3, 4]) }
        check.check("sum to shape", [x]) { $0[0].sum(toShape: [3, 1]) }
        check.check("slice", [x]) { $0[0].sliced(lowerBounds: [0, 1, 1], upperBounds: [2, 3, 3]) }
        check.check("pad", [x]) { $0[0].padded(with: [(0, 1), (2, 0), (1, 1)]) }
        check.check("concatenate", [x, randomTensor([2, 2, 4], seed: 44)]) { concatenate($0, alongAxis: 1) }
        check.check("gather", [x]) { $0[0].gathering(atIndices: [2, 0, 2, 1], alongAxis: 1) }
        check.check("scatter-add", [randomTensor([2, 4, 4], seed: 45)]) {
            $0[0].scatteringAdd(atIndices: [2, 0, 2, 1], alongAxis: 1, into: [2, 3, 4])
        }
    }

    @Test func matrixProducts() {
        let a = randomTensor([3, 4], seed: 51)
        let b = randomTensor([4, 5], seed: 52)
        check.check("matmul", [a, b]) { matmul($0[0], $0[1]) }
        check.check("matmul Aᵀ", [a.transposed(), b]) { matmul($0[0], $0[1], transposeA: true) }
        check.check("matmul Bᵀ", [a, b.transposed()]) { matmul($0[0], $0[1], transposeB: true) }
        check.check("matmul AᵀBᵀ", [a.transposed(), b.transposed()]) {
            matmul($0[0], $0[1], transposeA: true, transposeB: true)
        }
    }

    @Test(arguments: [(1, 0), (1, 1), (2, 0), (2, 1)])
    func convolution(stride: Int, padding: Int) {
        let x = randomTensor([2, 3, 6, 5], seed: 61)
        let w = randomTensor([4, 3, 3, 3], seed: 62, scale: 0.3)
        let b = randomTensor([4], seed: 63)
        // H·v here differences Float gradients that each sum 27–108 products of size ~10:
        // their rounding alone reaches ~2e-3 after dividing by 2h, hence the wider margin.
        let convolutionCheck = GradientCheck(absoluteTolerance: 5e-3)
        convolutionCheck.check("conv2d s\(stride) p\(padding)", [x, w, b]) {
            conv2d($0[0], $0[1], bias: $0[2], stride: stride, padding: padding)
        }
    }

    @Test func pooling() {
        let x = randomTensor([2, 3, 4, 6], seed: 71)
        check.check("average pool 2", [x]) { $0[0].averagePooled(kernel: 2) }
        check.check("average pool overlapping", [x]) { $0[0].averagePooled(kernel: 3, stride: 1) }
        check.check("global average pool", [x]) { $0[0].globalAveragePooled() }
    }
}

/// The fused convolution + LeakyReLU equals the two operations in sequence, to any order.
@Suite struct FusedConvolutionTests {
    @Test func fusedEqualsSequential() {
        let x = randomTensor([2, 3, 6, 6], seed: 1)
        let w = randomTensor([5, 3, 3, 3], seed: 2, scale: 0.3)
        let b = randomTensor([5], seed: 3)
        let fused = conv2d(x, w, bias: b, stride: 2, padding: 1, activation: .leakyReLU(negativeSlope: 0.2))
        let sequential = conv2d(x, w, bias: b, stride: 2, padding: 1).leakyReLU(negativeSlope: 0.2)
        let worst = zip(fused.scalars, sequential.scalars).map { abs($0 - $1) }.max()!
        #expect(worst < 1e-5)
    }

    @Test func fusedDerivativesMatchSequential() {
        // Finite differences along a whole direction cross LeakyReLU's kinks somewhere in a
        // convolution's output, so the fused op's first and second derivatives are compared
        // with the sequential pair's (whose primitives are checked kink-free elsewhere).
        let x = randomTensor([2, 3, 5, 5], seed: 4)
        let w = randomTensor([4, 3, 3, 3], seed: 5, scale: 0.3)
        let b = randomTensor([4], seed: 6, scale: 0.1)
        let v = randomTensor([4, 3, 3, 3], seed: 7)
        let r = randomTensor([2, 4, 5, 5], seed: 8)
        func loss(_ fused: Bool) -> (Tensor, Tensor, Tensor) -> Tensor {
            { x, w, b in
                let y =
                    fused
                    ? conv2d(x, w, bias: b, padding: 1, activation: .leakyReLU(negativeSlope: 0.2))
                    : conv2d(x, w, bias: b, padding: 1).leakyReLU(negativeSlope: 0.2)
                return (y.silu() * r).sum()
            }
        }
        func derivatives(_ fused: Bool) -> [Float] {
            let f = loss(fused)
            let (gx, gw) = gradient(at: x, w) { f($0, $1, b) }
            let hv = gradient(at: [x, w, b]) { p in
                (gradient(at: p[1]) { f(p[0], $0, p[2]) } * v).sum()
            }
            return gx.scalars + gw.scalars + hv.flatMap(\.scalars)
        }
        let a = derivatives(true)
        let s = derivatives(false)
        let worst = zip(a, s).map { abs($0 - $1) / (1 + abs($1)) }.max()!
        #expect(worst < 1e-4, "fused vs sequential derivatives: worst relative difference \(worst)")
        #expect(s.contains { abs($0) > 0.1 })
    }
}
