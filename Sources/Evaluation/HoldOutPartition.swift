import Tensors

/// The run's validation hold-out cut in two disjoint halves, the same way every time: the
/// calibration half fits the temperature and the OOD scores' in/out thresholds, the
/// conformal half fits the conformal prediction sets' thresholds, so that the guarantee of
/// the sets holds on data none of the other fits has seen.
public enum HoldOutPartition {
    /// The seed of the shuffle that cuts the hold-out (fixed: the halves must not change between commands).
    public static let seed: UInt64 = 20_261_207

    /// Indices into a hold-out of `count` images: a seeded shuffle, the first ⌈count / 2⌉ for calibration and
    /// the rest for conformal prediction.
    public static func split(count: Int) -> (calibration: [Int], conformal: [Int]) {
        var generator = SeededGenerator(seed: seed)
        let shuffled = Array(0..<count).shuffled(using: &generator)
        let half = (count + 1) / 2
        return (Array(shuffled[..<half]).sorted(), Array(shuffled[half...]).sorted())
    }
}
