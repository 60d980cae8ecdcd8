import Foundation
import Tensors

/// Two-dimensional densities for energy-based and score-matching demos, following the toy
/// data of FFJORD (Grathwohl et al. 2019, `lib/toy_data.py`), which later score-matching
/// and EBM papers reuse. Samples fall roughly within [−4, 4]².
///
/// Where that code lays points out on a grid (`linspace`) or in equal groups, these draw
/// each point independently from the same distribution, so every sample is i.i.d.
public enum ToyDensity: String, CaseIterable, Sendable {
    /// Eight Gaussians of standard deviation 0.5/1.414 ≈ 0.35 centred on a circle of radius
    /// 4/1.414 ≈ 2.83 at angles kπ/4, equally likely.
    case eightGaussians = "8gaussians"
    /// scikit-learn's two interleaved half circles (`make_moons`, noise 0.1), each point on
    /// either with probability ½ at a uniform angle, then mapped x ↦ 2x + (−1, −0.2).
    case twoMoons = "moons"
    /// Four concentric circles of radii 3, 2.25, 1.5, 0.75, equally likely, uniform in
    /// angle, plus Gaussian noise of standard deviation 0.08.
    case rings
    /// Uniform on the eight squares of side 2 within [−4, 4]² whose cell indices
    /// ⌊x/2⌋ + ⌊y/2⌋ are even: a 4×4 checkerboard's black squares.
    case checkerboard
    /// Five spiral arms: radial coordinate r ~ N(1, 0.3²), tangential t ~ N(0, 0.1²), arm k
    /// uniform in 0..<5, rotated by 2πk/5 + 0.25·exp(r), then scaled by 2.
    case pinwheel
    /// scikit-learn's swiss roll (`make_swiss_roll`, noise 1) seen from above:
    /// s ~ U[1.5π, 4.5π], (s cos s, s sin s) plus N(0, 1) noise on each coordinate, divided by 5.
    case swissRoll = "swissroll"

    /// The density named `name`: "8gaussians" or "eight-gaussians", "moons" or "two-moons",
    /// "rings", "checkerboard", "pinwheel", "swissroll" or "swiss-roll" (case ignored).
    public init?(name: String) {
        let aliases: [String: ToyDensity] = [
            "eight-gaussians": .eightGaussians, "two-moons": .twoMoons, "swiss-roll": .swissRoll,
        ]
        let key = name.lowercased()
        guard let density = ToyDensity(rawValue: key) ?? aliases[key] else { return nil }
        self = density
    }

    /// The canonical name, as `init?(name:)` accepts it.
    public var name: String { rawValue }

    /// `count` independent points, as a tensor [count, 2].
    public func sample(count: Int, using generator: inout some RandomNumberGenerator) -> Tensor {
        precondition(count >= 0, "ToyDensity.sample: count \(count) is negative")
        var values = [Float]()
        values.reserveCapacity(2 * count)
        for _ in 0..<count {
            let (x, y) = point(using: &generator)
            values.append(Float(x))
            values.append(Float(y))
        }
        return Tensor(values, shape: [count, 2])
    }

    /// One point.
    private func point(using g: inout some RandomNumberGenerator) -> (Double, Double) {
        switch self {
        case .eightGaussians:
            let angle = Double(g.nextIndex(below: 8)) * Double.pi / 4
            let x = 4 * cos(angle) + 0.5 * g.nextNormal()
            let y = 4 * sin(angle) + 0.5 * g.nextNormal()
            return (x / 1.414, y / 1.414)

        case .twoMoons:
            let t = Double.pi * g.nextUnit()
            let upper = g.nextBool()
            let x = (upper ? cos(t) : 1 - cos(t)) + 0.1 * g.nextNormal()
            let y = (upper ? sin(t) : 0.5 - sin(t)) + 0.1 * g.nextNormal()
            return (2 * x - 1, 2 * y - 0.2)

        case .rings:
            let radius = 3 * Double(4 - g.nextIndex(below: 4)) / 4
            let angle = 2 * Double.pi * g.nextUnit()
            return (radius * cos(angle) + 0.08 * g.nextNormal(), radius * sin(angle) + 0.08 * g.nextNormal())

        case .checkerboard:
            // FFJORD: x ~ U[−2, 2); y ~ U[0, 1) − 2·Bernoulli(½) + (⌊x⌋ mod 2); both × 2.
            let x = 4 * g.nextUnit() - 2
            let column = Int(x.rounded(.down))
            let shift = Double(((column % 2) + 2) % 2)
            let y = g.nextUnit() - (g.nextBool() ? 2 : 0) + shift
            return (2 * x, 2 * y)

        case .pinwheel:
            let arm = Double(g.nextIndex(below: 5)) * 2 * Double.pi / 5
            let radial = 1 + 0.3 * g.nextNormal()
            let tangential = 0.1 * g.nextNormal()
            let angle = arm + 0.25 * exp(radial)
            // FFJORD's einsum "ti,tij->tj" with rotation [[cos, −sin], [sin, cos]].
            return (
                2 * (radial * cos(angle) + tangential * sin(angle)),
                2 * (-radial * sin(angle) + tangential * cos(angle))
            )

        case .swissRoll:
            let s = 1.5 * Double.pi * (1 + 2 * g.nextUnit())
            return ((s * cos(s) + g.nextNormal()) / 5, (s * sin(s) + g.nextNormal()) / 5)
        }
    }
}
