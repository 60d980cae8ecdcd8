import Testing

@testable import Reports

@Suite("Escaping")
struct EscapingTests {
    @Test(arguments: [
        ("&", "&amp;"), ("<", "&lt;"), (">", "&gt;"), ("\"", "&quot;"), ("'", "&#39;"),
    ])
    func eachSpecialCharacterIsEscaped(raw: String, escaped: String) {
        #expect(escapeHTML("a\(raw)b") == "a\(escaped)b")
    }

    @Test func allFiveTogetherAndTextAround() {
        #expect(
            escapeHTML(#"<a href="x">Tom & 'Jerry'</a>"#)
                == "&lt;a href=&quot;x&quot;&gt;Tom &amp; &#39;Jerry&#39;&lt;/a&gt;")
    }

    @Test func anAmpersandIsEscapedOnceEvenInsideAnEntity() {
        #expect(escapeHTML("&amp;") == "&amp;amp;")
    }

    @Test func plainAndNonASCIITextIsUnchanged() {
        for text in ["", "train.loss", "Größe — λ=0.1 ✓", "😀 emoji"] {
            #expect(escapeHTML(text) == text)
        }
    }

    /// XML 1.0 forbids these, so a name holding an escape sequence would otherwise make
    /// the whole report unparseable.
    @Test func controlCharactersForbiddenInXMLAreReplaced() {
        #expect(escapeHTML("a\u{1B}[31mb\u{0}") == "a\u{FFFD}[31mb\u{FFFD}")
        #expect(escapeHTML("tab\tnew\nline\r") == "tab\tnew\nline\r")
    }
}
