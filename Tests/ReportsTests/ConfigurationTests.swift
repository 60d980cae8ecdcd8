import Testing

@testable import Reports

@Suite("Configuration differences")
struct ConfigurationTests {
    static let runs: [ReportRun] = {
        var a = Fixtures.bare("a")
        var b = Fixtures.bare("b")
        var c = Fixtures.bare("c")
        a.config = ["lr": "0.001", "batch": "64", "optimizer": "adam", "seed": "1"]
        b.config = ["lr": "0.01", "batch": "64", "optimizer": "adam", "seed": "1"]
        c.config = ["lr": "0.001", "batch": "64", "optimizer": "adam"]
        // Parameters join the configuration; one only `a` and `b` logged differs.
        a.params = ["host": "gpu-01", "batch": "128"]
        b.params = ["host": "gpu-01"]
        c.params = ["host": "gpu-01"]
        return [a, b, c]
    }()

    @Test func exactlyTheDifferingKeysAreListed() {
        let (differing, identical) = ConfigurationSection.compare(Self.runs.map(\.settings))
        #expect(differing == ["lr", "seed"])
        #expect(identical == ["batch", "host", "optimizer"])
    }

    @Test func aKeyMissingFromOneRunDiffers() {
        let (differing, identical) = ConfigurationSection.compare([["a": "1", "b": "2"], ["a": "1"]])
        #expect(differing == ["b"] && identical == ["a"])
    }

    @Test func theTableShowsTheDifferingRowsAndFoldsTheRest() throws {
        let html = Fixtures.render(Self.runs)
        let start = try #require(html.range(of: "<section id=\"configuration\">")).lowerBound
        let end = try #require(html[start...].range(of: "</section>")).upperBound
        let document = try parseXML(String(html[start..<end]))
        #expect(document.all("h2").map(\.text) == ["Configuration differences"])
        #expect(document.all("table").count == 2)
        // Rows in document order: the differences' heading and rows, then the folded
        // table's heading and rows.
        let rows = document.all("tr").map(\.text)
        #expect(
            rows == [
                "Keyabc",
                "lr0.0010.010.001", "seed11\u{2014}",
                "KeyValue", "batch64", "hostgpu-01", "optimizeradam",
            ])
        // Both folded: the section's first line names the differing settings.
        #expect(document.all("summary").map(\.text) == ["The 2 differing settings, run by run", "3 identical keys"])
        #expect(document.all("p").first { $0.attributes["class"] == "meta" }?.text == "2 settings differ: lr, seed")
    }

    @Test func oneRunShowsItsWholeConfiguration() throws {
        var run = Fixtures.bare()
        run.config = ["b": "2", "a": "1"]
        run.params = ["c": "3"]
        let document = try parseXML(Fixtures.render([run]))
        #expect(document.all("h2").map(\.text).contains("Configuration"))
        let keys = document.all("code").map(\.text).filter { ["a", "b", "c"].contains($0) }
        #expect(keys == ["a", "b", "c"])
        #expect(document.all("summary").map(\.text).contains("3 settings"))
    }

    @Test func identicalRunsShowOnlyTheFoldedList() throws {
        var a = Fixtures.bare("a")
        var b = Fixtures.bare("b")
        a.config = ["lr": "0.1"]
        b.config = ["lr": "0.1"]
        let document = try parseXML(Fixtures.render([a, b]))
        #expect(document.all("summary").map(\.text).first == "1 identical key")
        #expect(document.all("h2").map(\.text) == ["Summary", "Configuration differences", "Run details"])
    }
}
