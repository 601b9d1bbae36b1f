import DequeModule
import KubeModel

/// The events of a watch as they arrive, parsed from the newline-delimited JSON body. Iterate
/// it once. Breaking out of the loop, dropping the stream or cancelling the iterating task
/// closes the underlying connection. The sequence ends when the server ends the watch.
public struct WatchEventStream<Object: Sendable>: AsyncSequence, Sendable {
    public typealias Element = WatchEvent<Object>

    private let chunks: AsyncThrowingStream<[UInt8], any Error>
    private let decode: @Sendable (inout JSONReader) throws -> Object

    public init(_ chunks: AsyncThrowingStream<[UInt8], any Error>, decode: @escaping @Sendable (inout JSONReader) throws -> Object) {
        self.chunks = chunks
        self.decode = decode
    }

    public func makeAsyncIterator() -> Iterator {
        Iterator(chunks: chunks.makeAsyncIterator(), decode: decode)
    }

    public struct Iterator: AsyncIteratorProtocol {
        var chunks: AsyncThrowingStream<[UInt8], any Error>.AsyncIterator
        let decode: @Sendable (inout JSONReader) throws -> Object
        var splitter = LineSplitter()
        var lines = Deque<[UInt8]>()
        var ended = false

        public mutating func next() async throws -> WatchEvent<Object>? {
            while true {
                if let line = lines.popFirst() { return try WatchEvent.parse(line, decode: decode) }
                if ended { return nil }
                if let chunk = try await chunks.next() {
                    lines.append(contentsOf: splitter.append(chunk))
                } else {
                    ended = true
                    if let rest = splitter.finish() { lines.append(rest) }
                }
            }
        }
    }
}
