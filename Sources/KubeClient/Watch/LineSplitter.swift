/// Cuts a byte stream into newline-terminated lines, holding a partial line until the rest of
/// it arrives. Empty lines are dropped.
struct LineSplitter {
    private var partial: [UInt8] = []

    /// The complete lines that `chunk` finishes.
    mutating func append(_ chunk: some Collection<UInt8>) -> [[UInt8]] {
        var lines: [[UInt8]] = []
        var start = chunk.startIndex
        while let newline = chunk[start...].firstIndex(of: UInt8(ascii: "\n")) {
            if partial.isEmpty {
                lines.append(Array(chunk[start..<newline]))
            } else {
                partial.append(contentsOf: chunk[start..<newline])
                lines.append(partial)
                partial = []
            }
            start = chunk.index(after: newline)
        }
        partial.append(contentsOf: chunk[start...])
        return lines.compactMap(Self.trimmed)
    }

    /// What is left when the stream ends without a final newline.
    mutating func finish() -> [UInt8]? {
        defer { partial = [] }
        return Self.trimmed(partial)
    }

    /// Drops a trailing carriage return; nil for blank lines.
    private static func trimmed(_ line: [UInt8]) -> [UInt8]? {
        var line = line
        if line.last == UInt8(ascii: "\r") { line.removeLast() }
        return line.allSatisfy({ $0 == 0x20 || $0 == 0x09 }) ? nil : line
    }
}
