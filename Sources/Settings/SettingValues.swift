import Foundation
import Yams

/// Settings read from a YAML file: a flat mapping of setting names (`batch-size`, or
/// `batch_size`) to values, which each group reads by key with its own types. Unknown names,
/// wrong types and a name given twice are errors naming the file and the setting.
public struct SettingValues {
    /// Where the values came from, for errors.
    public let file: String
    private let nodes: [String: Node]

    /// The largest configuration file read (it is a handful of settings).
    public static let maximumBytes = 1 << 20

    /// Values given directly (tests, other sources), under `file`'s name.
    public init(_ nodes: [String: Node], file: String) {
        self.nodes = nodes
        self.file = file
    }

    /// Reads `url`; `knownKeys` are every name some group reads (others are refused).
    public init(contentsOf url: URL, knownKeys: Set<String>) throws {
        let path = url.path
        let attributes = try? FileManager.default.attributesOfItem(atPath: path)
        guard let size = attributes?[.size] as? Int else {
            throw ConfigurationError.unreadable(file: path, problem: "cannot read the file")
        }
        guard size <= Self.maximumBytes else {
            throw ConfigurationError.unreadable(file: path, problem: "larger than \(Self.maximumBytes) bytes")
        }
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            throw ConfigurationError.unreadable(file: path, problem: "not UTF-8 text")
        }
        try self.init(yaml: text, file: path, knownKeys: knownKeys)
    }

    /// Reads YAML text. Composed to nodes and read here rather than through `Yams.load`,
    /// whose conversion to Swift values traps on a key that is not text (`? [a]: 1`, found by
    /// `scripts/fuzz.sh yaml`); only a flat mapping of text keys to scalars or lists of
    /// scalars is a configuration, so nothing deeper is converted.
    public init(yaml text: String, file: String, knownKeys: Set<String>) throws {
        let root: Node?
        do { root = try Yams.compose(yaml: text) } catch {
            throw ConfigurationError.unreadable(file: file, problem: "not valid YAML: \(error)")
        }
        var nodes: [String: Node] = [:]
        if let root {
            guard case .mapping(let mapping) = root else {
                throw ConfigurationError.unreadable(
                    file: file, problem: "expected a mapping of setting names to values")
            }
            // Every name is text before any is looked up, so the error is about the file's shape.
            guard mapping.keys.allSatisfy({ if case .scalar = $0 { true } else { false } }) else {
                throw ConfigurationError.unreadable(
                    file: file, problem: "setting names must be text, not a list or a mapping")
            }
            for (keyNode, valueNode) in mapping {
                guard case .scalar(let keyScalar) = keyNode else { continue }
                let key = keyScalar.string.replacingOccurrences(of: "_", with: "-")
                guard nodes[key] == nil else {
                    throw ConfigurationError.unreadable(file: file, problem: "setting '\(key)' is given twice")
                }
                guard knownKeys.contains(key) else {
                    throw ConfigurationError.unknownKey(key, file: file, known: knownKeys)
                }
                switch valueNode {
                case .scalar: break
                case .sequence(let items) where items.allSatisfy({ if case .scalar = $0 { true } else { false } }):
                    break
                default:
                    throw ConfigurationError.wrongType(
                        key: key, expected: "a value or a list of values, not a mapping or nested lists",
                        file: file)
                }
                nodes[key] = valueNode
            }
        }
        self.init(nodes, file: file)
    }

    /// The value under `key` (or one of its aliases), of `type`; nil when the file does not
    /// set it. A value of another type is an error naming the key.
    public func value<Value: SettingValue>(_ type: Value.Type, key: String, aliases: [String] = []) throws -> Value? {
        let names = ([key] + aliases).filter { nodes[$0] != nil }
        guard let name = names.first, let node = nodes[name] else { return nil }
        guard names.count == 1 else {
            throw ConfigurationError.unreadable(
                file: file, problem: "setting '\(key)' is given twice (as \(names.joined(separator: " and ")))")
        }
        guard let value = Value(yaml: node) else {
            let given = node.scalar.map { String($0.string.prefix(80)) }
            throw ConfigurationError.wrongType(key: name, expected: Value.expected, file: file, given: given)
        }
        return value
    }
}
