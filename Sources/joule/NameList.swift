import ArgumentParser

/// A comma-separated list of names on the command line; "none" gives an empty list.
enum NameList {
    static func parse<T: CustomStringConvertible>(_ text: String, what: String, help: String, parse: (String) -> T?)
        throws -> [T]
    {
        if text == "none" { return [] }
        var seen = Set<String>()
        return try text.split(separator: ",").map { raw in
            let name = raw.trimmingCharacters(in: .whitespaces)
            guard let value = parse(name) else { throw ValidationError("unknown \(what) '\(name)' (expected \(help))") }
            // Names are canonical ("energy@1" is "energy"), so a repeat is caught however spelled.
            guard seen.insert(value.description).inserted else {
                throw ValidationError("\(what) '\(name)' is given twice")
            }
            return value
        }
    }
}
