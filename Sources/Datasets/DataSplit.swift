import Tensors

/// Fixed, seeded splits of a dataset's indices.
public enum DataSplit {
    /// Holds out `validationCount` of the indices 0..<`count` at random for validation;
    /// the rest are for training. The same seed gives the same split on every machine.
    ///
    /// Both lists are sorted and together they cover 0..<`count` exactly once.
    public static func holdOut(count: Int, validationCount: Int = 5000, seed: UInt64)
        -> (train: [Int], validation: [Int])
    {
        precondition(
            count >= 0 && (0...count).contains(validationCount),
            "DataSplit.holdOut: cannot hold out \(validationCount) of \(count) indices")
        var generator = SeededGenerator(seed: seed)
        let order = generator.shuffled(Array(0..<count))
        return (order[validationCount...].sorted(), order[..<validationCount].sorted())
    }
}
