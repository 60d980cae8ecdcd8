// Add, subtract, multiply, divide and negate, with NumPy broadcasting. The derivative of
// broadcasting is summation back to the operand's shape (`sum(toShape:)`).

extension Tensor {
    /// Elementwise sum with broadcasting.
    public static func + (a: Tensor, b: Tensor) -> Tensor {
        let y = TwinAddKernel.add(a, b) ?? ElementwiseKernel.zip(a, b, op: "add") { $0 + $1 }
        return record(y, operation: "add", inputs: [a, b]) { g, needed in
            [needed[0] ? g.sum(toShape: a.shape) : nil, needed[1] ? g.sum(toShape: b.shape) : nil]
        }
    }

    /// Elementwise difference with broadcasting.
    public static func - (a: Tensor, b: Tensor) -> Tensor {
        let y = ElementwiseKernel.zip(a, b, op: "subtract") { $0 - $1 }
        return record(y, operation: "subtract", inputs: [a, b]) { g, needed in
            [needed[0] ? g.sum(toShape: a.shape) : nil, needed[1] ? (-g).sum(toShape: b.shape) : nil]
        }
    }

    /// Elementwise product with broadcasting.
    public static func * (a: Tensor, b: Tensor) -> Tensor {
        let y = ElementwiseKernel.zip(a, b, op: "multiply") { $0 * $1 }
        return record(y, operation: "multiply", inputs: [a, b]) { g, needed in
            [needed[0] ? (g * b).sum(toShape: a.shape) : nil, needed[1] ? (g * a).sum(toShape: b.shape) : nil]
        }
    }

    /// Elementwise quotient with broadcasting.
    public static func / (a: Tensor, b: Tensor) -> Tensor {
        let y = ElementwiseKernel.zip(a, b, op: "divide") { $0 / $1 }
        return record(y, operation: "divide", inputs: [a, b]) { g, needed in
            [
                needed[0] ? (g / b).sum(toShape: a.shape) : nil,
                needed[1] ? (-(g * a) / (b * b)).sum(toShape: b.shape) : nil,
            ]
        }
    }

    /// Elementwise negation.
    public static prefix func - (x: Tensor) -> Tensor {
        record(ElementwiseKernel.map(x) { -$0 }, operation: "negate", input: x) { g in -g }
    }

    /// `x` scaled by a constant: one pass, no broadcasting.
    public static func * (x: Tensor, c: Float) -> Tensor {
        record(ElementwiseKernel.map(x) { $0 * c }, operation: "scale", input: x) { g in g * c }
    }

    /// `x` shifted by a constant.
    public static func + (x: Tensor, c: Float) -> Tensor {
        record(ElementwiseKernel.map(x) { $0 + c }, operation: "shift", input: x) { g in g }
    }

    /// `x` scaled by a constant.
    public static func * (c: Float, x: Tensor) -> Tensor { x * c }
    /// `x` shifted by a constant.
    public static func + (c: Float, x: Tensor) -> Tensor { x + c }
    /// `x` minus a constant.
    public static func - (x: Tensor, c: Float) -> Tensor { x + (-c) }
    /// A constant minus each element of `x`.
    public static func - (c: Float, x: Tensor) -> Tensor { -x + c }
    /// `x` divided by a constant (multiplied by 1/c).
    public static func / (x: Tensor, c: Float) -> Tensor { x * (1 / c) }
    /// A constant divided by each element of `x` (broadcast as a scalar tensor).
    public static func / (c: Float, x: Tensor) -> Tensor { Tensor(c) / x }

    /// Replaces `a` with `a + b` (broadcasting: `a` takes the broadcast shape).
    public static func += (a: inout Tensor, b: Tensor) { a = a + b }
    /// Replaces `a` with `a − b` (broadcasting: `a` takes the broadcast shape).
    public static func -= (a: inout Tensor, b: Tensor) { a = a - b }
    /// Replaces `a` with `a * b` (broadcasting: `a` takes the broadcast shape).
    public static func *= (a: inout Tensor, b: Tensor) { a = a * b }
    /// Replaces `a` with `a / b` (broadcasting: `a` takes the broadcast shape).
    public static func /= (a: inout Tensor, b: Tensor) { a = a / b }
}
