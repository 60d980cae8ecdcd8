import Foundation
import Testing

@testable import Reports

@Suite("Line charts")
struct ChartTests {
    static func svg(_ values: [Double]...) -> String {
        let series = values.enumerated().map {
            LineChart.Series(name: "run \($0)", color: Palette.color($0), points: Fixtures.history($1))
        }
        return LineChart(title: "loss", series: series).svg()
    }

    /// The (x, y) pairs of each `<polyline>`, in order.
    static func polylines(_ svg: String) throws -> [[(x: Double, y: Double)]] {
        try parseXML(svg).all("polyline").map { line in
            let points = try #require(line.attributes["points"])
            return try points.split(separator: " ").map { pair in
                let xy = pair.split(separator: ",").compactMap { Double($0) }
                try #require(xy.count == 2, "bad pair \(pair)")
                return (xy[0], xy[1])
            }
        }
    }

    @Test func aNaNInTheMiddleBreaksTheLineInTwo() throws {
        let lines = try Self.polylines(Self.svg([1, 2, 3, .nan, 4, 5, 6]))
        #expect(lines.map(\.count) == [3, 3])
        // The gap spans the missing step: the second segment starts one step further on.
        let stepWidth = lines[0][1].x - lines[0][0].x
        #expect(abs(lines[1][0].x - lines[0][2].x - 2 * stepWidth) < 0.2)
    }

    @Test func infinitiesBreakTheLineToo() throws {
        let lines = try Self.polylines(Self.svg([1, 2, .infinity, 3, 4, -.infinity, 5, 6]))
        #expect(lines.map(\.count) == [2, 2, 2])
    }

    @Test func aLonePointIsADot() throws {
        let svg = Self.svg([1, .nan, 2, 3])
        let document = try parseXML(svg)
        #expect(document.all("polyline").count == 1)
        #expect(document.all("circle").count == 1)
        #expect(try parseXML(Self.svg([7])).all("circle").count == 1)
    }

    @Test func aConstantSeriesIsAFlatLineInsideThePlot() throws {
        let svg = Self.svg([0.5, 0.5, 0.5, 0.5])
        #expect(!svg.lowercased().contains("nan") && !svg.lowercased().contains("inf"))
        let line = try #require(try Self.polylines(svg).first)
        #expect(line.count == 4)
        #expect(Set(line.map(\.y)).count == 1)
        let y = try #require(line.first?.y)
        #expect(y > 0 && y < LineChart.height)
    }

    @Test func anAllNaNSeriesDrawsNoLineButAValidChart() throws {
        let document = try parseXML(Self.svg([.nan, .nan]))
        #expect(document.all("polyline").isEmpty && document.all("circle").isEmpty)
        #expect(document.all("text").count >= 8)
    }

    @Test func runsGetTheirOwnColours() throws {
        let groups = try parseXML(Self.svg([1, 2], [2, 1], [3, 3])).all("g").compactMap { $0.attributes["stroke"] }
        #expect(groups == [Palette.color(0), Palette.color(1), Palette.color(2)])
    }

    @Test func ticksAreLabelledOnBothAxes() throws {
        let svg = Self.svg((0...2000).map { 1 + Double($0) / 2000 })
        let labels = try parseXML(svg).all("text").map(\.text)
        #expect(labels.contains("0") && labels.contains("1000") && labels.contains("2000"))
        #expect(labels.contains("1.0") && labels.contains("2.0"))
        #expect(labels.contains("step"))
    }

    @Test func aLongHistoryIsThinnedButKeepsItsSpike() throws {
        var values = (0..<10_000).map { 1 + 0.1 * sin(Double($0) / 50) }
        values[6_789] = 40
        let line = try #require(try Self.polylines(Self.svg(values)).first)
        #expect(line.count <= 2000)
        // The spike is the top of the data, so it reaches the top of the plot.
        let highest = try #require(line.map(\.y).min())
        #expect(highest < 30)
    }
}
