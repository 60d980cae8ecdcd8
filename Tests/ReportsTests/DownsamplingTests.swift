import Foundation
import Testing

@testable import Reports

@Suite("Downsampling")
struct DownsamplingTests {
    @Test func shortHistoriesAreUnchanged() {
        let points = Fixtures.history((0..<2000).map(Double.init))
        #expect(downsampled(points) == points)
    }

    @Test func itKeepsTheExtremesAndTheEnds() {
        var values = (0..<10_000).map { sin(Double($0) / 100) }
        values[777] = -1000
        values[5_432] = 1000
        let points = Fixtures.history(values, stepSize: 10)
        let thinned = downsampled(points)
        #expect(thinned.count <= 2000 && thinned.count >= 1000)
        #expect(thinned.contains(MetricPoint(step: 7_770, value: -1000)))
        #expect(thinned.contains(MetricPoint(step: 54_320, value: 1000)))
        #expect(thinned.first == points.first && thinned.last == points.last)
        #expect(zip(thinned, thinned.dropFirst()).allSatisfy { $0.step < $1.step })
        // Every bucket's range survives, so the curve's envelope is the same.
        #expect(thinned.map(\.value).max() == 1000 && thinned.map(\.value).min() == -1000)
    }

    @Test func aNonFiniteValueStillBreaksTheThinnedLine() {
        var values = (0..<5000).map { Double($0) }
        values[2500] = .nan
        let thinned = downsampled(Fixtures.history(values))
        #expect(thinned.count { $0.value.isNaN } == 1)
        #expect(finiteSegments(thinned).count == 2)
    }

    @Test func segmentsSplitAtEveryNonFiniteRun() {
        let segments = finiteSegments(Fixtures.history([.nan, 1, 2, .nan, .nan, 3, .infinity]))
        #expect(segments.map { $0.map(\.value) } == [[1, 2], [3]])
        #expect(finiteSegments([]).isEmpty)
    }
}

@Suite("Long histories")
struct LongHistoryTests {
    /// Three runs of 100,000 steps: every curve is thinned, so the file stays small.
    @Test func theReportStaysSmall() throws {
        let runs = (0..<3).map { index in
            var run = Fixtures.bare("run \(index)")
            run.metricHistory = [
                "loss": Fixtures.history((0..<100_000).map { 1 / (1 + Double($0) / 1000) + Double(index) })
            ]
            return run
        }
        let html = Fixtures.render(runs)
        #expect(html.utf8.count < 150_000, "\(html.utf8.count) bytes")
        #expect(try parseXML(html).all("polyline").count == 3)
    }
}
