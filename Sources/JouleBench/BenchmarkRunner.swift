import Foundation

/// One measured benchmark: the median of repeated timings.
public struct BenchmarkResult: Codable, Sendable {
    /// Stable name, e.g. `cnn-s.forward_input_gradient.b64`.
    public var name: String
    /// Median wall time of one repetition, in milliseconds.
    public var medianMilliseconds: Double
    /// Fastest repetition, in milliseconds.
    public var minimumMilliseconds: Double
    /// Number of timed repetitions.
    public var repetitions: Int
    /// Nominal floating-point rate at the median, when the work has a FLOP count.
    public var gflops: Double?
    /// Free-form detail (e.g. the oneDNN implementation used).
    public var note: String?

    enum CodingKeys: String, CodingKey {
        case name, repetitions, gflops, note
        case medianMilliseconds = "median_ms"
        case minimumMilliseconds = "min_ms"
    }
}

/// A benchmark: a name, its work per repetition in FLOP (if any), and a body to time.
public struct Benchmark: Sendable {
    /// Stable name, e.g. `cnn-s.forward_input_gradient.b64`, reported as `BenchmarkResult.name`.
    public var name: String
    /// Floating-point operations per repetition, for the GFLOP/s figure; nil when the work has no FLOP count.
    public var flops: Double?
    /// Free-form detail carried into the result (e.g. the oneDNN implementation used).
    public var note: String?
    /// Divides each timing (e.g. per-op figures from a chain of many ops).
    public var unitsPerRepetition: Double = 1
    /// Prepares state and returns the closure to time.
    public var setUp: @Sendable () -> (() -> Void)
    /// Instead of timing `setUp`'s closure whole: prepares state and returns a closure that
    /// runs one repetition and reports the part of it that counts (milliseconds, and the
    /// FLOP done in that part), for figures such as "the convolutions inside a JEM iteration".
    public var setUpPart: (@Sendable () -> PartBody)?
    /// One timed repetition of a part benchmark: the milliseconds of the part that counts and the FLOP done in it.
    public typealias PartBody = () -> (milliseconds: Double, flops: Double)

    /// A benchmark that times `setUp`'s returned closure whole, each repetition doing `flops` FLOP.
    public init(name: String, flops: Double?, note: String? = nil, setUp: @escaping @Sendable () -> (() -> Void)) {
        self.name = name
        self.flops = flops
        self.note = note
        self.setUp = setUp
    }

    init(name: String, note: String?, setUpPart: @escaping @Sendable () -> PartBody) {
        self.name = name
        self.flops = nil
        self.note = note
        self.setUp = { {} }
        self.setUpPart = Optional(setUpPart)
    }

    /// A benchmark that records a part of each repetition, timed by the body itself.
    public static func part(
        name: String, note: String?,
        setUp: @escaping @Sendable () -> PartBody
    ) -> Benchmark {
        Benchmark(name: name, note: note, setUpPart: setUp)
    }
}

/// Times benchmarks: warm-up, then repetitions until `minimumSeconds` have passed and at
/// least `minimumRepetitions` were taken; reports medians, which resist the noise of a
/// shared machine better than means.
public struct BenchmarkRunner: Sendable {
    /// The least wall time, in seconds, of the timed repetitions: they go on until it has passed.
    public var minimumSeconds: Double
    /// The least number of timed repetitions, however long they take (at most 10,000 are taken in all).
    public var minimumRepetitions: Int
    /// Untimed repetitions before timing starts; warm-up also lasts at least 0.3 s.
    public var warmUpRepetitions: Int

    /// A runner with the given minimums (by default 2 s, 10 timed and 3 warm-up repetitions).
    public init(minimumSeconds: Double = 2, minimumRepetitions: Int = 10, warmUpRepetitions: Int = 3) {
        self.minimumSeconds = minimumSeconds
        self.minimumRepetitions = minimumRepetitions
        self.warmUpRepetitions = warmUpRepetitions
    }

    /// Warms `benchmark` up, times its repetitions and returns the median, minimum and GFLOP/s at the median.
    public func run(_ benchmark: Benchmark) -> BenchmarkResult {
        let body: () -> (milliseconds: Double, flops: Double?) =
            benchmark.setUpPart?()
            ?? {
                let whole = benchmark.setUp()
                return {
                    let t0 = DispatchTime.now().uptimeNanoseconds
                    whole()
                    return (Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e6, benchmark.flops)
                }
            }()
        // Warm up by count and by time: thread pools, plans and the buffer pool settle.
        let warmStart = DispatchTime.now().uptimeNanoseconds
        var warmed = 0
        while warmed < warmUpRepetitions || DispatchTime.now().uptimeNanoseconds - warmStart < 300_000_000 {
            _ = body()
            warmed += 1
        }
        var times: [Double] = []
        var work: [Double] = []
        let start = DispatchTime.now().uptimeNanoseconds
        while times.count < minimumRepetitions
            || Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9 < minimumSeconds
        {
            let (milliseconds, flops) = body()
            times.append(milliseconds / benchmark.unitsPerRepetition)
            if let flops { work.append(flops) }
            if times.count >= 10_000 { break }
        }
        times.sort()
        let median =
            times.count % 2 == 1
            ? times[times.count / 2]
            : (times[times.count / 2 - 1] + times[times.count / 2]) / 2
        // Work per repetition is the same every time for these benchmarks; the median guards
        // against the odd one that differs.
        // No rate without work or time (a part that did not occur gives 0 ms): JSON has no ∞.
        let flops = work.isEmpty || median <= 0 ? nil : work.sorted()[work.count / 2]
        return BenchmarkResult(
            name: benchmark.name, medianMilliseconds: median, minimumMilliseconds: times[0],
            repetitions: times.count,
            gflops: flops.flatMap { $0 > 0 ? $0 / benchmark.unitsPerRepetition / (median / 1e3) / 1e9 : nil },
            note: benchmark.note)
    }
}

/// Output of `joule bench`.
public enum BenchmarkReport {
    /// `{"results": [...]}` with stable keys.
    public static func json(_ results: [BenchmarkResult], metadata: [String: String]) throws -> String {
        struct Document: Codable {
            var metadata: [String: String]
            var results: [BenchmarkResult]
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        return String(decoding: try encoder.encode(Document(metadata: metadata, results: results)), as: UTF8.self)
    }

    /// The table's header line (the columns `tableRow` fills).
    public static func tableHeader() -> String {
        pad("benchmark", 40) + pad("median ms", 12, right: true) + pad("min ms", 12, right: true)
            + pad("GFLOP/s", 10, right: true) + pad("reps", 7, right: true) + "  note"
    }

    /// `r` as one line aligned under `tableHeader()`: name, median and minimum ms, GFLOP/s, repetitions, note.
    public static func tableRow(_ r: BenchmarkResult) -> String {
        pad(r.name, 40) + pad(format(r.medianMilliseconds), 12, right: true)
            + pad(format(r.minimumMilliseconds), 12, right: true)
            + pad(r.gflops.map { String(format: "%.1f", $0) } ?? "-", 10, right: true)
            + pad("\(r.repetitions)", 7, right: true) + "  " + (r.note ?? "")
    }

    static func format(_ ms: Double) -> String {
        ms >= 100 ? String(format: "%.1f", ms) : ms >= 1 ? String(format: "%.3f", ms) : String(format: "%.5f", ms)
    }

    static func pad(_ s: String, _ width: Int, right: Bool = false) -> String {
        let fill = String(repeating: " ", count: max(0, width - s.count))
        return right ? fill + s : s + fill
    }
}
