/// Tokens of filter and ordering expressions, each with its character offset.
struct RunFilterToken: Equatable {
    enum Kind: Equatable {
        case word(String)  // identifiers, dotted field names, and/or/asc/desc
        case number(Double)
        case string(String)
        case comparison(RunFilter.ComparisonOperator)
        case openParenthesis, closeParenthesis, comma, end
    }

    let kind: Kind
    let position: Int
    let text: String
}

/// Splits an expression into tokens.
struct RunFilterLexer {
    static func tokens(of text: String) throws -> [RunFilterToken] {
        let characters = Array(text)
        var tokens: [RunFilterToken] = []
        var i = 0
        func fail(_ message: String, _ at: Int) -> RunFilterError { RunFilterError(message, at: at, in: text) }
        while i < characters.count {
            let c = characters[i]
            let start = i
            if c.isWhitespace {
                i += 1
                continue
            }
            switch c {
            case "(":
                tokens.append(.init(kind: .openParenthesis, position: i, text: "("))
                i += 1
            case ")":
                tokens.append(.init(kind: .closeParenthesis, position: i, text: ")"))
                i += 1
            case ",":
                tokens.append(.init(kind: .comma, position: i, text: ","))
                i += 1
            case "=", "!", "<", ">":
                let next: Character? = i + 1 < characters.count ? characters[i + 1] : nil
                let two = next.map { String([c, $0]) } ?? String(c)
                let op: RunFilter.ComparisonOperator?
                switch two {
                case "==": op = .equal
                case "!=", "<>": op = .notEqual
                case "<=": op = .lessOrEqual
                case ">=": op = .greaterOrEqual
                default: op = nil
                }
                if let op {
                    tokens.append(.init(kind: .comparison(op), position: i, text: two))
                    i += 2
                } else if c == "!" {
                    throw fail("'!' must be followed by '='", i)
                } else {
                    let single: RunFilter.ComparisonOperator = c == "=" ? .equal : c == "<" ? .less : .greater
                    tokens.append(.init(kind: .comparison(single), position: i, text: String(c)))
                    i += 1
                }
            case "'", "\"":
                var value = ""
                i += 1
                var closed = false
                while i < characters.count {
                    if characters[i] == c {
                        // A doubled quote stands for one quote character, as in SQL.
                        if i + 1 < characters.count && characters[i + 1] == c {
                            value.append(c)
                            i += 2
                            continue
                        }
                        closed = true
                        i += 1
                        break
                    }
                    value.append(characters[i])
                    i += 1
                }
                guard closed else { throw fail("unterminated string (missing \(c))", start) }
                tokens.append(.init(kind: .string(value), position: start, text: String(characters[start..<i])))
            default:
                if c.isNumber
                    || ((c == "-" || c == "+" || c == ".") && i + 1 < characters.count
                        && (characters[i + 1].isNumber || characters[i + 1] == "."))
                {
                    i += 1
                    while i < characters.count,
                        characters[i].isNumber || "._eE".contains(characters[i])
                            || ((characters[i] == "-" || characters[i] == "+") && "eE".contains(characters[i - 1]))
                    {
                        i += 1
                    }
                    let word = String(characters[start..<i]).replacingOccurrences(of: "_", with: "")
                    guard let value = Double(word) else {
                        throw fail("'\(String(characters[start..<i]))' is not a number", start)
                    }
                    tokens.append(.init(kind: .number(value), position: start, text: String(characters[start..<i])))
                } else if isWordCharacter(c) {
                    while i < characters.count, isWordCharacter(characters[i]) { i += 1 }
                    let word = String(characters[start..<i])
                    tokens.append(.init(kind: .word(word), position: start, text: word))
                } else if c == "`" {
                    // Back-quoted names hold any characters: metrics.`val loss`; a doubled
                    // back quote stands for one, as quotes do in strings.
                    i += 1
                    var word = ""
                    var closed = false
                    while i < characters.count {
                        if characters[i] == "`" {
                            if i + 1 < characters.count && characters[i + 1] == "`" {
                                word.append("`")
                                i += 2
                                continue
                            }
                            closed = true
                            i += 1
                            break
                        }
                        word.append(characters[i])
                        i += 1
                    }
                    guard closed else { throw fail("unterminated name (missing `)", start) }
                    if case .word(let previous)? = tokens.last?.kind, previous.hasSuffix("."),
                        let last = tokens.popLast()
                    {
                        tokens.append(
                            .init(kind: .word(previous + word), position: last.position, text: previous + word))
                    } else {
                        tokens.append(.init(kind: .word(word), position: start, text: word))
                    }
                } else {
                    throw fail("unexpected character '\(c)'", i)
                }
            }
        }
        tokens.append(.init(kind: .end, position: characters.count, text: ""))
        return tokens
    }

    static func isWordCharacter(_ c: Character) -> Bool {
        c.isLetter || c.isNumber || "_./:-@".contains(c)
    }
}

/// Recursive descent over the tokens: or → and → primary.
struct RunFilterParser {
    let text: String
    private var tokens: [RunFilterToken] = []
    private var index = 0
    private var lexError: RunFilterError?
    private var depth = 0
    private var comparisons = 0

