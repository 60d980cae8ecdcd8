import Testing

@testable import Tensors

/// Matrix products through the engine (oneDNN) against a Double reference, for the shapes
/// the models use, odd sizes and every transpose combination.
@Suite struct MatmulReferenceTests {
    static let shapes: [(Int, Int, Int)] = [
        (64, 512, 784), (64, 10, 512), (512, 784, 64), (17, 33, 65), (1, 1, 1), (3, 5, 7),
    ]

    @Test(arguments: shapes)
    func matchesReference(m: Int, n: Int, k: Int) {
        for (ta, tb) in [(false, false), (true, false), (false, true), (true, true)] {
            let a = randomTensor(ta ? [k, m] : [m, k], seed: UInt64(m + k))
            let b = randomTensor(tb ? [n, k] : [k, n], seed: UInt64(n))
            let c = matmul(a, b, transposeA: ta, transposeB: tb).scalars
            let av = a.scalars
            let bv = b.scalars
            var worst = 0.0
            for i in stride(from: 0, to: m, by: max(1, m / 7)) {
                for j in stride(from: 0, to: n, by: max(1, n / 7)) {
                    var r = 0.0
                    for q in 0..<k {
                        r += Double(ta ? av[q * m + i] : av[i * k + q]) * Double(tb ? bv[j * k + q] : bv[q * n + j])
                    }
                    worst = max(worst, abs(r - Double(c[i * n + j])) / (1 + abs(r)))
                }
            }
            #expect(worst < 1e-4, "matmul \(m)×\(k)·\(k)×\(n) transposes \(ta),\(tb): error \(worst)")
        }
    }
}
