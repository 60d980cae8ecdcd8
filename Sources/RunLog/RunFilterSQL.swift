/// SQL for filters and orderings over the outer `runs` table. Every user value (keys and
/// literals) becomes a bound parameter; the SQL text comes only from fixed fragments.
struct SQLFragment {
    var text: String
    var bindings: [SQLiteValue]
}

extension RunFilter {
    func sql() -> SQLFragment {
        switch self {
        case .and, .or:
            // A chain of one operator is one flat parenthesis, (a OR b OR c), not one per
            // term: SQLite's parser stack is shallow.
            let terms = chain().map { $0.sql() }
            let joiner = if case .and = self { " AND " } else { " OR " }
            return SQLFragment(
                text: "(" + terms.map(\.text).joined(separator: joiner) + ")",
                bindings: terms.flatMap(\.bindings))
        case .comparison(let field, let op, let literal):
            return Self.comparisonSQL(field, op, literal)
        }
    }

    /// The operands of a chain of the same operator as this node, left to right.
    private func chain() -> [RunFilter] {
        let isAnd: Bool
        let operands: [RunFilter]
        switch self {
        case .and(let a, let b): (isAnd, operands) = (true, [a, b])
        case .or(let a, let b): (isAnd, operands) = (false, [a, b])
        case .comparison: return [self]
        }
        return operands.flatMap { operand -> [RunFilter] in
            switch operand {
            case .and where isAnd, .or where !isAnd: operand.chain()
            default: [operand]
            }
        }
    }

    private static func comparisonSQL(_ field: RunField, _ op: ComparisonOperator, _ literal: Literal) -> SQLFragment {
        let value: SQLiteValue
        var column: String
        switch literal {
        case .number(let v): value = .real(v)
        case .string(let s): value = .text(s)
        }
        switch field.namespace {
        case .metrics:
            column = "f.value"
            return exists("latest_metrics", column, op, field.key, value)
        case .params:
            column = if case .number = literal { "f.number" } else { "f.value" }
            return exists("params", column, op, field.key, value)
        case .tags:
            let text: SQLiteValue = if case .number(let v) = literal { .text(Self.text(of: v)) } else { value }
            return exists("tags", "f.value", op, field.key, text)
        case .attributes:
            // Validated at parse time; an unknown name cannot reach here.
            let attribute = RunField.Attribute(rawValue: field.key) ?? .id
            var bound = value
            if attribute.isTime, case .string(let s) = literal, let date = RunTime.parse(s) {
                bound = .real(date.timeIntervalSince1970)
            }
            return SQLFragment(text: "(\(attribute.sql) \(op.sqlText) ?)", bindings: [bound])
        }
    }

    private static func exists(
        _ table: String, _ column: String, _ op: ComparisonOperator, _ key: String,
        _ value: SQLiteValue
    ) -> SQLFragment {
        SQLFragment(
            text:
                "EXISTS (SELECT 1 FROM \(table) f WHERE f.run_id = runs.id AND f.key = ? AND \(column) \(op.sqlText) ?)",
            bindings: [.text(key), value])
    }

    /// A number as a tag would hold it: `3` rather than `3.0`.
    private static func text(of v: Double) -> String {
        v == v.rounded() && abs(v) < 1e15 ? String(Int64(v)) : String(v)
    }
}

extension RunFilter.ComparisonOperator {
    var sqlText: String { rawValue }
}
