import Tensors

/// Deals a dataset's indices in shuffled batches, epoch after epoch, reproducibly from a
/// seed; its state can be saved (`Codable`) and restored to resume mid-epoch exactly.
///
/// Only indices are dealt, never images: `ImageDataset.batch(_:)` turns a batch into a
/// tensor. Each epoch is a fresh permutation of `indices` drawn from the sampler's own
/// generator; the epoch rolls over as soon as its last batch is dealt, so a training loop
/// can run `while sampler.epoch < epochs { … sampler.nextBatch() … }`.
///
/// The saved state is the generator as it stood when the current epoch was shuffled, the
/// epoch and the position in it; the permutation is recomputed on restore rather than stored.
public struct BatchSampler: Sendable, Equatable {
    /// The indices dealt each epoch (e.g. a training split).
    public let indices: [Int]
    /// Indices per batch.
    public let batchSize: Int
    /// Whether an epoch's last, partial batch is skipped (so every batch is full).
    public let dropsLast: Bool
    /// The current epoch, counted from 0.
    public private(set) var epoch: Int
    /// How many of the current epoch's indices have been dealt.
    public private(set) var position: Int

    /// The generator that shuffled the current epoch, as it was before shuffling.
    private var epochGenerator: SeededGenerator
    /// The current epoch's permutation of `indices`.
    private var order: [Int]
    /// The generator after shuffling: it shuffles the next epoch.
    private var nextGenerator: SeededGenerator

    /// A sampler over `indices`, shuffled from `seed`.
    public init(indices: [Int], batchSize: Int, dropsLast: Bool = false, seed: UInt64) {
        precondition(!indices.isEmpty, "BatchSampler: no indices to deal")
        precondition(batchSize >= 1, "BatchSampler: batch size \(batchSize) must be at least 1")
        precondition(
            !dropsLast || batchSize <= indices.count,
            "BatchSampler: batch size \(batchSize) with dropsLast leaves no batch of \(indices.count) indices")
        self.indices = indices
        self.batchSize = batchSize
        self.dropsLast = dropsLast
        self.epoch = 0
        self.position = 0
        self.epochGenerator = SeededGenerator(seed: seed)
        (order, nextGenerator) = Self.shuffle(indices, from: epochGenerator)
    }

    /// A sampler over 0..<`count`.
    public init(count: Int, batchSize: Int, dropsLast: Bool = false, seed: UInt64) {
        self.init(indices: Array(0..<count), batchSize: batchSize, dropsLast: dropsLast, seed: seed)
    }

    /// Batches in one epoch.
    public var batchesPerEpoch: Int {
        dropsLast ? indices.count / batchSize : (indices.count + batchSize - 1) / batchSize
    }

    /// The next batch of indices: `batchSize` of them, or fewer for an epoch's last batch
    /// unless `dropsLast`.
    public mutating func nextBatch() -> [Int] {
        let end = min(position + batchSize, order.count)
        let batch = Array(order[position..<end])
        position = end
        let remaining = order.count - position
        if remaining == 0 || (dropsLast && remaining < batchSize) {
            epoch += 1
            position = 0
            epochGenerator = nextGenerator
            (order, nextGenerator) = Self.shuffle(indices, from: epochGenerator)
        }
        return batch
    }

    /// A permutation of `indices`, and the generator's state after drawing it.
    private static func shuffle(_ indices: [Int], from generator: SeededGenerator) -> ([Int], SeededGenerator) {
        var generator = generator
        let order = generator.shuffled(indices)
        return (order, generator)
    }
}

extension BatchSampler: Codable {
    private enum CodingKeys: String, CodingKey {
        case indices, batchSize, dropsLast, epoch, position, epochGenerator
    }

    /// Restores a saved sampler, checking that its state is consistent.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        indices = try container.decode([Int].self, forKey: .indices)
        batchSize = try container.decode(Int.self, forKey: .batchSize)
        dropsLast = try container.decode(Bool.self, forKey: .dropsLast)
        epoch = try container.decode(Int.self, forKey: .epoch)
        position = try container.decode(Int.self, forKey: .position)
        epochGenerator = try container.decode(SeededGenerator.self, forKey: .epochGenerator)
        let consistent =
            !indices.isEmpty && batchSize >= 1 && epoch >= 0
            && (!dropsLast || batchSize <= indices.count)
            && (0..<indices.count).contains(position) && (!dropsLast || indices.count - position >= batchSize)
            && epochGenerator.state.count == 4
        guard consistent else {
            throw DecodingError.dataCorrupted(
                .init(
                    codingPath: decoder.codingPath,
                    debugDescription:
                        "BatchSampler: inconsistent state (\(indices.count) indices, batch size \(batchSize), "
                        + "epoch \(epoch), position \(position))"))
        }
        (order, nextGenerator) = Self.shuffle(indices, from: epochGenerator)
    }

    /// Saves the state (not the permutation, which is recomputed on restore).
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(indices, forKey: .indices)
        try container.encode(batchSize, forKey: .batchSize)
        try container.encode(dropsLast, forKey: .dropsLast)
        try container.encode(epoch, forKey: .epoch)
        try container.encode(position, forKey: .position)
        try container.encode(epochGenerator, forKey: .epochGenerator)
    }
}
