import Foundation
import Tensors
import Testing

@testable import Sampling

@Suite struct AnnealedLangevinTests {
    @Test func schedulesAreOrderedAndSpaced() {
        let g = NoiseSchedule.geometric(largest: 1, smallest: 0.01, levels: 3)
        #expect(g.sigmas.count == 3 && abs(g.sigmas[1] - 0.1) < 1e-6 && abs(g.smallest - 0.01) < 1e-8)
        #expect(NoiseSchedule.linear(largest: 1, smallest: 0.5, levels: 3).sigmas == [1, 0.75, 0.5])
        #expect(NoiseSchedule(sigmas: [0.1, 1, 0.5]).sigmas == [1, 0.5, 0.1])
        let sampler = AnnealedLangevin(schedule: g, stepSize: 2e-5)
        #expect(abs(sampler.stepSize(atLevel: 1) - 0.2) < 1e-6)
    }

    @Test func samplesAGaussianFromItsSmoothedScores() {
        // Data N(m, s²I), m = (2, −1), s = 0.5: the smoothed density N(m, (s² + σ²)I) has score
        // −(x − m)/(s² + σ²). Chains from Uniform(−3, 3) should end with mean m and std s.
        let m: [Float] = [2, -1]
        let s: Float = 0.5
        let mean = Tensor(m, shape: [1, 2])
        let score: NoiseConditionalScore = { x, sigma in -(x - mean) / (s * s + sigma * sigma) }
        let sampler = AnnealedLangevin(
            schedule: .geometric(largest: 2, smallest: 0.05, levels: 8), stepsPerLevel: 60, stepSize: 0.001)
        var generator = SeededGenerator(seed: 4)
        let start = Tensor(randomUniform: [4_000, 2], lower: -3, upper: 3, using: &generator)
        let samples = sampler.run(from: start, score: score, using: &generator).scalars
        for k in 0..<2 {
            let values = stride(from: k, to: samples.count, by: 2).map { Double(samples[$0]) }
            let mu = values.reduce(0, +) / Double(values.count)
            let sd = (values.map { ($0 - mu) * ($0 - mu) }.reduce(0, +) / Double(values.count)).squareRoot()
            // Tolerances: the mean's standard error is 0.008; the last levels' short chains and the
            // final denoising step (which shrinks the std by s²/(s² + σ_L²) ≈ 0.99) move the std a little.
            #expect(abs(mu - Double(m[k])) < 0.04, "mean \(mu)")
            #expect(abs(sd - Double(s)) < 0.05, "std \(sd)")
        }
    }
}
