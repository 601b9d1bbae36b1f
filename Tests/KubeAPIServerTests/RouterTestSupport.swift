import Foundation
import KubeAPIServer
import KubeModel
import KubeStore
import Logging
import NIOHTTP1
import Synchronization

/// An API server without the network: the router over an in-memory store, bootstrapped.
struct TestAPI {
    let core: APIServerCore
    static let token = "test-token"

    static func make(admission: AdmissionOptions = AdmissionOptions(),
                     now: @escaping @Sendable () -> Date = { Date() }) async throws -> TestAPI {
        var logger = Logger(label: "skiff.test")
        logger.logLevel = .warning
        let core = APIServerCore(
            store: MemoryStore(), tokens: [token: UserInfo(name: "tester", groups: ["system:masters"])],
            logger: logger, now: now, bookmarkInterval: .milliseconds(200), admission: admission)
        try await core.bootstrap()
        return TestAPI(core: core)
    }

    struct Reply {
        var status: Int
        var headers: HTTPHeaders
        var body: JSONValue
        var response: APIResponse
    }

    @discardableResult
    func send(_ method: HTTPMethod, _ uri: String, _ body: JSONValue? = nil, contentType: String = "application/json",
              accept: String? = nil, authenticated: Bool = true) async throws -> Reply {
        var headers = HTTPHeaders()
        if body != nil { headers.add(name: "Content-Type", value: contentType) }
        if let accept { headers.add(name: "Accept", value: accept) }
        if authenticated { headers.add(name: "Authorization", value: "Bearer \(Self.token)") }
        let request = APIRequest(method: method, uri: uri, headers: headers, body: body.map(JSONWriter.bytes) ?? [])
        let response = await core.router.handle(request, connection: .init(peerCertificateDER: nil, remoteAddress: "test"))
        var json = JSONValue.null
        if case .bytes(let bytes) = response.body, !bytes.isEmpty, let parsed = try? JSONParser.parse(bytes) { json = parsed }
        return Reply(status: Int(response.status.code), headers: response.headers, body: json, response: response)
    }

    /// Runs a watch response until `count` events arrived (or the stream ended).
    func watchEvents(_ reply: Reply, count: Int, during action: @escaping @Sendable () async throws -> Void) async throws -> [JSONValue] {
        guard case .stream(let produce) = reply.response.body else { return [] }
        let collector = EventCollector(limit: count)
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try? await produce(collector) }
            group.addTask {
                try await Task.sleep(for: .milliseconds(50))
                try await action()
                try await collector.waitUntilFull(timeout: .seconds(5))
            }
            try await group.next()
            group.cancelAll()
        }
        return collector.events
    }
}

/// Collects watch lines written to a stream response.
final class EventCollector: ResponseStreamWriter, Sendable {
    private let state = Mutex<[JSONValue]>([])
    let limit: Int
    init(limit: Int) { self.limit = limit }

    var events: [JSONValue] { state.withLock { $0 } }

    func write(_ bytes: [UInt8]) async throws {
        for line in bytes.split(separator: UInt8(ascii: "\n")) where !line.isEmpty {
            let event = try JSONParser.parse(line)
            state.withLock { $0.append(event) }
        }
    }

    func waitUntilFull(timeout: Duration) async throws {
        let deadline = ContinuousClock.now + timeout
        while events.count < limit, ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(10)) }
    }
}

func configMap(_ name: String, _ data: [String: String] = ["a": "b"], resourceVersion: String? = nil) -> JSONValue {
    var metadata: JSONObject = ["name": .string(name)]
    if let resourceVersion { metadata["resourceVersion"] = .string(resourceVersion) }
    return ["apiVersion": "v1", "kind": "ConfigMap", "metadata": .object(metadata),
            "data": .object(JSONObject(uniqueKeysWithValues: data.sorted { $0.key < $1.key }.map { ($0.key, JSONValue.string($0.value)) }))]
}
