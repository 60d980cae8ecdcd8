import Tensors
import Testing

@testable import Optimizers

/// SAM's and ASAM's ascent on a quadratic, computed by hand.
@Suite struct SharpnessAwareAscentTests {
    func close(_ a: [Float], _ b: [Double], _ tolerance: Double = 1e-6) -> Bool {
        a.count == b.count && zip(a, b).allSatisfy { abs(Double($0) - $1) <= tolerance * max(1, abs($1)) }
    }

    /// L(w) = ½(3w₁² + w₂²) + 2w₃² at w = (1, 2 | 0.5): g = (3, 2 | 2), ‖g‖ = √17.
    /// SAM: ε̂ = 0.1·g/√17; the gradient at w + ε̂ is (3(1 + 0.3/√17), 2 + 0.2/√17 | 4(0.5 + 0.2/√17)).
    @Test func samAscendsAlongTheGradientToRadiusRho() {
        let w = [Tensor([1, 2], shape: [2]), Tensor([0.5], shape: [1])]
        let g = [Tensor([3, 2], shape: [2]), Tensor([2], shape: [1])]
        let sam = SharpnessAwareAscent(radius: 0.1, adaptive: false)
        let moved = sam.perturbed(w, gradients: g)
        let r = 17.0.squareRoot()
        #expect(close(moved[0].scalars, [1 + 0.3 / r, 2 + 0.2 / r]))
        #expect(close(moved[1].scalars, [0.5 + 0.2 / r]))
        // ‖ε̂‖ = ρ exactly.
        let step = zip(moved, w).map { ($0 - $1).scalars }.flatMap { $0 }
        #expect(abs(step.map { Double($0 * $0) }.reduce(0, +).squareRoot() - 0.1) < 1e-6)
        // The gradient SAM hands on, by the quadratic's formula at w + ε̂.
        let ascended = moved[0].scalars.map(Double.init) + moved[1].scalars.map(Double.init)
        #expect(abs(3 * ascended[0] - 3 * (1 + 0.3 / r)) < 1e-6 && abs(4 * ascended[2] - 4 * (0.5 + 0.2 / r)) < 1e-6)
    }

    /// ASAM: T = |w| + 0.01 = (1.01, 2.01 | 0.51); T g = (3.03, 4.02 | 1.02);
    /// ε̂ = ρ T² g / ‖T g‖ = ρ (3.0603, 8.0802 | 0.5202) / √(3.03² + 4.02² + 1.02²).
    @Test func asamScalesTheBallByEachWeight() {
        let w = [Tensor([1, -2], shape: [2]), Tensor([0.5], shape: [1])]
        let g = [Tensor([3, 2], shape: [2]), Tensor([2], shape: [1])]
        let moved = SharpnessAwareAscent(radius: 0.5, adaptive: true).perturbed(w, gradients: g)
        let norm = (3.03 * 3.03 + 4.02 * 4.02 + 1.02 * 1.02).squareRoot()
        #expect(close(moved[0].scalars, [1 + 0.5 * 3.0603 / norm, -2 + 0.5 * 8.0802 / norm], 1e-5))
        #expect(close(moved[1].scalars, [0.5 + 0.5 * 0.5202 / norm], 1e-5))
        // In ASAM's own norm ‖T⁻¹ε̂‖ the step is ρ.
        let t: [Double] = [1.01, 2.01, 0.51]
        let e = zip(moved.flatMap(\.scalars), w.flatMap(\.scalars)).map { Double($0 - $1) }
        #expect(abs(zip(e, t).map { ($0 / $1) * ($0 / $1) }.reduce(0, +).squareRoot() - 0.5) < 1e-5)
    }

    @Test func aZeroGradientLeavesTheWeights() {
        let w = [Tensor([1, 2], shape: [2])]
        #expect(
            SharpnessAwareAscent(radius: 0.1, adaptive: false).perturbed(w, gradients: [Tensor([0, 0], shape: [2])])[0]
                .scalars == [1, 2])
    }
}
