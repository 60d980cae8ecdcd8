extension ReportRun {
    /// A readable, unique label for each run, in order: the name it was given, else
    /// "objective · model · dataset · seed N"; when two runs would read the same, each gets
    /// the end of its id after it ("… (7f3a)").
    public static func displayNames(_ runs: [ReportRun]) -> [String] {
        let base = runs.map { run -> String in
            guard run.name.isEmpty || run.name == run.id else { return run.name }
            let parts =
                [run.objective, run.model, run.dataset].compactMap { $0 } + (run.seed.map { ["seed \($0)"] } ?? [])
            return parts.isEmpty ? run.id : parts.joined(separator: " · ")
        }
        var counts: [String: Int] = [:]
        for name in base { counts[name, default: 0] += 1 }
        var labels = zip(base, runs).map { name, run in
            counts[name, default: 0] > 1 ? "\(name) (\(run.id.suffix(4)))" : name
        }
        // Ids that end alike (or one run named twice): their position settles it.
        var seen: [String: Int] = [:]
        for index in labels.indices {
            seen[labels[index], default: 0] += 1
            if seen[labels[index], default: 0] > 1 { labels[index] += " #\(index + 1)" }
        }
        return labels
    }
}
