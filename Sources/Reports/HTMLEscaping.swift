/// Escapes text for HTML element content and quoted attribute values.
///
/// The report must be well-formed XML as well as HTML, so besides the five special
/// characters (`&`, `<`, `>`, `"`, `'`) it replaces the control characters XML 1.0
/// forbids (everything below U+0020 except tab, line feed and carriage return, and
/// U+FFFE/U+FFFF) with U+FFFD: a run name holding an escape sequence must not make the
/// whole report unreadable. `'` becomes `&#39;` because `&apos;` is not HTML 4.
func escapeHTML(_ text: String) -> String {
    guard text.unicodeScalars.contains(where: needsEscaping) else { return text }
    var escaped = ""
    escaped.reserveCapacity(text.utf8.count + 16)
    for scalar in text.unicodeScalars {
        switch scalar {
        case "&": escaped += "&amp;"
        case "<": escaped += "&lt;"
        case ">": escaped += "&gt;"
        case "\"": escaped += "&quot;"
        case "'": escaped += "&#39;"
        case _ where isForbiddenInXML(scalar): escaped += "\u{FFFD}"
        default: escaped.unicodeScalars.append(scalar)
        }
    }
    return escaped
}

private func needsEscaping(_ scalar: Unicode.Scalar) -> Bool {
    switch scalar {
    case "&", "<", ">", "\"", "'": true
    default: isForbiddenInXML(scalar)
    }
}

private func isForbiddenInXML(_ scalar: Unicode.Scalar) -> Bool {
    switch scalar.value {
    case 0x09, 0x0A, 0x0D: false
    case 0..<0x20, 0xFFFE, 0xFFFF: true
    default: false
    }
}
