import Testing

@testable import Datasets

/// Hold-out splits are fixed by their seed, disjoint and complete.
@Suite struct DataSplitTests {
    @Test func splitIsDisjointCompleteAndSorted() {
        let (train, validation) = DataSplit.holdOut(count: 1000, validationCount: 150, seed: 7)
        #expect(train.count == 850 && validation.count == 150)
        #expect(Set(train).isDisjoint(with: validation))
        #expect((train + validation).sorted() == Array(0..<1000))
        #expect(train == train.sorted() && validation == validation.sorted())
    }

    @Test func sameSeedSameSplitOtherSeedOtherSplit() {
        let first = DataSplit.holdOut(count: 60_000, seed: 42)
        let again = DataSplit.holdOut(count: 60_000, seed: 42)
        let other = DataSplit.holdOut(count: 60_000, seed: 43)
        #expect(first.validation.count == 5000)
        #expect(first.validation == again.validation && first.train == again.train)
        #expect(first.validation != other.validation)
    }

    @Test func validationIsSpreadOverTheRange() {
        // A shuffled hold-out, not the first or last block: each tenth of the range holds
        // about a tenth of it (binomial sd ≈ 21 of 500).
        let validation = DataSplit.holdOut(count: 50_000, validationCount: 5000, seed: 1).validation
        for decile in 0..<10 {
            let inside = validation.filter { $0 / 5000 == decile }.count
            #expect(abs(inside - 500) < 100, "decile \(decile) holds \(inside)")
        }
    }

    @Test func edgeCounts() {
        #expect(DataSplit.holdOut(count: 5, validationCount: 0, seed: 0) == (train: [0, 1, 2, 3, 4], validation: []))
        #expect(DataSplit.holdOut(count: 3, validationCount: 3, seed: 0).validation == [0, 1, 2])
    }
}
