/// Suggestions for a misspelt name: the known names closest to it by edit distance.
enum Spelling {
    /// Up to `limit` names from `known` within a few edits of `name` (about a third of its
    /// length), closest first; names that contain it or that it contains come first.
    static func closest(to name: String, in known: [String], limit: Int = 3) -> [String] {
        let target = Array(name.lowercased())
        let allowed = max(2, target.count / 3)
        let scored = known.compactMap { candidate -> (String, Int)? in
            let lower = candidate.lowercased()
            if lower.contains(name.lowercased()) || (name.count >= 3 && name.lowercased().contains(lower)) {
                return (candidate, 0)
            }
            let distance = editDistance(target, Array(lower))
            return distance <= allowed ? (candidate, distance) : nil
        }
        return scored.sorted { ($0.1, $0.0) < ($1.1, $1.0) }.prefix(limit).map(\.0)
    }

    /// Levenshtein distance (insertions, deletions, substitutions).
    static func editDistance(_ a: [Character], _ b: [Character]) -> Int {
        guard !a.isEmpty else { return b.count }
        guard !b.isEmpty else { return a.count }
        var previous = Array(0...b.count)
        for i in 1...a.count {
            var current = [i] + [Int](repeating: 0, count: b.count)
            for j in 1...b.count {
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
            }
            previous = current
        }
        return previous[b.count]
    }
}
