import Testing

@testable import Tensors

/// Creation, broadcasting edge cases, seeded randomness.
@Suite struct TensorBasicsTests {
    @Test func broadcastingEdgeCases() {
        let column = Tensor([1, 2, 3], shape: [3, 1])
        let row = Tensor([10, 20], shape: [1, 2])
        #expect((column + row).shape == [3, 2])
        #expect((column + row).scalars == [11, 21, 12, 22, 13, 23])
        let scalar = Tensor(2)
        #expect((scalar * column).scalars == [2, 4, 6] && (scalar * column).shape == [3, 1])
        #expect((Tensor([1, 2], shape: [2]) + Tensor.zeros([4, 3, 2])).shape == [4, 3, 2])
        let empty = Tensor.zeros([0, 3]) + Tensor([1, 2, 3], shape: [3])
        #expect(empty.shape == [0, 3] && empty.scalarCount == 0)
        #expect((scalar + scalar).shape == [] && (scalar + scalar).scalar == 4)
        // Gradients flow back through broadcasting to each operand's own shape.
        let (gc, gr) = gradient(at: column, row) { ($0 * $1).sum() }
        #expect(gc.shape == [3, 1] && gc.scalars == [30, 30, 30])
        #expect(gr.shape == [1, 2] && gr.scalars == [6, 6])
        let gs = gradient(at: scalar) { ($0 * Tensor.ones([2, 3])).sum() }
        #expect(gs.shape == [] && gs.scalar == 6)
    }

    @Test func reductionsAndShapes() {
        let x = Tensor((0..<24).map(Float.init), shape: [2, 3, 4])
        #expect(x.sum(squeezingAxes: [1]).scalars == [12, 15, 18, 21, 48, 51, 54, 57])
        #expect(x.sum(alongAxes: [-1]).shape == [2, 3, 1])
        #expect(x.max(squeezingAxes: [0, 2]).scalars == [15, 19, 23])
        #expect(x.permuted([2, 0, 1]).shape == [4, 2, 3] && x.permuted([2, 0, 1]).scalars[1] == 4)
        #expect(x.sliced(alongAxis: 2, range: 1..<3).scalars.prefix(4) == [1, 2, 5, 6])
        #expect(x.gathering(atIndices: [1, 1], alongAxis: 0).scalars.prefix(2) == [12, 13])
        #expect(concatenate([x, x], alongAxis: 1).shape == [2, 6, 4])
        #expect(Tensor([1, 2, 3, 4], shape: [1, 1, 2, 2]).averagePooled(kernel: 2).scalar == 2.5)
        #expect(
            matmul(Tensor([1, 2, 3, 4], shape: [2, 2]), Tensor([5, 6, 7, 8], shape: [2, 2])).scalars == [
                19, 22, 43, 50,
            ])
    }

    @Test func sameSeedSameNumbers() {
        var a = SeededGenerator(seed: 42)
        var b = SeededGenerator(seed: 42)
        var c = SeededGenerator(seed: 43)
        let x = Tensor(randomNormal: [1000], using: &a)
        let y = Tensor(randomNormal: [1000], using: &b)
        let z = Tensor(randomNormal: [1000], using: &c)
        #expect(x.scalars == y.scalars && x.scalars != z.scalars)
        let u = Tensor(randomUniform: [5], lower: -1, upper: 1, using: &a)
        let v = Tensor(randomUniform: [5], lower: -1, upper: 1, using: &b)
        #expect(u.scalars == v.scalars)
        // And the same computation on the same numbers gives the same result, bit for bit.
        let w = randomTensor([8, 3, 3, 3], seed: 1)
        let input = randomTensor([4, 3, 9, 9], seed: 2)
        let g1 = gradient(at: input) { conv2d($0, w, padding: 1).leakyReLU().logSumExp(squeezingAxes: [1]).sum() }
        let g2 = gradient(at: input) { conv2d($0, w, padding: 1).leakyReLU().logSumExp(squeezingAxes: [1]).sum() }
        #expect(g1.scalars == g2.scalars)
    }

    @Test func randomDrawsHaveTheirMoments() {
        var rng = SeededGenerator(seed: 7)
        let n = Tensor(randomNormal: [100_000], mean: 1, standardDeviation: 2, using: &rng).scalars.map(Double.init)
        let mean = n.reduce(0, +) / Double(n.count)
        let variance = n.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(n.count)
        #expect(abs(mean - 1) < 0.03 && abs(variance - 4) < 0.08)
        let u = Tensor(randomUniform: [100_000], lower: -1, upper: 1, using: &rng).scalars
        #expect(u.allSatisfy { $0 >= -1 && $0 < 1 })
        #expect(abs(u.map(Double.init).reduce(0, +) / 100_000) < 0.01)
    }

    @Test func inPlaceEditsDoNotLeakIntoCopies() {
        let a = Tensor([1, 2, 3], shape: [3])
        var b = a
        b.withUnsafeMutableBufferPointer { $0[0] = 9 }
        #expect(a.scalars == [1, 2, 3] && b.scalars == [9, 2, 3])
    }
}
