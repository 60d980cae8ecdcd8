import Foundation
import Layers
import Optimizers
import Tensors
import Testing

@testable import Objectives

/// VERA's estimator on a linear-Gaussian generator x = W h + b + σε, whose entropy,
/// score and posterior are known in closed form (docs/research/learned-samplers.md §4):
/// Σ = WWᵀ + σ²I, ∇ₓ log q(x) = −Σ⁻¹(x − b), ∇_W H = Σ⁻¹W, ∂H/∂log σ = σ² tr Σ⁻¹, and the
/// posterior precision is I + WᵀW/σ².
@Suite struct VariationalEntropyTests {
    static let w: [Float] = [1.0, 0.5, -0.3, 0.8]  // [d = 2, k = 2], row-major
    static let b: [Float] = [0.2, -0.4]
    static let sigma: Float = 0.5

    static func generator() -> Linear { Linear(weight: Tensor(w, shape: [2, 2]), bias: Tensor(b)) }

    /// Σ⁻¹ for the 2×2 case, in Double.
    static func sigmaInverse() -> [[Double]] {
        let (a, bb, c, d) = (Double(w[0]), Double(w[1]), Double(w[2]), Double(w[3]))
        let s2 = Double(sigma * sigma)
        let m = [[a * a + bb * bb + s2, a * c + bb * d], [a * c + bb * d, c * c + d * d + s2]]
        let det = m[0][0] * m[1][1] - m[0][1] * m[1][0]
        return [[m[1][1] / det, -m[0][1] / det], [-m[1][0] / det, m[0][0] / det]]
    }

    /// The posterior's standard deviations, √diag (I + WᵀW/σ²)⁻¹: a good importance proposal.
    static func posteriorScale() -> Tensor {
        let w = Self.w.map(Double.init)
        let s2 = Double(sigma * sigma)
        let p = [
            [1 + (w[0] * w[0] + w[2] * w[2]) / s2, (w[0] * w[1] + w[2] * w[3]) / s2],
            [(w[0] * w[1] + w[2] * w[3]) / s2, 1 + (w[1] * w[1] + w[3] * w[3]) / s2],
        ]
        let det = p[0][0] * p[1][1] - p[0][1] * p[1][0]
        return Tensor([Float((p[1][1] / det).squareRoot()), Float((p[0][0] / det).squareRoot())]).log()
    }

    /// An estimator at this generator's σ whose proposal has the posterior's scale.
    static func estimator(importanceSamples: Int) -> VariationalEntropy {
        var estimator = VariationalEntropy(
            latentSize: 2, sigma: sigma, importanceSamples: importanceSamples, sigmaRange: 0.01...1)
        estimator.posteriorLogSigma = posteriorScale()
        return estimator
    }

    /// With many importance samples, c matches the exact score −∇ₓ log q(x) = Σ⁻¹(x − b).
    /// The proposal N(h₀, s²) is centred on the latent that made x, not on the posterior's
    /// mean, so a point that the output noise carried far from g(h₀) needs far more samples
    /// (measured: median error 12% at 2,000 samples over typical points, 90th percentile
    /// 60%); the points here sit at g(h₀) + 0.3σε, where 20,000 samples settle it.
    @Test func importanceSampledScoreMatchesTheExactScore() {
        var rng = SeededGenerator(seed: 11)
        let estimator = Self.estimator(importanceSamples: 20_000)
        let g = Self.generator()
        let h = Tensor(randomNormal: [6, 2], using: &rng)
        let x = g(h, context: .inference()) + Tensor(randomNormal: [6, 2], using: &rng) * (0.3 * Self.sigma)
        // The surrogate's gradient in x is c itself (over the batch's mean): read c off it.
        let c =
            gradient(at: x) { x in estimator.entropySurrogate(g, x: x, h: h, isTraining: false, using: &rng).surrogate }
            * 6
        let inverse = Self.sigmaInverse()
        let xs = x.scalars
        let cs = c.scalars
        for i in 0..<6 {
            let r = [Double(xs[2 * i] - Self.b[0]), Double(xs[2 * i + 1] - Self.b[1])]
            let exact = [inverse[0][0] * r[0] + inverse[0][1] * r[1], inverse[1][0] * r[0] + inverse[1][1] * r[1]]
            let error = hypot(Double(cs[2 * i]) - exact[0], Double(cs[2 * i + 1]) - exact[1])
            let size = hypot(exact[0], exact[1])
            #expect(error <= 0.05 * size + 0.03, "point \(i): c \(cs[2 * i]), \(cs[2 * i + 1]) vs exact \(exact)")
        }
    }

