import Tensors
import Testing

@testable import Sampling

@Suite struct ReplayBufferTests {
    @Test func drawsRestartsAndStoresChains() {
        var generator = SeededGenerator(seed: 1)
        var buffer = ReplayBuffer(size: 100, sampleShape: [1, 2, 2], reinitializationRate: 0, using: &generator)
        #expect(buffer.samples.scalars.allSatisfy { (-1...1).contains($0) })
        let (starts, indices) = buffer.draw(count: 10, using: &generator)
        #expect(starts.shape == [10, 1, 2, 2])
        #expect(starts.scalars == buffer.samples.gathering(atIndices: indices, alongAxis: 0).scalars)
        buffer.store(Tensor(repeating: 5, shape: [10, 1, 2, 2]), at: indices)
        for i in indices { #expect(buffer.samples.sliced(alongAxis: 0, range: i..<(i + 1)).scalars == [5, 5, 5, 5]) }

        // With rate 1 every chain restarts from the start distribution (never the stored 5s).
        buffer.reinitializationRate = 1
        let (fresh, _) = buffer.draw(count: 50, using: &generator)
        #expect(fresh.scalars.allSatisfy { (-1...1).contains($0) })
    }

    @Test func theRestartShareIsTheRate() {
        var generator = SeededGenerator(seed: 2)
        var buffer = ReplayBuffer(size: 1000, sampleShape: [1], reinitializationRate: 0.05, using: &generator)
        buffer.store(Tensor(repeating: 7, shape: [1000, 1]), at: Array(0..<1000))
        var restarted = 0
        for _ in 0..<40 {
            restarted += buffer.draw(count: 100, using: &generator).starts.scalars.filter { $0 != 7 }.count
        }
        // 4,000 draws at 5%: 200 expected, standard deviation about 14.
        #expect(abs(restarted - 200) < 45, "\(restarted) restarts")
    }

    @Test func classConditionalDrawsStayInTheirSegment() {
        var generator = SeededGenerator(seed: 3)
        var buffer = ReplayBuffer(size: 30, sampleShape: [1], classes: 3, reinitializationRate: 0, using: &generator)
        buffer.store(Tensor((0..<30).map { Float($0 / 10) }, shape: [30, 1]), at: Array(0..<30))
        let labels = [2, 0, 1, 2, 2, 0]
        let (starts, indices) = buffer.draw(count: labels.count, labels: labels, using: &generator)
        #expect(starts.scalars == labels.map(Float.init))
        #expect(zip(indices, labels).allSatisfy { $0 / 10 == $1 })
    }

    @Test func classGaussiansReproduceEachClassAndItsCorrelation() {
        var generator = SeededGenerator(seed: 4)
        // Class 0 around (−0.5, −0.5) with correlated coordinates, class 1 around (0.5, 0.2).
        var rows: [Float] = []
        var labels: [Int] = []
        for i in 0..<4000 {
            let z1 = Float.random(in: -1...1, using: &generator)
            let z2 = Float.random(in: -1...1, using: &generator)
            if i % 2 == 0 {
                rows += [-0.5 + 0.2 * z1, -0.5 + 0.2 * z1 + 0.05 * z2]
                labels.append(0)
            } else {
                rows += [0.5 + 0.1 * z1, 0.2 + 0.1 * z2]
                labels.append(1)
            }
        }
        let gaussians = ClassGaussians(fitting: Tensor(rows, shape: [4000, 2]), labels: labels, classes: 2, ridge: 0)
        let samples = gaussians.sample(labels: [Int](repeating: 0, count: 4000), shape: [2], using: &generator)
        let (m, c) = SamplerStatisticsTests.moments(samples)
        #expect(abs(m[0] + 0.5) < 0.01 && abs(m[1] + 0.5) < 0.01, "\(m)")
        // Var z1 = 1/3: Var x = 0.04/3; Cov = 0.04/3; Var y = 0.04/3 + 0.0025/3.
        #expect(abs(c[0] - 0.04 / 3) < 0.001 && abs(c[1] - 0.04 / 3) < 0.001 && abs(c[3] - 0.0425 / 3) < 0.001, "\(c)")
        let ones = gaussians.sample(labels: [1, 1], shape: [2], using: &generator)
        #expect(ones.scalars[0] > 0.2 && ones.scalars[2] > 0.2)
        var buffer = ReplayBuffer(
            size: 4, sampleShape: [2], classes: 2, reinitializationRate: 1, start: .classGaussians(gaussians),
            using: &generator)
        let (starts, _) = buffer.draw(count: 2, labels: [0, 1], using: &generator)
        #expect(starts.scalars[0] < 0 && starts.scalars[2] > 0)
    }

    @Test func anUnconditionalBufferStartsFromEveryClassGaussian() {
        var generator = SeededGenerator(seed: 5)
        var rows: [Float] = []
        var labels: [Int] = []
        for i in 0..<300 {
            rows += [Float(i % 3) - 1 + Float.random(in: -0.01...0.01, using: &generator)]
            labels.append(i % 3)
        }
        let gaussians = ClassGaussians(fitting: Tensor(rows, shape: [300, 1]), labels: labels, classes: 3)
        let buffer = ReplayBuffer(size: 300, sampleShape: [1], start: .classGaussians(gaussians), using: &generator)
        let values = buffer.samples.scalars
        // Class means −1, 0 and 1: each appears among the fresh chains, in about a third of them.
        for mean in [-1, 0, 1] as [Float] {
            let share = Double(values.filter { abs($0 - mean) < 0.2 }.count) / 300
            #expect(share > 0.2 && share < 0.47, "class mean \(mean): \(share)")
        }
    }
}
