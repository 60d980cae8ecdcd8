import Testing
@testable import Tensors

/// First- and second-order finite-difference checks of every primitive.
@Suite struct PrimitiveGradientTests {
    let check = GradientCheck()

    @Test func arithmeticWithBroadcasting() {
        let a = randomTensor([3, 4], seed: 1), b = randomTensor([4], seed: 2)
        let c = randomTensor([2, 1, 3], seed: 3), d = randomTensor([4, 1], seed: 4)
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
        let a = randomTensor([3, 4], seed: 21), b = randomTensor([3, 4], seed: 22)
        check.check("maximum", [a, b]) { maximum($0[0], $0[1]) }
        check.check("minimum", [a, b]) { minimum($0[0], $0[1]) }
        let mask = Tensor([1, 0, 1, 0], shape: [4])
        check.check("select", [a, b]) { select(mask, $0[0] * $0[1], $0[1]) }
        let x = randomTensor([3, 4], seed: 23, awayFromZero: 0.1), w = randomTensor([4], seed: 24, awayFromZero: 0.2)
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
        let a = randomTensor([3, 4], seed: 51), b = randomTensor([4, 5], seed: 52)
        check.check("matmul", [a, b]) { matmul($0[0], $0[1]) }
        check.check("matmul Aᵀ", [a.transposed(), b]) { matmul($0[0], $0[1], transposeA: true) }
        check.check("matmul Bᵀ", [a, b.transposed()]) { matmul($0[0], $0[1], transposeB: true) }
        check.check("matmul AᵀBᵀ", [a.transposed(), b.transposed()]) {
            matmul($0[0], $0[1], transposeA: true, transposeB: true)
        }
    }

    @Test(arguments: [(1, 0), (1, 1), (2, 0), (2, 1)])
    func convolution(stride: Int, padding: Int) {
        let x = randomTensor([2, 3, 6, 5], seed: 61), w = randomTensor([4, 3, 3, 3], seed: 62, scale: 0.3)
        let b = randomTensor([4], seed: 63)
        check.check("conv2d s\(stride) p\(padding)", [x, w, b]) { conv2d($0[0], $0[1], bias: $0[2], stride: stride, padding: padding) }
    }

    @Test func pooling() {
        let x = randomTensor([2, 3, 4, 6], seed: 71)
        check.check("average pool 2", [x]) { $0[0].averagePooled(kernel: 2) }
        check.check("average pool overlapping", [x]) { $0[0].averagePooled(kernel: 3, stride: 1) }
        check.check("global average pool", [x]) { $0[0].globalAveragePooled() }
    }
}
