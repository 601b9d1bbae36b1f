import KubeModel
import Testing

@testable import KubeClient

@Suite("Watch stream parsing")
struct WatchStreamTests {
    static let added = #"{"type":"ADDED","object":{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"a","namespace":"ns","resourceVersion":"5"},"data":{"k":"v"}}}"#
    static let deleted = #"{"type":"DELETED","object":{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"a","namespace":"ns","resourceVersion":"7"}}}"#
    static let bookmark = #"{"type":"BOOKMARK","object":{"kind":"ConfigMap","apiVersion":"v1","metadata":{"resourceVersion":"9","annotations":{"k8s.io/initial-events-end":"true"}}}}"#
    static let gone = #"{"type":"ERROR","object":{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"too old resource version: 3 (8)","reason":"Expired","code":410}}"#

    /// The events parsed from a body delivered in the given chunks.
    func events(_ chunks: [String]) async throws -> [WatchEvent<CoreV1.ConfigMap>] {
        let (body, continuation) = AsyncThrowingStream<[UInt8], any Error>.makeStream()
        for chunk in chunks { continuation.yield(Array(chunk.utf8)) }
        continuation.finish()
        var result: [WatchEvent<CoreV1.ConfigMap>] = []
        for try await event in WatchEventStream(body, decode: { try CoreV1.ConfigMap(reader: &$0, context: JSONDecodingContext()) }) { result.append(event) }
        return result
    }

    /// Every way of cutting the same three-event body into two chunks.
    static let body = added + "\n" + deleted + "\n" + bookmark + "\n"
    static let cuts = Array(stride(from: 0, through: body.utf8.count, by: 7))

    @Test("events split across chunks at any byte parse the same", arguments: cuts)
    func splitChunks(cut: Int) async throws {
        let bytes = Array(Self.body.utf8)
        let chunks = [String(decoding: bytes[..<cut], as: UTF8.self), String(decoding: bytes[cut...], as: UTF8.self)]
        let parsed = try await events(chunks)
        #expect(parsed.map(\.type) == [.added, .deleted, .bookmark])
        #expect(parsed[0].object?.metadata.name == "a")
        #expect(parsed[0].object?.data == ["k": "v"])
        #expect(parsed[1].object?.metadata.resourceVersion == "7")
        guard case .bookmark(let mark) = parsed[2] else { Issue.record("expected a bookmark"); return }
        #expect(mark == WatchBookmark(resourceVersion: "9", isInitialEventsEnd: true))
    }

    @Test("one byte at a time, blank lines, CRLF and a last line without newline")
    func awkwardFraming() async throws {
        let body = "\n" + Self.added + "\r\n\n" + Self.deleted
        let parsed = try await events(body.utf8.map { String(decoding: [$0], as: UTF8.self) })
        #expect(parsed.map(\.type) == [.added, .deleted])
    }

    @Test("an ERROR event carries the server's status")
    func errorEvent() async throws {
        let parsed = try await events([Self.added + "\n" + Self.gone + "\n"])
        guard case .error(let error) = parsed.last else { Issue.record("expected an error event"); return }
        #expect(error.code == 410)
        #expect(error.isResourceExpired)
        #expect(error.message == "too old resource version: 3 (8)")
    }

    @Test("a frame that is not JSON fails the stream")
    func malformedFrame() async throws {
        await #expect(throws: KubeClientError.self) {
            _ = try await events(["{not json}\n"])
        }
    }

    @Test("the line splitter holds partial lines until they complete")
    func lineSplitter() {
        var splitter = LineSplitter()
        #expect(splitter.append(Array("ab".utf8)).isEmpty)
        #expect(splitter.append(Array("c\nde".utf8)) == [Array("abc".utf8)])
        #expect(splitter.append(Array("\n\nf".utf8)) == [Array("de".utf8)])
        #expect(splitter.finish() == Array("f".utf8))
        #expect(splitter.finish() == nil)
    }
}
