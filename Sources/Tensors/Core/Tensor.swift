/// A Float32 tensor: a shape, copy-on-write contiguous storage in row-major order, and
/// (while it depends on a variable being differentiated) a node of the autodiff graph.
///
/// Tensors are values: every operation returns a new tensor. Operations are recorded for
/// differentiation only when an input depends on a variable of an active
/// `gradient(at:of:)` call and recording is not switched off (`withoutRecording`).
public struct Tensor: @unchecked Sendable {
    /// Extent of each axis; `[]` is a scalar.
    public let shape: [Int]
    /// The elements, row-major.
    public private(set) var storage: TensorStorage
    /// The graph node that produced this tensor, when it depends on a variable.
    var node: Node?

    /// Wraps existing storage (used by operations).
    init(shape: [Int], storage: TensorStorage, node: Node? = nil) {
        precondition(
            storage.count == shape.reduce(1, *),
            "Tensor: storage of \(storage.count) elements does not fit shape \(shape)")
        self.shape = shape
        self.storage = storage
        self.node = node
    }

    /// Number of elements.
    public var scalarCount: Int { storage.count }
    /// Number of axes.
    public var rank: Int { shape.count }
    /// Whether this tensor carries a derivative (depends on a variable being differentiated).
    public var isRecorded: Bool { node != nil }

    /// The elements as an array, row-major.
    public var scalars: [Float] { Array(storage.buffer) }

    /// The single element of a one-element tensor.
    public var scalar: Float {
        precondition(scalarCount == 1, "scalar: tensor of shape \(shape) has \(scalarCount) elements")
        return storage.pointer[0]
    }

    /// Reads the elements.
    public func withUnsafeBufferPointer<R>(_ body: (UnsafeBufferPointer<Float>) throws -> R) rethrows -> R {
        try body(UnsafeBufferPointer(storage.buffer))
    }

    /// Writes the elements in place, copying first if the storage is shared.
    /// The result no longer carries a derivative: an in-place edit is not differentiable.
    public mutating func withUnsafeMutableBufferPointer<R>(
        _ body: (UnsafeMutableBufferPointer<Float>) throws -> R
    ) rethrows -> R {
        if !isKnownUniquelyReferenced(&storage) {
            let copy = TensorStorage(uninitializedCount: storage.count)
            copy.pointer.update(from: storage.pointer, count: storage.count)
            storage = copy
        }
        storage.prepareForMutation()
        node = nil
        return try body(storage.buffer)
    }
}

// MARK: - Creation

extension Tensor {
    /// A tensor of the given shape filled with `value`.
    public init(repeating value: Float, shape: [Int]) {
        Shape.validate(shape, in: "Tensor(repeating:shape:)")
        self.init(shape: shape, storage: TensorStorage(repeating: value, count: shape.reduce(1, *)))
    }

    /// Zeros of the given shape.
    public static func zeros(_ shape: [Int]) -> Tensor { Tensor(repeating: 0, shape: shape) }
    /// Ones of the given shape.
    public static func ones(_ shape: [Int]) -> Tensor { Tensor(repeating: 1, shape: shape) }

    /// A scalar (rank-0) tensor.
    public init(_ value: Float) { self.init(repeating: value, shape: []) }

    /// A tensor from row-major elements.
    public init(_ scalars: [Float], shape: [Int]) {
        Shape.validate(shape, in: "Tensor(_:shape:)")
        precondition(
            scalars.count == shape.reduce(1, *),
            "Tensor(_:shape:): \(scalars.count) elements do not fill shape \(shape)")
        let storage = TensorStorage(uninitializedCount: scalars.count)
        scalars.withUnsafeBufferPointer { storage.pointer.update(from: $0.baseAddress!, count: $0.count) }
        self.init(shape: shape, storage: storage)
    }

    /// A rank-1 tensor from elements.
    public init(_ scalars: [Float]) { self.init(scalars, shape: [scalars.count]) }

    /// A tensor whose elements are produced by `body` from the flat index.
    public init(shape: [Int], generating body: (Int) -> Float) {
        Shape.validate(shape, in: "Tensor(shape:generating:)")
        let storage = TensorStorage(uninitializedCount: shape.reduce(1, *))
        for i in 0..<storage.count { storage.pointer[i] = body(i) }
        self.init(shape: shape, storage: storage)
    }

    /// A tensor of `shape` whose every element `initializer` writes — for kernels outside
    /// the engine (optimiser updates) that fill a fresh buffer in one pass.
    public init(shape: [Int], initializingWith initializer: (UnsafeMutableBufferPointer<Float>) throws -> Void) rethrows
    {
        Shape.validate(shape, in: "Tensor(shape:initializingWith:)")
        let storage = TensorStorage(uninitializedCount: shape.reduce(1, *))
        try initializer(storage.buffer)
        self.init(shape: shape, storage: storage)
    }

    /// Uninitialised output storage for kernels.
    static func uninitialized(_ shape: [Int]) -> Tensor {
        Tensor(shape: shape, storage: TensorStorage(uninitializedCount: shape.reduce(1, *)))
    }
}

extension Tensor: CustomStringConvertible {
    /// The shape and up to the first 16 values, for debugging.
    public var description: String {
        let shown = scalars.prefix(16).map { "\($0)" }.joined(separator: ", ")
        return "Tensor(shape: \(shape), [\(shown)\(scalarCount > 16 ? ", …" : "")])"
    }
}
