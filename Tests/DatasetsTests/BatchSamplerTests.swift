import Foundation
import Testing

@testable import Datasets

/// The sampler deals every index once per epoch, in an order fixed by its seed, and
/// resumes from saved state exactly where it stopped.
@Suite struct BatchSamplerTests {
    @Test func everyIndexOncePerEpoch() {
        let pool = Array(stride(from: 3, to: 103, by: 1))  // 100 indices, not starting at 0
        var sampler = BatchSampler(indices: pool, batchSize: 32, seed: 5)
        #expect(sampler.batchesPerEpoch == 4)
        var previous: [Int] = []
        for epoch in 0..<3 {
            #expect(sampler.epoch == epoch && sampler.position == 0)
            var dealt: [Int] = []
            var sizes: [Int] = []
            while sampler.epoch == epoch {
                let batch = sampler.nextBatch()
                dealt += batch
                sizes.append(batch.count)
            }
            #expect(sizes == [32, 32, 32, 4])
            #expect(dealt.sorted() == pool)
            #expect(dealt != pool && dealt != previous)  // shuffled, and afresh each epoch
            previous = dealt
        }
    }

    @Test func dropsLastKeepsBatchesFull() {
        var sampler = BatchSampler(count: 10, batchSize: 4, dropsLast: true, seed: 1)
        #expect(sampler.batchesPerEpoch == 2)
        let sizes = (0..<6).map { _ in sampler.nextBatch().count }
        #expect(sizes == [4, 4, 4, 4, 4, 4])
        #expect(sampler.epoch == 3)
    }

    @Test func sameSeedSameBatchesOtherSeedOtherBatches() {
        var a = BatchSampler(count: 50, batchSize: 8, seed: 9)
        var b = BatchSampler(count: 50, batchSize: 8, seed: 9)
        var c = BatchSampler(count: 50, batchSize: 8, seed: 10)
        let fromA = (0..<20).map { _ in a.nextBatch() }
        #expect(fromA == (0..<20).map { _ in b.nextBatch() })
        #expect(fromA != (0..<20).map { _ in c.nextBatch() })
    }

    @Test(arguments: [0, 3, 6, 7, 13])
    func resumesExactlyFromSavedState(stepsBeforeSaving: Int) throws {
        var original = BatchSampler(count: 45, batchSize: 7, seed: 123)
        for _ in 0..<stepsBeforeSaving { _ = original.nextBatch() }
        let saved = try JSONEncoder().encode(original)
        var restored = try JSONDecoder().decode(BatchSampler.self, from: saved)
        #expect(restored == original)
        #expect(restored.epoch == original.epoch && restored.position == original.position)
        let expected = (0..<25).map { _ in original.nextBatch() }
        #expect((0..<25).map { _ in restored.nextBatch() } == expected)
    }

    @Test func inconsistentSavedStateIsRefused() throws {
        var sampler = BatchSampler(count: 10, batchSize: 3, seed: 0)
        _ = sampler.nextBatch()
        var object = try #require(JSONSerialization.jsonObject(with: JSONEncoder().encode(sampler)) as? [String: Any])
        object["position"] = 11
        let corrupted = try JSONSerialization.data(withJSONObject: object)
        #expect(throws: DecodingError.self) { try JSONDecoder().decode(BatchSampler.self, from: corrupted) }
    }
}
