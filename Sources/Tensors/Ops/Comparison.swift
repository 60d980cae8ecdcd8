// Comparison masks (1 where true, 0 where false; no derivative) and selection by mask.

extension Tensor {
    /// 1 where `a > b`, else 0 (broadcasting).
    public static func .> (a: Tensor, b: Tensor) -> Tensor { ElementwiseKernel.zip(a, b, op: ".>") { $0 > $1 ? 1 : 0 } }
    /// 1 where `a < b`, else 0 (broadcasting).
    public static func .< (a: Tensor, b: Tensor) -> Tensor { ElementwiseKernel.zip(a, b, op: ".<") { $0 < $1 ? 1 : 0 } }
    /// 1 where `a >= b`, else 0 (broadcasting).
    public static func .>= (a: Tensor, b: Tensor) -> Tensor {
        ElementwiseKernel.zip(a, b, op: ".>=") { $0 >= $1 ? 1 : 0 }
    }
    /// 1 where `a <= b`, else 0 (broadcasting).
    public static func .<= (a: Tensor, b: Tensor) -> Tensor {
        ElementwiseKernel.zip(a, b, op: ".<=") { $0 <= $1 ? 1 : 0 }
    }
    /// 1 where `a == b`, else 0 (broadcasting).
    public static func .== (a: Tensor, b: Tensor) -> Tensor {
        ElementwiseKernel.zip(a, b, op: ".==") { $0 == $1 ? 1 : 0 }
    }

    /// 1 where `x > c`, else 0.
    public static func .> (x: Tensor, c: Float) -> Tensor { ElementwiseKernel.map(x) { $0 > c ? 1 : 0 } }
    /// 1 where `x < c`, else 0.
    public static func .< (x: Tensor, c: Float) -> Tensor { ElementwiseKernel.map(x) { $0 < c ? 1 : 0 } }
}

/// Elementwise choice: `a` where `mask` is non-zero, `b` elsewhere (all three broadcast).
/// The derivative routes the cotangent to the chosen side; the mask has none.
public func select(_ mask: Tensor, _ a: Tensor, _ b: Tensor) -> Tensor {
    let shape = Shape.broadcast(Shape.broadcast(mask.shape, a.shape, op: "select"), b.shape, op: "select")
    let m = withoutDerivative(at: mask).broadcast(to: shape)
    let ab = a.broadcast(to: shape)
    let bb = b.broadcast(to: shape)
    let y = ElementwiseKernel.zip3(m, ab, bb) { $0 != 0 ? $1 : $2 }
    let zero = Tensor(0)
    return Tensor.record(y, operation: "select", inputs: [ab, bb]) { g, needed in
        [needed[0] ? select(m, g, zero) : nil, needed[1] ? select(m, zero, g) : nil]
    }
}

/// Elementwise maximum (broadcasting); ties take `a`.
public func maximum(_ a: Tensor, _ b: Tensor) -> Tensor {
    select(withoutDerivative(at: a) .>= withoutDerivative(at: b), a, b)
}

/// Elementwise minimum (broadcasting); ties take `a`.
public func minimum(_ a: Tensor, _ b: Tensor) -> Tensor {
    select(withoutDerivative(at: a) .<= withoutDerivative(at: b), a, b)
}
