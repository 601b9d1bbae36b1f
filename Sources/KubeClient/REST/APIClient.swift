import KubeModel
import NIOCore
import NIOPosix

/// The entry point to the API server: raw requests with errors mapped to `APIStatusError`,
/// and typed (`resource(_:)`) or dynamic (`dynamic(_:)`) clients for every resource.
public struct APIClient: Sendable {
    public let transport: any HTTPTransport
    /// The namespace used when neither the call nor the object names one.
    public var namespace: String
    public var userAgent: String

    public init(transport: any HTTPTransport, namespace: String = "default", userAgent: String = "skiff-client") {
        self.transport = transport
        self.namespace = namespace
        self.userAgent = userAgent
    }

    /// A client over HTTPS to the server of `configuration`.
    public init(configuration: ClientConfiguration,
                eventLoopGroup: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton) throws {
        self.init(transport: try HTTPSTransport(configuration: configuration, eventLoopGroup: eventLoopGroup),
                  namespace: configuration.namespace, userAgent: configuration.userAgent)
    }

    /// The typed client of a kind. For namespaced kinds, a nil namespace means all namespaces
    /// for list, watch and deletecollection, and the object's (or the client's) namespace for
    /// calls on one object.
    public func resource<Object: KubeObject>(_ type: Object.Type, namespace: String? = nil) -> ResourceClient<Object> {
        ResourceClient(dynamic: dynamic(APIResource.of(type), namespace: namespace))
    }

    /// The JSON client of any resource, including ones this build has no types for.
    public func dynamic(_ resource: APIResource, namespace: String? = nil) -> DynamicResourceClient {
        DynamicResourceClient(client: self, resource: resource, namespace: namespace)
    }

    // MARK: - Raw requests

    /// Sends a request; a non-2xx response throws `APIStatusError`. Returns the body.
    @discardableResult
    public func send(_ method: String, _ path: String, query: [QueryItem] = [], body: [UInt8]? = nil,
                     contentType: String = "application/json") async throws -> [UInt8] {
        let response = try await transport.send(request(method, path, query: query, body: body, contentType: contentType))
        guard (200..<300).contains(response.status) else { throw APIStatusError(response: response.status, body: response.body) }
        return response.body
    }

    /// Sends a request and parses the JSON response.
    public func sendJSON(_ method: String, _ path: String, query: [QueryItem] = [], body: JSONValue? = nil,
                         contentType: String = "application/json") async throws -> JSONValue {
        let bytes = try await send(method, path, query: query, body: body.map(JSONWriter.bytes), contentType: contentType)
        do { return try JSONParser.parse(bytes) } catch {
            throw KubeClientError.invalidResponse("\(method) \(path): \(error)")
        }
    }

    /// Starts a streaming request (watch); a non-2xx response throws `APIStatusError`.
    public func stream(_ method: String, _ path: String, query: [QueryItem] = []) async throws -> StreamingClientResponse {
        let response = try await transport.stream(request(method, path, query: query, body: nil, contentType: "application/json"))
        guard (200..<300).contains(response.status) else {
            throw APIStatusError(response: response.status, body: try await response.collectBody())
        }
        return response
    }

    private func request(_ method: String, _ path: String, query: [QueryItem], body: [UInt8]?, contentType: String) -> ClientRequest {
        var headers = HeaderFields()
        headers.add("Accept", "application/json")
        headers.add("User-Agent", userAgent)
        if body != nil { headers.add("Content-Type", contentType) }
        return ClientRequest(method: method, path: path, query: query, headers: headers, body: body ?? [])
    }
}

/// Failures detected by the client before or after talking to the server.
public enum KubeClientError: Error, Sendable, Equatable, CustomStringConvertible {
    /// A namespaced call with no namespace on the call, the object or the client.
    case namespaceRequired(String)
    case nameRequired(String)
    case invalidResponse(String)
    case decoding(String)

    public var description: String {
        switch self {
        case .namespaceRequired(let what): return "a namespace is required for \(what)"
        case .nameRequired(let what): return "a name is required for \(what)"
        case .invalidResponse(let detail): return "invalid response: \(detail)"
        case .decoding(let detail): return "cannot decode: \(detail)"
        }
    }
}
