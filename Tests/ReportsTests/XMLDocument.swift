import Foundation

#if canImport(FoundationXML)
    import FoundationXML
#endif

/// The elements of a parsed report, in document order, with the text inside each.
struct ParsedDocument {
    struct Element {
        var name: String
        var attributes: [String: String]
        /// All text inside the element, entities decoded.
        var text: String
    }

    var elements: [Element]

    /// The elements named `name`.
    func all(_ name: String) -> [Element] { elements.filter { $0.name == name } }

    /// The decoded text of the whole document.
    var text: String { elements.first?.text ?? "" }
}

/// Why a report did not parse as XML.
struct XMLParseFailure: Error, CustomStringConvertible {
    var description: String
}

/// Parses `html` with Foundation's `XMLParser`, which rejects anything not well-formed
/// (an unclosed element, a bare `&`, an undefined entity, a forbidden character).
func parseXML(_ html: String) throws -> ParsedDocument {
    let parser = XMLParser(data: Data(html.utf8))
    let collector = ElementCollector()
    parser.delegate = collector
    guard parser.parse() else {
        let reason = parser.parserError.map { "\($0)" } ?? "unknown error"
        throw XMLParseFailure(description: "line \(parser.lineNumber), column \(parser.columnNumber): \(reason)")
    }
    return ParsedDocument(elements: collector.elements)
}

private final class ElementCollector: NSObject, XMLParserDelegate {
    var elements: [ParsedDocument.Element] = []
    private var open: [Int] = []

    func parser(
        _ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?,
        qualifiedName qName: String?, attributes attributeDict: [String: String] = [:]
    ) {
        open.append(elements.count)
        elements.append(.init(name: elementName, attributes: attributeDict, text: ""))
    }

    func parser(
        _ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?,
        qualifiedName qName: String?
    ) {
        open.removeLast()
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) {
        for index in open { elements[index].text += string }
    }
}
