import Tensors
import Testing

@testable import Sampling

/// JEM++'s proximal SGLD: no step leaves the radius it is given.
@Suite struct ProximalStepTests {
    @Test func linfClipsEachValue() {
        let change = Tensor([0.5, -0.02, -0.3, 0.01], shape: [2, 2])
        #expect(ProximalStep(radius: 0.03).clipped(change).scalars == [0.03, -0.02, -0.03, 0.01])
    }

    /// Sample 0's step (3, 4) has length 5: scaled to 0.5 · (0.6, 0.8); sample 1's (0.1, 0) stays.
    @Test func l2ScalesEachSampleToTheRadius() {
        let change = Tensor([3, 4, 0.1, 0], shape: [2, 2])
        let clipped = ProximalStep(radius: 0.5, norm: .l2).clipped(change).scalars
        #expect(zip(clipped, [0.3, 0.4, 0.1, 0] as [Float]).allSatisfy { abs($0 - $1) < 1e-6 })
    }

    /// On E(x) = ½‖x‖²·100 from x = 1, SGLD at η = 1 would jump by −100 per value; the proximal
    /// chain moves by exactly δ per step (the noise cannot push it past either), and stays in
    /// −1…1 when clamped.
    @Test func aProximalChainMovesAtMostTheRadiusPerStep() {
        let energy: EnergyFunction = { x in 50 * (x * x).sum(alongAxes: [1]) }
        var generator = SeededGenerator(seed: 4)
        let start = Tensor(repeating: 1, shape: [3, 5])
        for (norm, steps) in [(ProximalStep.Norm.linf, 3), (.l2, 3)] {
            let sgld = SGLD(steps: 1, stepSize: 1, noise: 0.01, proximal: ProximalStep(radius: 0.05, norm: norm))
            var x = start
            for _ in 0..<steps {
                let next = sgld.run(from: x, energy: energy, using: &generator).samples
                let change = (next - x).scalars
                if norm == .linf {
                    #expect(change.allSatisfy { abs($0) <= 0.05 + 1e-6 })
                } else {
                    for row in 0..<3 {
                        let length = change[(row * 5)..<(row * 5 + 5)].map { $0 * $0 }.reduce(0, +).squareRoot()
                        #expect(abs(length - 0.05) < 1e-5)
                    }
                }
                x = next
            }
        }
        let clamped = SGLD(steps: 4, stepSize: 1, noise: 0, proximal: ProximalStep(radius: 1), clampRange: -1...1)
        let y = clamped.run(from: start, energy: energy, using: &generator).samples
        #expect(y.scalars.allSatisfy { (-1...1).contains($0) })
        // Without the clip, one step overshoots to about −99.
        let plain = SGLD(steps: 1, stepSize: 1, noise: 0).run(from: start, energy: energy, using: &generator).samples
        #expect(plain.scalars.allSatisfy { abs($0 + 99) < 1e-3 })
    }
}
