import Foundation
import Tensors
import Testing

@testable import Datasets

/// Each toy density has the rough statistics of its definition.
@Suite struct ToyDensityTests {
    /// 20,000 points as (x, y) pairs.
    func points(_ density: ToyDensity, seed: UInt64 = 1) -> [(x: Double, y: Double)] {
        var g = SeededGenerator(seed: seed)
        let sample = density.sample(count: 20_000, using: &g)
        #expect(sample.shape == [20_000, 2])
        let s = sample.scalars
        return stride(from: 0, to: s.count, by: 2).map { (Double(s[$0]), Double(s[$0 + 1])) }
    }

    func mean(_ p: [(x: Double, y: Double)]) -> (Double, Double) {
        (p.map(\.x).reduce(0, +) / Double(p.count), p.map(\.y).reduce(0, +) / Double(p.count))
    }

    @Test func namesAndAliases() {
        #expect(
            ToyDensity(name: "8gaussians") == .eightGaussians && ToyDensity(name: "eight-gaussians") == .eightGaussians)
        #expect(ToyDensity(name: "moons") == .twoMoons && ToyDensity(name: "two-moons") == .twoMoons)
        #expect(ToyDensity(name: "swissroll") == .swissRoll && ToyDensity(name: "Swiss-Roll") == .swissRoll)
        #expect(ToyDensity(name: "rings") == .rings && ToyDensity(name: "checkerboard") == .checkerboard)
        #expect(ToyDensity(name: "pinwheel") == .pinwheel && ToyDensity(name: "spirals") == nil)
        #expect(ToyDensity.allCases.allSatisfy { ToyDensity(name: $0.name) == $0 })
    }

    @Test(arguments: ToyDensity.allCases)
    func seededAndWithinTheUsualBox(density: ToyDensity) {
        var g1 = SeededGenerator(seed: 8)
        var g2 = SeededGenerator(seed: 8)
        var g3 = SeededGenerator(seed: 9)
        let a = density.sample(count: 100, using: &g1).scalars
        #expect(a == density.sample(count: 100, using: &g2).scalars)
        #expect(a != density.sample(count: 100, using: &g3).scalars)
        let p = points(density)
        let outside = p.filter { abs($0.x) > 4.5 || abs($0.y) > 4.5 }.count
        #expect(outside < 20, "\(outside) of 20000 points outside [−4.5, 4.5]²")
    }

    @Test func eightGaussiansHaveEightEqualModes() {
        let p = points(.eightGaussians)
        let (mx, my) = mean(p)
        #expect(abs(mx) < 0.05 && abs(my) < 0.05)
        let radius = 4 / 1.414
        var counts = [Int](repeating: 0, count: 8)
        var spread = 0.0
        for point in p {
            let k = Int((atan2(point.y, point.x) / (Double.pi / 4)).rounded()) & 7
            counts[k] += 1
            let angle = Double(k) * Double.pi / 4
            spread += pow(point.x - radius * cos(angle), 2) + pow(point.y - radius * sin(angle), 2)
        }
        #expect(counts.allSatisfy { abs($0 - 2500) < 200 }, "\(counts)")
        // Per-axis sd 0.5/1.414 ≈ 0.354 around each centre: mean squared distance 0.25.
        #expect(abs(spread / Double(p.count) - 0.25) < 0.02)
    }

    @Test func ringsHaveFourEqualRadii() {
        let radii = [0.75, 1.5, 2.25, 3.0]
        var counts = [Int](repeating: 0, count: 4)
        var far = 0
        for point in points(.rings) {
            let r = (point.x * point.x + point.y * point.y).squareRoot()
            let nearest = radii.indices.min { abs(radii[$0] - r) < abs(radii[$1] - r) } ?? 0
            counts[nearest] += 1
            if abs(radii[nearest] - r) > 0.4 { far += 1 }  // 5 noise sds
        }
        #expect(far == 0)
        #expect(counts.allSatisfy { abs($0 - 5000) < 300 }, "\(counts)")
    }

    @Test func checkerboardFillsItsEightSquares() {
        var cells: [[Int]: Int] = [:]
        for point in points(.checkerboard) {
            #expect(abs(point.x) <= 4 && abs(point.y) <= 4)
            let cell = [Int((point.x / 2).rounded(.down)), Int((point.y / 2).rounded(.down))]
            #expect((cell[0] + cell[1]) % 2 == 0, "point \(point) in cell \(cell)")
            cells[cell, default: 0] += 1
        }
        #expect(cells.count == 8)
        #expect(cells.values.allSatisfy { abs($0 - 2500) < 200 }, "\(cells)")
    }

    @Test func moonsHaveTheirKnownMeanAndHalves() {
        let p = points(.twoMoons)
        let (mx, my) = mean(p)
        // Upper moon mean (0, 2/π), lower (1, ½ − 2/π), then 2x + (−1, −0.2): overall (0, 0.3).
        #expect(abs(mx) < 0.03 && abs(my - 0.3) < 0.03, "mean (\(mx), \(my))")
        // Every point lies near one of the two scaled half circles (radius 2).
        let far = p.filter { point in
            let upper = abs(((point.x + 1) * (point.x + 1) + (point.y + 0.2) * (point.y + 0.2)).squareRoot() - 2)
            let lower = abs(((point.x - 1) * (point.x - 1) + (point.y - 0.8) * (point.y - 0.8)).squareRoot() - 2)
            return min(upper, lower) > 1.0
        }.count
        #expect(far == 0)
    }

    @Test func pinwheelIsCentredWithRadiusAboutTwo() {
        let p = points(.pinwheel)
        let (mx, my) = mean(p)
        #expect(abs(mx) < 0.05 && abs(my) < 0.05)
        let radius = p.map { ($0.x * $0.x + $0.y * $0.y).squareRoot() }.reduce(0, +) / Double(p.count)
        #expect(abs(radius - 2.0) < 0.1, "mean radius \(radius)")
    }

    @Test func swissRollFollowsItsSpiral() {
        let p = points(.swissRoll)
        // |(s cos s, s sin s)|/5 = s/5 with s uniform on [1.5π, 4.5π]: mean 3π/5 ≈ 1.885.
        let radius = p.map { ($0.x * $0.x + $0.y * $0.y).squareRoot() }.reduce(0, +) / Double(p.count)
        #expect(abs(radius - 3 * Double.pi / 5) < 0.06, "mean radius \(radius)")
        #expect(p.allSatisfy { ($0.x * $0.x + $0.y * $0.y).squareRoot() < 4.5 * Double.pi / 5 + 1.2 })
    }
}
