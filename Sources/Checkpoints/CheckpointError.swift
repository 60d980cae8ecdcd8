/// A safetensors file that cannot be read or written, naming the file and the problem.
///
/// Reading refuses a malformed file before trusting any size in it, so every problem a
/// hostile or damaged file can have surfaces here rather than as a crash or a huge
/// allocation. `description` reads as one line: `path: problem`.
public struct CheckpointError: Error, CustomStringConvertible, Equatable, Sendable {
    /// The file concerned; `nil` for problems with an in-memory value (a missing tensor).
    public let path: String?
    /// What is wrong.
    public let problem: Problem

    /// Makes an error about `path`.
    public init(path: String?, problem: Problem) {
        self.path = path
        self.problem = problem
    }

    /// One line: the file, then the problem.
    public var description: String {
        guard let path else { return problem.description }
        return "\(path): \(problem)"
    }

    /// What can be wrong with a safetensors file or value.
    public enum Problem: Equatable, Sendable, CustomStringConvertible {
        /// The file could not be opened (the operating system's reason).
        case cannotOpen(reason: String)
        /// The path names a directory, device or other non-regular file.
        case notARegularFile
        /// A read failed (the operating system's reason).
        case readFailed(reason: String)
        /// The file ended at byte `readBytes`, before byte `expectedBytes` that its header
        /// promises (it shrank while being read).
        case truncated(expectedBytes: Int, readBytes: Int)
        /// The file is shorter than the 8-byte header length.
        case fileTooShort(size: Int)
        /// The header length exceeds the reader's limit.
        case headerTooLarge(length: UInt64, limit: Int)
        /// The header length exceeds what follows the 8-byte length field.
        case headerBeyondFile(length: UInt64, available: Int)
        /// The header is not valid UTF-8.
        case headerNotUTF8
        /// The header is not valid JSON (at a byte offset within the header).
        case invalidJSON(reason: String, offset: Int)
        /// The header's top-level JSON value is not an object.
        case headerNotAnObject
        /// The `__metadata__` entry is not an object of strings.
        case invalidMetadata(reason: String)
        /// A tensor entry lacks a field, has an extra one, or has one of the wrong type.
        case invalidEntry(name: String, reason: String)
        /// A tensor entry names a dtype this reader does not convert.
        case unsupportedDType(name: String, dtype: String)
        /// The product of a tensor's extents (or its byte size) does not fit in an `Int`.
        case elementCountOverflow(name: String, shape: [Int])
        /// A tensor's byte range does not match its shape and dtype.
        case sizeMismatch(name: String, expectedBytes: Int, actualBytes: Int)
        /// A tensor's byte range ends before it begins.
        case invalidOffsets(name: String, begin: Int, end: Int)
        /// A tensor's byte range ends past the data section.
        case offsetsOutOfRange(name: String, end: Int, dataSize: Int)
        /// Two tensors' byte ranges overlap.
        case overlappingRanges(first: String, second: String)
        /// Bytes of the data section that no tensor covers, before `before`.
        case hole(begin: Int, end: Int, before: String)
        /// Bytes after the last tensor's range.
        case trailingBytes(dataEnd: Int, dataSize: Int)
        /// The tensors hold more elements in all than the reader's limit.
        case tooManyElements(limit: Int)
        /// No tensor has this name.
        case missingTensor(name: String, available: [String])
        /// Two tensors share a name.
        case duplicateTensorName(String)
        /// `__metadata__` is the header's key for metadata, so no tensor may take it.
        case reservedTensorName
        /// A step of writing failed (the operation and the operating system's reason).
        case writeFailed(operation: String, reason: String)

        /// The problem in words.
        public var description: String {
            switch self {
            case .cannotOpen(let reason): "cannot open: \(reason)"
            case .notARegularFile: "not a regular file"
            case .readFailed(let reason): "read failed: \(reason)"
            case .truncated(let expected, let read):
                "file ended at byte \(read), before byte \(expected) that its header promises"
            case .fileTooShort(let size):
                "file of \(size) bytes is shorter than the 8-byte header length"
            case .headerTooLarge(let length, let limit):
                "header length \(length) exceeds the limit of \(limit) bytes"
            case .headerBeyondFile(let length, let available):
                "header length \(length) exceeds the \(available) bytes that follow it"
            case .headerNotUTF8: "header is not valid UTF-8"
            case .invalidJSON(let reason, let offset):
                "header is not valid JSON: \(reason) at byte \(offset) of the header"
            case .headerNotAnObject: "header is not a JSON object"
            case .invalidMetadata(let reason): "__metadata__: \(reason)"
            case .invalidEntry(let name, let reason): "tensor '\(name)': \(reason)"
            case .unsupportedDType(let name, let dtype):
                "tensor '\(name)': unsupported dtype '\(dtype)' (supported: "
                    + DType.allCases.map(\.rawValue).joined(separator: ", ") + ")"
            case .elementCountOverflow(let name, let shape):
                "tensor '\(name)': shape \(shape) overflows the element count"
            case .sizeMismatch(let name, let expected, let actual):
                "tensor '\(name)': shape and dtype need \(expected) bytes but data_offsets span \(actual)"
            case .invalidOffsets(let name, let begin, let end):
                "tensor '\(name)': data_offsets [\(begin), \(end)] end before they begin"
            case .offsetsOutOfRange(let name, let end, let dataSize):
                "tensor '\(name)': data_offsets end at \(end), past the \(dataSize)-byte data section"
            case .overlappingRanges(let first, let second):
                "tensors '\(first)' and '\(second)' have overlapping data_offsets"
            case .hole(let begin, let end, let before):
                "bytes \(begin)..<\(end) of the data section, before tensor '\(before)', belong to no tensor"
            case .trailingBytes(let dataEnd, let dataSize):
                "bytes \(dataEnd)..<\(dataSize) after the last tensor belong to no tensor"
            case .tooManyElements(let limit):
                "tensors hold more than the limit of \(limit) elements"
            case .missingTensor(let name, let available):
                "no tensor named '\(name)' (have: "
                    + (available.prefix(8).joined(separator: ", ") + (available.count > 8 ? ", …" : ""))
                    + ")"
            case .duplicateTensorName(let name): "two tensors are named '\(name)'"
            case .reservedTensorName: "'__metadata__' is reserved and cannot name a tensor"
            case .writeFailed(let operation, let reason): "\(operation) failed: \(reason)"
            }
        }
    }
}
