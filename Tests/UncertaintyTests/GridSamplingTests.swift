import Foundation
import Tensors
import Testing

@testable import Evaluation

@Suite struct GridSamplingTests {
    @Test func gridSamplesFollowTheEnergysDensity() {
        // E(x) = ½‖x − m‖²/s² with m = (1, −0.5), s = 0.6: exp(−E) is N(m, s²I), well inside
        // [−4.5, 4.5]². 4,000 draws: the mean's standard error is 0.0095 per coordinate.
        let m: [Float] = [1, -0.5]
        let s: Float = 0.6
        let mean = Tensor(m, shape: [1, 2])
        let energy: (Tensor) -> Tensor = { x in ((x - mean) * (x - mean)).sum(squeezingAxes: [1]) * (0.5 / (s * s)) }
        var generator = SeededGenerator(seed: 12)
        let points = ToyEvaluation.gridSamples(energy, scale: 1, grid: 300, count: 4_000, using: &generator)
        for k in 0..<2 {
            let values = points.map { $0[k] }
            let mu = values.reduce(0, +) / Double(values.count)
            let sd = (values.map { ($0 - mu) * ($0 - mu) }.reduce(0, +) / Double(values.count)).squareRoot()
            #expect(abs(mu - Double(m[k])) < 0.04, "mean \(mu)")
            #expect(abs(sd - Double(s)) < 0.03, "std \(sd)")
        }
        // A scale of 4 is the density at a quarter of the variance: std s/2.
        let sharper = ToyEvaluation.gridSamples(energy, scale: 4, grid: 300, count: 4_000, using: &generator).map {
            $0[0]
        }
        let mu = sharper.reduce(0, +) / Double(sharper.count)
        let sd = (sharper.map { ($0 - mu) * ($0 - mu) }.reduce(0, +) / Double(sharper.count)).squareRoot()
        #expect(abs(sd - Double(s) / 2) < 0.02, "std \(sd)")
    }
}
