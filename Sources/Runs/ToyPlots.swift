import Foundation
import Sampling
import Tensors

/// Pictures of a 2-D energy: its density exp(−E) on a grid, and samples drawn over the data.
public enum ToyPlots {
    /// The square shown, [−4.5, 4.5]², which holds every toy density.
    public static let extent: Float = 4.5

    /// exp(−E) on a size×size grid (y up), scaled to its maximum, coloured dark → bright.
    public static func densityImage(energy: EnergyFunction, size: Int = 160) -> [UInt8] {
        let step = 2 * extent / Float(size)
        var points: [Float] = []
        points.reserveCapacity(size * size * 2)
        for row in 0..<size {
            let y = extent - (Float(row) + 0.5) * step
            for column in 0..<size { points += [-extent + (Float(column) + 0.5) * step, y] }
        }
        let energies = withoutRecording { energy(Tensor(points, shape: [size * size, 2])) }.scalars
        let lowest = energies.filter(\.isFinite).min() ?? 0
        var pixels = [UInt8](repeating: 0, count: size * size * 3)
        for (i, e) in energies.enumerated() {
            let density = e.isFinite ? Double(exp(-(e - lowest))) : 0
            let (r, g, b) = color(density)
            (pixels[3 * i], pixels[3 * i + 1], pixels[3 * i + 2]) = (r, g, b)
        }
        return pixels
    }

    /// Samples (dark) over the data (light grey) on a white size×size square.
    public static func scatterImage(samples: Tensor, data: Tensor, size: Int = 320) -> [UInt8] {
        var pixels = [UInt8](repeating: 255, count: size * size * 3)
        func plot(_ t: Tensor, _ value: (UInt8, UInt8, UInt8), limit: Int) {
            let v = t.scalars
            for i in 0..<min(t.shape[0], limit) {
                let column = Int((v[2 * i] + extent) / (2 * extent) * Float(size))
                let row = Int((extent - v[2 * i + 1]) / (2 * extent) * Float(size))
                for dy in 0...1 {
                    for dx in 0...1 {
                        let (r, c) = (row + dy, column + dx)
                        guard (0..<size).contains(r), (0..<size).contains(c) else { continue }
                        (pixels[3 * (r * size + c)], pixels[3 * (r * size + c) + 1], pixels[3 * (r * size + c) + 2]) =
                            value
                    }
                }
            }
        }
        plot(data, (200, 200, 200), limit: 5_000)
        plot(samples, (40, 60, 160), limit: samples.shape[0])
        return pixels
    }

    /// A dark-blue → teal → yellow ramp for t in [0, 1].
    private static func color(_ t: Double) -> (UInt8, UInt8, UInt8) {
        let x = min(max(t, 0), 1)
        let r = x < 0.5 ? 0.27 - 0.2 * x : 0.17 + 1.6 * (x - 0.5)
        let g = 0.0 + 0.9 * x
        let b = x < 0.5 ? 0.33 + 0.4 * x : 0.53 - 0.8 * (x - 0.5)
        return (UInt8(min(max(r, 0), 1) * 255), UInt8(min(max(g, 0), 1) * 255), UInt8(min(max(b, 0), 1) * 255))
    }
}
