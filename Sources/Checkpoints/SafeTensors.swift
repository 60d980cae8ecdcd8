import Tensors

/// Named tensors and string metadata, as one safetensors file holds them.
///
/// The format (https://huggingface.co/docs/safetensors): an 8-byte little-endian header
/// length N, N bytes of JSON mapping each tensor's name to its dtype, shape and byte range
/// (`data_offsets`, relative to the data section) plus an optional `__metadata__` object of
/// strings, then the raw little-endian data. Joule writes Float32 (`F32`) and reads every
/// common dtype, converting to Float32.
///
/// Entries keep their order (the order written, or the header's order when read); names
/// are unique.
///
/// ```swift
/// var file = SafeTensors(metadata: ["step": "1200"])
/// try file.append(weights, named: "dense.weight")
/// try file.write(to: url)                       // atomic: temporary file, fsync, rename
/// let back = try SafeTensors.read(from: url)    // validates every offset, shape and dtype
/// let w = try back.tensor(named: "dense.weight")
/// ```
public struct SafeTensors: Sendable {
    /// The tensors in order.
    public private(set) var entries: [(name: String, tensor: Tensor)]
    /// String metadata, stored under the header's `__metadata__` key.
    public var metadata: [String: String]
    /// Each name's position in `entries`.
    private var indexByName: [String: Int]

    /// The key under which the header holds metadata; no tensor may take it.
    public static let metadataKey = "__metadata__"

    /// An empty file's contents, with optional metadata.
    public init(metadata: [String: String] = [:]) {
        self.entries = []
        self.metadata = metadata
        self.indexByName = [:]
    }

    /// Tensors in the given order, with metadata.
    ///
    /// - Throws: `CheckpointError` (`.duplicateTensorName`, `.reservedTensorName`).
    public init(_ entries: [(name: String, tensor: Tensor)], metadata: [String: String] = [:]) throws {
        self.init(metadata: metadata)
        for (name, tensor) in entries { try append(tensor, named: name) }
    }

    /// Adds a tensor after the others.
    ///
    /// - Throws: `CheckpointError` when the name is taken or is `__metadata__`.
    public mutating func append(_ tensor: Tensor, named name: String) throws {
        guard name != Self.metadataKey else {
            throw CheckpointError(path: nil, problem: .reservedTensorName)
        }
        guard indexByName[name] == nil else {
            throw CheckpointError(path: nil, problem: .duplicateTensorName(name))
        }
        indexByName[name] = entries.count
        entries.append((name, tensor))
    }

    /// The names in order.
    public var names: [String] { entries.map(\.name) }

    /// The number of tensors.
    public var count: Int { entries.count }

    /// The tensor with this name, or `nil`.
    public subscript(name: String) -> Tensor? {
        indexByName[name].map { entries[$0].tensor }
    }

    /// The tensor with this name.
    ///
    /// - Throws: `CheckpointError.Problem.missingTensor`, naming it and the names present.
    public func tensor(named name: String) throws -> Tensor {
        guard let tensor = self[name] else {
            throw CheckpointError(path: nil, problem: .missingTensor(name: name, available: names))
        }
        return tensor
    }
}