    /// Averaged over a batch, the surrogate's gradient tracks ∇_W H = Σ⁻¹W and
    /// ∂H/∂log σ = σ² tr Σ⁻¹. The self-normalised estimate is biased at finite sample counts
    /// (a NumPy mirror at 2,000 samples over 1,500 points: ∂/∂log σ within 2–10%, ∇_W at
    /// cosine > 0.99), hence the stated margins.
    @Test func surrogateGradientTracksTheEntropyGradient() {
        var rng = SeededGenerator(seed: 12)
        let estimator = Self.estimator(importanceSamples: 2_000)
        let g = Self.generator()
        struct Parameters: TensorTree {
            var g: Linear
            var logSigma: Tensor
            func mapTensors(_ transform: (Tensor) throws -> Tensor) rethrows -> Parameters {
                Parameters(g: try g.mapTensors(transform), logSigma: try transform(logSigma))
            }
        }
        let grads = gradient(at: Parameters(g: g, logSigma: estimator.logSigma)) { p in
            let (x, h) = VariationalEntropy.sample(
                p.g, logSigma: p.logSigma, count: 1_500, latentSize: 2, context: .inference(),
                using: &rng)
            return estimator.entropySurrogate(p.g, x: x, h: h, isTraining: false, using: &rng).surrogate
        }
        let inverse = Self.sigmaInverse()
        let w = Self.w.map(Double.init)
        let exactW = [
            inverse[0][0] * w[0] + inverse[0][1] * w[2], inverse[0][0] * w[1] + inverse[0][1] * w[3],
            inverse[1][0] * w[0] + inverse[1][1] * w[2], inverse[1][0] * w[1] + inverse[1][1] * w[3],
        ]
        let gw = grads.g.weight.scalars.map(Double.init)
        let dot = zip(gw, exactW).map(*).reduce(0, +)
        let norms = (gw.map { $0 * $0 }.reduce(0, +).squareRoot(), exactW.map { $0 * $0 }.reduce(0, +).squareRoot())
        #expect(dot / (norms.0 * norms.1) > 0.98, "∇_W H \(gw) vs \(exactW)")
        #expect(abs(norms.0 - norms.1) <= 0.15 * norms.1, "|∇_W H| \(norms.0) vs \(norms.1)")
        #expect(grads.g.bias!.scalars.allSatisfy { abs($0) < 0.1 }, "∂H/∂b should vanish: \(grads.g.bias!.scalars)")
        let exactSigma = Double(Self.sigma * Self.sigma) * (inverse[0][0] + inverse[1][1])
        #expect(
            abs(Double(grads.logSigma.scalar) - exactSigma) <= 0.2 * exactSigma,
            "∂H/∂log σ \(grads.logSigma.scalar) vs \(exactSigma)")
    }

    /// Fitting the posterior scale by its ELBO reaches the optimum for a Gaussian centred on
    /// h₀: s_k = 1 / √(I + WᵀW/σ²)_kk.
    @Test func posteriorScaleReachesItsOptimum() {
        var rng = SeededGenerator(seed: 13)
        var estimator = VariationalEntropy(latentSize: 2, sigma: Self.sigma, posteriorSigma: 0.1, sigmaRange: 0.01...1)
        estimator.clampSigma()
        let g = Self.generator()
        var adam = Adam()
        for _ in 0..<600 {
            let (x, h) = VariationalEntropy.sample(
                g, logSigma: estimator.logSigma, count: 256, latentSize: 2, context: .inference(),
                using: &rng)
            estimator.fitPosterior(
                g, logSigma: estimator.logSigma, x: x, h: h, isTraining: false, optimizer: &adam,
                learningRate: 0.02, using: &rng)
        }
        let w = Self.w.map(Double.init)
        let s2 = Double(Self.sigma * Self.sigma)
        let precision = [1 + (w[0] * w[0] + w[2] * w[2]) / s2, 1 + (w[1] * w[1] + w[3] * w[3]) / s2]
        let fitted = estimator.posteriorLogSigma.exp().scalars
        for k in 0..<2 {
            let optimum = 1 / precision[k].squareRoot()
            #expect(abs(Double(fitted[k]) - optimum) <= 0.05 * optimum, "s[\(k)] \(fitted[k]) vs \(optimum)")
        }
    }

    @Test func sigmaIsClamped() {
        var estimator = VariationalEntropy(latentSize: 3)
        estimator.logSigma = Tensor(Foundation.log(Float(5)))
        estimator.clampSigma()
        #expect(abs(estimator.logSigma.exp().scalar - 0.3) < 1e-6)
        estimator.logSigma = Tensor(Foundation.log(Float(1e-4)))
        estimator.clampSigma()
        #expect(abs(estimator.logSigma.exp().scalar - 0.01) < 1e-7)
    }
}
