/// The value of `f` at `x` and its gradient, shaped like `x`.
///
/// `f` must return a one-element tensor. Calls nest to any order: a gradient taken inside
/// `f` is itself differentiable, so `gradient(at: x) { x in dot(gradient(at: x, of: g), v) }`
/// is a Hessian-vector product.
public func valueWithGradient<T: TensorTree>(
    at x: T, of f: (T) throws -> Tensor
) rethrows -> (value: Tensor, gradient: T) {
    let (value, gradients) = try valueWithGradients(at: x.tensors) { try f(x.replacingTensors(with: $0)) }
    return (value, x.replacingTensors(with: gradients))
}

/// The gradient of `f` at `x`, shaped like `x` (see `valueWithGradient(at:of:)`).
public func gradient<T: TensorTree>(at x: T, of f: (T) throws -> Tensor) rethrows -> T {
    try valueWithGradient(at: x, of: f).gradient
}

/// The value of `f` and its gradients with respect to two arguments at once.
public func valueWithGradient<A: TensorTree, B: TensorTree>(
    at a: A, _ b: B, of f: (A, B) throws -> Tensor
) rethrows -> (value: Tensor, gradient: (A, B)) {
    let split = a.tensors.count
    let (value, gradients) = try valueWithGradients(at: a.tensors + b.tensors) { all in
        try f(a.replacingTensors(with: Array(all[..<split])), b.replacingTensors(with: Array(all[split...])))
    }
    return (
        value,
        (
            a.replacingTensors(with: Array(gradients[..<split])),
            b.replacingTensors(with: Array(gradients[split...]))
        )
    )
}

/// The gradients of `f` with respect to two arguments at once.
public func gradient<A: TensorTree, B: TensorTree>(
    at a: A, _ b: B, of f: (A, B) throws -> Tensor
) rethrows -> (A, B) {
    try valueWithGradient(at: a, b, of: f).gradient
}

/// The value of `f` at `x` and its pullback: a function from a cotangent shaped like the
/// value to the cotangent of `x` (a vector-Jacobian product). The pullback can be called
/// several times, and is differentiable when called inside another differentiation.
public func valueWithPullback(
    at x: Tensor, of f: (Tensor) throws -> Tensor
) rethrows -> (value: Tensor, pullback: (Tensor) -> Tensor) {
    let (variable, node) = makeVariable(x)
    let value = try evaluateDifferentiated { try f(variable) }
    let shape = x.shape
    return (
        value,
        { cotangent in
            backpropagate(from: value, seed: cotangent, to: [node])[0] ?? .zeros(shape)
        }
    )
}

/// The pullback of `f` at `x` (see `valueWithPullback(at:of:)`).
public func pullback(at x: Tensor, of f: (Tensor) throws -> Tensor) rethrows -> (Tensor) -> Tensor {
    try valueWithPullback(at: x, of: f).pullback
}

/// Shared core: variables for each tensor, evaluate, one reverse pass to all of them.
func valueWithGradients(
    at xs: [Tensor], of f: ([Tensor]) throws -> Tensor
) rethrows -> (Tensor, [Tensor]) {
    let variables = xs.map(makeVariable)
    let value = try evaluateDifferentiated { try f(variables.map(\.0)) }
    precondition(
        value.scalarCount == 1,
        "gradient: the function must return one element, got shape \(value.shape)")
    let seed = Tensor(repeating: 1, shape: value.shape)
    let gradients = backpropagate(from: value, seed: seed, to: variables.map(\.1))
    return (value, zip(gradients, xs).map { $0 ?? .zeros($1.shape) })
}
