import Foundation
import Testing

@testable import Reports

/// Writes the realistic two-run report to `$REPORT_DEMO` for a look in a browser
/// (`scripts/check-report.sh`); skipped unless that variable is set.
@Test(.enabled(if: ProcessInfo.processInfo.environment["REPORT_DEMO"] != nil))
func writeDemoReport() throws {
    let path = try #require(ProcessInfo.processInfo.environment["REPORT_DEMO"])
    let html = HTMLReport.render(
        Fixtures.realisticPair(), title: "Fashion-MNIST baselines",
        generatedAt: Fixtures.generatedAt)
    try Data(html.utf8).write(to: URL(fileURLWithPath: path))
}
