import Foundation
import Testing

@testable import Reports
@testable import RunLog

/// A report of runs whose every user-given string is hostile markup, read back from a real
/// run store as `joule report` reads it: the document stays well-formed, holds only the
/// elements and attributes the report itself writes, and shows each string as text.
@Suite struct HostileRunReportTests {
    static let payloads = [
        #"<script>alert("x")</script>"#,
        #"<img src=x onerror=alert(1)>"#,
        #"" onmouseover="alert(1)" x=""#,
        #"' onfocus='alert(1)' autofocus='"#,
        "</style><svg onload=alert(1)>",
        "javascript:alert(1)",
        "]]><!-- -->&amp;&#x3C;",
    ]

    /// A store holding one run per string in `texts`, each string in every field a user
    /// sets; the report `joule report` would write of it.
    func report(of texts: [String], in folder: URL) throws -> String {
        let store = try RunStore(path: folder.appendingPathComponent("runs.sqlite").path)
        for (i, text) in texts.enumerated() {
            let id = "run-\(i)"
            try store.createRun(
                NewRun(
                    id: id, name: text, experiment: text, objective: "jem", model: text, dataset: "png:\(text)",
                    config: #"{"note": "\#(text.replacingOccurrences(of: "\"", with: "\\\""))"}"#,
                    params: [text: text, "lr": "0.1"], tags: [text: text]))
            try store.logMetrics(
                [
                    MetricRecord(key: text, step: 1, value: 1), MetricRecord(key: text, step: 2, value: 2),
                    MetricRecord(key: "train/loss", step: 2, value: 0.5),
                ], for: id)
            try store.recordMeasurement(
                NewMeasurement(
                    kind: .evaluation, checkpoint: text, calibrator: text, inDataset: text,
                    settings: text),
                values: [EvaluationRecord(dataset: text, score: text, metric: "auroc", value: 0.9, settings: text)],
                for: id)
            try store.endRun(id: id, status: .failed, reason: text)
        }
        let runs = try store.runs(orderedBy: RunOrdering.parse("attributes.id")).map { try ReportRun($0, in: store) }
        return HTMLReport.render(runs, title: texts[0], generatedAt: Date(timeIntervalSince1970: 0))
    }

    /// Element names, each with its attribute names.
    func shape(_ document: ParsedDocument) -> [String] {
        document.elements.map { $0.name + "[" + $0.attributes.keys.sorted().joined(separator: " ") + "]" }
    }

    @Test func everyStringRendersInert() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("joule-hostile-\(UUID().uuidString)")
        try FileManager.default.createDirectory(
            at: folder.appendingPathComponent("benign"), withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let html = try report(of: Self.payloads, in: folder)
        let benign = try report(
            of: Self.payloads.indices.map { "benign-\($0)" }, in: folder.appendingPathComponent("benign"))

        for text in Self.payloads where text.contains("<") || text.contains("\"") {
            #expect(!html.contains(text), "raw in the report: \(text)")
        }
        let document = try parseXML(html)
        // The hostile strings change no element and no attribute: the document has the
        // shape of the same report with harmless names.
        // (Sorted: the hostile names sort differently among the params, so rows change places.)
        let (hostileShape, benignShape) = (shape(document).sorted(), shape(try parseXML(benign)).sorted())
        #expect(
            hostileShape == benignShape,
            "elements differ: \(Set(hostileShape).symmetricDifference(benignShape).sorted())")
        #expect(document.all("script").isEmpty && document.all("img").isEmpty)
        for element in document.elements {
            for (attribute, value) in element.attributes {
                #expect(!attribute.lowercased().hasPrefix("on"), "event handler \(attribute) on <\(element.name)>")
                if ["href", "src", "action", "xlink:href"].contains(attribute) {
                    #expect(
                        !value.lowercased().contains("javascript:"), "script URL in \(attribute) on <\(element.name)>")
                }
            }
        }
        // Escaped, not dropped: each payload comes back as text.
        for text in Self.payloads { #expect(document.text.contains(text), "missing from the text: \(text)") }
    }
}
