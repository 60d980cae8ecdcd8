/// A property of a run that filters and orderings name: `metrics.KEY` (latest value),
/// `params.KEY`, `tags.KEY` or `attributes.NAME` (a column of the run itself).
public struct RunField: Sendable, Equatable, CustomStringConvertible {
    /// Which kind of run property a field names: a metric's latest value, a param, a tag or an attribute.
    public enum Namespace: String, Sendable, CaseIterable {
        case metrics, params, tags, attributes
    }

    /// A column of the runs table that `attributes.` may name.
    public enum Attribute: String, Sendable, CaseIterable {
        case id, name, experiment, status, seed, objective, model, dataset
        case codeVersion = "code_version"
        case startTime = "start_time"
        case endTime = "end_time"
        case duration, folder

        var isNumeric: Bool { [.seed, .startTime, .endTime, .duration].contains(self) }
        var isTime: Bool { self == .startTime || self == .endTime }

        /// The SQL expression over the outer `runs` row (fixed text: never user input).
        var sql: String {
            switch self {
            case .experiment: "(SELECT e.name FROM experiments e WHERE e.id = runs.experiment_id)"
            case .duration: "(coalesce(runs.end_time, runs.heartbeat_time) - runs.start_time)"
            default: "runs.\(rawValue)"
            }
        }
    }

    /// Where `key` is looked up.
    public var namespace: Namespace
    /// The metric, param or tag name, or for `.attributes` an `Attribute`'s name such as `start_time`.
    public var key: String

    /// A field naming `key` in `namespace`, unchecked (the parsers reject unknown attribute names; this does not).
    public init(namespace: Namespace, key: String) {
        self.namespace = namespace
        self.key = key
    }

    /// Accepted spellings of each namespace.
    static func namespace(named word: String) -> Namespace? {
        switch word.lowercased() {
        case "metrics", "metric", "m": .metrics
        case "params", "param", "p": .params
        case "tags", "tag", "t": .tags
        case "attributes", "attribute", "attr", "a": .attributes
        default: nil
        }
    }

    /// The field as filters write it: `namespace.key`, e.g. `params.lr`.
    public var description: String { "\(namespace.rawValue).\(key)" }
}
