import Testing

@testable import Tensors

/// Finite-difference checks of first and second derivatives.
///
/// The scalar under test is L(xs) = Σ r⊙y + ½ Σ s⊙y² with y = f(xs) and fixed random r, s:
/// the squared term makes every pullback's dependence on its cotangent matter at second
/// order. References are central differences accumulated in Double.
struct GradientCheck {
    var step: Double = 1e-2
    var relativeTolerance: Double = 2e-2
    var absoluteTolerance: Double = 2e-3

    func loss(_ f: ([Tensor]) -> Tensor, _ xs: [Tensor], _ r: Tensor, _ s: Tensor) -> Tensor {
        let y = f(xs)
        return (y * r).sum() + (y * y * s).sum() * 0.5
    }

    func lossInDouble(_ f: ([Tensor]) -> Tensor, _ xs: [Tensor], _ r: Tensor, _ s: Tensor) -> Double {
        let y = withoutRecording { f(xs) }.scalars.map { Double($0) }
        let rd = r.scalars.map { Double($0) }
        let sd = s.scalars.map { Double($0) }
        var total = 0.0
        for i in y.indices { total += rd[i] * y[i] + 0.5 * sd[i] * y[i] * y[i] }
        return total
    }

    /// Checks ∇L by central differences on every element (up to `maxElements` per input,
    /// then random directions) and checks H·v against the difference of gradients along v.
    func check(
        _ name: String, _ xs: [Tensor], seed: UInt64 = 7, sourceLocation: SourceLocation = #_sourceLocation,
        _ f: @escaping ([Tensor]) -> Tensor
    ) {
        var rng = SeededGenerator(seed: seed)
        let outShape = withoutRecording { f(xs) }.shape
        let r = Tensor(randomNormal: outShape, using: &rng)
        let s = Tensor(randomNormal: outShape, using: &rng) * 0.5
        let l = { (xs: [Tensor]) in loss(f, xs, r, s) }

        // First order, element by element.
        let grads = gradient(at: xs, of: l)
        for (k, x) in xs.enumerated() {
            let indices =
                x.scalarCount <= 48
                ? Array(0..<x.scalarCount)
                : (0..<48).map { _ in Int.random(in: 0..<x.scalarCount, using: &rng) }
            for i in indices {
                let fd =
                    (lossInDouble(f, perturb(xs, k, i, +step), r, s)
                        - lossInDouble(f, perturb(xs, k, i, -step), r, s)) / (2 * step)
                let ad = Double(grads[k].scalars[i])
                #expect(
                    close(ad, fd), "\(name): ∂L/∂x\(k)[\(i)] autodiff \(ad) vs finite difference \(fd)",
                    sourceLocation: sourceLocation)
            }
        }

        // Second order: H·v by nested autodiff against (∇L(x+hv) − ∇L(x−hv)) / 2h.
        let v = xs.map { Tensor(randomNormal: $0.shape, using: &rng) }
        let hvp = gradient(at: xs) { xs in
            let g = gradient(at: xs, of: l)
            return zip(g, v).map { ($0 * $1).sum() }.reduce(Tensor(0), +)
        }
        let plus = gradient(at: zip(xs, v).map { x, d in shifted(x, d, step) }, of: l)
        let minus = gradient(at: zip(xs, v).map { x, d in shifted(x, d, -step) }, of: l)
        for k in xs.indices {
            let a = hvp[k].scalars
            let p = plus[k].scalars
            let m = minus[k].scalars
            for i in a.indices {
                let fd = (Double(p[i]) - Double(m[i])) / (2 * step)
                #expect(
                    close(Double(a[i]), fd), "\(name): (H·v)[\(k)][\(i)] autodiff \(a[i]) vs finite difference \(fd)",
                    sourceLocation: sourceLocation)
            }
        }
    }

    func close(_ a: Double, _ b: Double) -> Bool {
        abs(a - b) <= absoluteTolerance + relativeTolerance * max(abs(a), abs(b))
    }

    func perturb(_ xs: [Tensor], _ k: Int, _ i: Int, _ h: Double) -> [Tensor] {
        var copy = xs
        copy[k].withUnsafeMutableBufferPointer { $0[i] += Float(h) }
        return copy
    }

    func shifted(_ x: Tensor, _ direction: Tensor, _ h: Double) -> Tensor {
        let xs = x.scalars
        let ds = direction.scalars
        return Tensor((0..<xs.count).map { Float(Double(xs[$0]) + h * Double(ds[$0])) }, shape: x.shape)
    }
}

/// Random test inputs.
func randomTensor(_ shape: [Int], seed: UInt64, scale: Float = 1, awayFromZero: Float = 0) -> Tensor {
    var rng = SeededGenerator(seed: seed)
    let t = Tensor(randomNormal: shape, standardDeviation: scale, using: &rng)
    guard awayFromZero > 0 else { return t }
    return Tensor(t.scalars.map { $0 >= 0 ? $0 + awayFromZero : $0 - awayFromZero }, shape: shape)
}

func positiveTensor(_ shape: [Int], seed: UInt64) -> Tensor {
    var rng = SeededGenerator(seed: seed)
    return Tensor(randomUniform: shape, lower: 0.5, upper: 2, using: &rng)
}
