import NIOCore
import NIOHTTP1

/// Where one response on a connection goes: collected whole, or streamed chunk by chunk.
enum ResponseSink {
    case buffered(EventLoopPromise<BufferedResponse>)
    case streaming(head: EventLoopPromise<ClientResponse>, body: AsyncThrowingStream<[UInt8], any Error>.Continuation)
}

struct BufferedResponse: Sendable {
    var response: ClientResponse
    /// The server keeps the connection open for another request.
    var keepAlive: Bool
}

/// Delivers the responses of an HTTP/1.1 client connection to the request waiting for them.
/// Lives on the channel's event loop; one request is in flight at a time.
final class HTTPResponseHandler: ChannelInboundHandler {
    typealias InboundIn = HTTPClientResponsePart

    private var sink: ResponseSink?
    private var head: HTTPResponseHead?
    private var body: [UInt8] = []
    /// Why the connection can no longer carry requests (a failed TLS handshake, a close); a
    /// request started after that fails at once instead of waiting for its timeout.
    private var terminalError: (any Error)?

    func begin(_ sink: ResponseSink) {
        self.sink = sink
        head = nil
        body = []
        if let terminalError { fail(terminalError) }
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let responseHead):
            head = responseHead
            if case .streaming(let headPromise, _) = sink {
                headPromise.succeed(ClientResponse(status: Int(responseHead.status.code), headers: HeaderFields(responseHead.headers)))
            }
        case .body(let buffer):
            switch sink {
            case .buffered: body.append(contentsOf: buffer.readableBytesView)
            case .streaming(_, let continuation): continuation.yield(Array(buffer.readableBytesView))
            case nil: break
            }
        case .end:
            let finished = sink
            sink = nil
            switch finished {
            case .buffered(let promise):
                let status = head.map { Int($0.status.code) } ?? 0
                let response = ClientResponse(status: status, headers: HeaderFields(head?.headers ?? HTTPHeaders()), body: body)
                body = []
                promise.succeed(BufferedResponse(response: response, keepAlive: head?.isKeepAlive ?? false))
            case .streaming(_, let continuation):
                continuation.finish()
            case nil:
                break
            }
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        if terminalError == nil { terminalError = error }
        fail(error)
        context.close(promise: nil)
    }

    func channelInactive(context: ChannelHandlerContext) {
        let error = HTTPTransportError.connectionClosed(beforeResponse: head == nil)
        if terminalError == nil { terminalError = error }
        fail(error)
        context.fireChannelInactive()
    }

    /// Fails the request in flight, if any.
    func fail(_ error: any Error) {
        guard let failed = sink else { return }
        sink = nil
        switch failed {
        case .buffered(let promise):
            promise.fail(error)
        case .streaming(let headPromise, let continuation):
            if head == nil { headPromise.fail(error) }
            continuation.finish(throwing: error)
        }
    }
}

extension HeaderFields {
    init(_ headers: HTTPHeaders) {
        self.init(headers.map { (name: $0.name, value: $0.value) })
    }
}

/// Failures of the HTTP transport itself (as opposed to error responses from the server).
public enum HTTPTransportError: Error, Sendable, Equatable, CustomStringConvertible {
    case connectionClosed(beforeResponse: Bool)
    case timedOut(Duration)
    case invalidMethod(String)
    case shutDown

    public var description: String {
        switch self {
        case .connectionClosed(let beforeResponse):
            return beforeResponse ? "connection closed before the response arrived" : "connection closed during the response"
        case .timedOut(let limit): return "request timed out after \(limit)"
        case .invalidMethod(let method): return "invalid HTTP method \(method)"
        case .shutDown: return "transport is shut down"
        }
    }
}