    /// Most parentheses open at once, and most comparisons in one filter: far beyond what a
    /// person writes, well within what SQLite parses (a filter of thousands of comparisons
    /// overflowed its parser stack — found by `scripts/fuzz.sh filter`).
    static let maximumDepth = 20, maximumComparisons = 200

    init(text: String) {
        self.text = text
        do { tokens = try RunFilterLexer.tokens(of: text) } catch let error as RunFilterError { lexError = error } catch
        {}
    }

    mutating func parseExpression() throws -> RunFilter {
        if let lexError { throw lexError }
        if case .end = current.kind { throw fail("the expression is empty") }
        let filter = try parseOr()
        guard case .end = current.kind else { throw fail("expected 'and', 'or' or the end, found '\(current.text)'") }
        return filter
    }

    private var current: RunFilterToken { tokens[index] }

    private func fail(_ message: String, at position: Int? = nil) -> RunFilterError {
        RunFilterError(message, at: position ?? current.position, in: text)
    }

    private mutating func keyword(_ word: String) -> Bool {
        if case .word(let w) = current.kind, w.lowercased() == word {
            index += 1
            return true
        }
        return false
    }

    private mutating func parseOr() throws -> RunFilter {
        var left = try parseAnd()
        while keyword("or") { left = .or(left, try parseAnd()) }
        return left
    }

    private mutating func parseAnd() throws -> RunFilter {
        var left = try parsePrimary()
        while keyword("and") { left = .and(left, try parsePrimary()) }
        return left
    }

    private mutating func parsePrimary() throws -> RunFilter {
        if case .openParenthesis = current.kind {
            let open = current.position
            depth += 1
            guard depth <= Self.maximumDepth else {
                throw fail("parentheses nest more than \(Self.maximumDepth) deep")
            }
            index += 1
            let inner = try parseOr()
            depth -= 1
            guard case .closeParenthesis = current.kind else {
                throw fail("expected ')' to close the '(' at position \(open + 1)")
            }
            index += 1
            return inner
        }
        comparisons += 1
        guard comparisons <= Self.maximumComparisons else {
            throw fail("more than \(Self.maximumComparisons) comparisons in one filter")
        }
        let field = try parseField(&index, tokens: tokens, text: text)
        let op: RunFilter.ComparisonOperator
        if case .comparison(let o) = current.kind {
            op = o
        } else if keyword("like") {
            index -= 1
            op = .like
        } else {
            throw fail("expected a comparison (=, !=, <, <=, >, >=, like) after '\(field.description)'")
        }
        index += 1
        let literalPosition = current.position
        let literal: RunFilter.Literal
        switch current.kind {
        case .number(let v): literal = .number(v)
        case .string(let s): literal = .string(s)
        case .word(let w) where ["nan", "inf", "+inf", "-inf"].contains(w.lowercased()):
            throw fail("NaN and infinities are not comparable values", at: literalPosition)
        default: throw fail("expected a number or a quoted string after '\(op.rawValue)'")
        }
        index += 1
        try RunFilterTypes.check(field, op, literal, at: literalPosition, in: text)
        return .comparison(field, op, literal)
    }
}

/// Parses `namespace.key` at `index`.
func parseField(_ index: inout Int, tokens: [RunFilterToken], text: String) throws -> RunField {
    let token = tokens[index]
    guard case .word(let word) = token.kind else {
        throw RunFilterError(
            "expected a field such as metrics.train/loss or params.lr, found '\(token.text)'", at: token.position,
            in: text)
    }
    guard let dot = word.firstIndex(of: "."), let namespace = RunField.namespace(named: String(word[..<dot])) else {
        throw RunFilterError(
            "'\(word)' is not a field: write metrics.NAME, params.NAME, tags.NAME or attributes.NAME",
            at: token.position, in: text)
    }
    let key = String(word[word.index(after: dot)...])
    guard !key.isEmpty else {
        throw RunFilterError("missing name after '\(word)'", at: token.position + word.count, in: text)
    }
    if namespace == .attributes, RunField.Attribute(rawValue: key) == nil {
        let known = RunField.Attribute.allCases.map(\.rawValue).joined(separator: ", ")
        throw RunFilterError(
            "unknown attribute '\(key)' (known: \(known))",
            at: token.position + word.distance(from: word.startIndex, to: dot) + 1, in: text)
    }
    index += 1
    return RunField(namespace: namespace, key: key)
}

/// Which literals each kind of field compares with.
enum RunFilterTypes {
    static func check(
        _ field: RunField, _ op: RunFilter.ComparisonOperator, _ literal: RunFilter.Literal,
        at position: Int, in text: String
    ) throws {
        let numeric: Bool
        switch field.namespace {
        case .metrics: numeric = true
        case .attributes: numeric = RunField.Attribute(rawValue: field.key)?.isNumeric ?? false
        case .params, .tags: return
        }
        if op == .like, numeric {
            throw RunFilterError("'like' compares text, and \(field.description) is a number", at: position, in: text)
        }
        if numeric, case .string(let s) = literal {
            if field.namespace == .attributes, RunField.Attribute(rawValue: field.key)?.isTime == true,
                RunTime.parse(s) != nil
            {
                return
            }
            throw RunFilterError("\(field.description) is a number; '\(s)' is text", at: position, in: text)
        }
        if !numeric, case .number = literal, field.namespace == .attributes {
            throw RunFilterError("\(field.description) is text: quote the value", at: position, in: text)
        }
    }
}
