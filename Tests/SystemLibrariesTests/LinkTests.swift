import CDNNL
import COpenBLAS
import CPNG
import CSQLite
import CZlib
import Testing

/// Every system-library target imports, links and answers with a plausible version.
@Suite struct SystemLibraryLinkTests {
    @Test func openBLASMultiplies() {
        let a: [Float] = [1, 2, 3, 4]
        let b: [Float] = [5, 6, 7, 8]
        var c = [Float](repeating: 0, count: 4)
        cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, 2, 2, 2, 1, a, 2, b, 2, 0, &c, 2)
        #expect(c == [19, 22, 43, 50])
    }

    @Test func oneDNNIsVersionTwo() {
        let version = dnnl_version()!.pointee
        #expect(version.major >= 2)
    }

    @Test func libpngZlibAndSQLiteReportVersions() {
        #expect(png_access_version_number() >= 10600)
        #expect(String(cString: zlibVersion()).hasPrefix("1."))
        #expect(sqlite3_libversion_number() >= 3_035_000)
    }
}
