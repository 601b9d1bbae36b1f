import Crypto
import KubeModel
import NIOHTTP1
import Synchronization

/// OpenAPI v3 documents: `/openapi/v3` lists one document per group version; each document
/// holds the paths of that group version and the schemas they use, built from our own types'
/// schema catalog. `/openapi/v2` is not served (404).
struct OpenAPIDocuments: Sendable {
    let registry: ResourceRegistry
    /// Documents are built on first request and kept: the registry never changes after start.
    private let cache = Cache()

    static let v3Prefix = "/openapi/v3"

    func response(path: String, query: QueryParameters) throws -> APIResponse {
        if path == Self.v3Prefix {
            return Self.serve(index().bytes, cacheable: false)
        }
        guard path.hasPrefix(Self.v3Prefix + "/"), let document = document(named: String(path.dropFirst(Self.v3Prefix.count + 1))) else {
            throw APIError.pathNotFound()
        }
        guard let hash = query["hash"], !hash.isEmpty else { return Self.serve(document.bytes, hash: document.hash, cacheable: false) }
        if hash != document.hash {
            // As upstream: a stale hash is redirected to the current one.
            var headers = HTTPHeaders()
            headers.add(name: "Location", value: "\(path)?hash=\(document.hash)")
            return APIResponse(status: .movedPermanently, headers: headers)
        }
        return Self.serve(document.bytes, hash: document.hash, cacheable: true)
    }

    /// A served document: its JSON and the hash clients key their caches on.
    struct Document: Sendable {
        var bytes: [UInt8]
        /// Upper-case hex SHA-512 of the bytes, as upstream computes its ETag.
        var hash: String

        init(_ value: JSONValue) {
            bytes = JSONWriter.bytes(value)
            let digits = Array("0123456789ABCDEF".utf8)
            var hex: [UInt8] = []
            for byte in SHA512.hash(data: bytes) { hex += [digits[Int(byte >> 4)], digits[Int(byte & 0x0F)]] }
            hash = String(decoding: hex, as: UTF8.self)
        }
    }

    func document(named name: String) -> Document? {
        cache.document(named: name, registry: registry)
    }

    /// `{"paths": {"apis/apps/v1": {"serverRelativeURL": "/openapi/v3/apis/apps/v1?hash=…"}, …}}`.
    func index() -> Document {
        cache.index {
            var paths = JSONObject()
            for name in cache.documentNames(registry: registry) {
                guard let document = document(named: name) else { continue }
                paths[name] = ["serverRelativeURL": .string("\(Self.v3Prefix)/\(name)?hash=\(document.hash)")]
            }
            return Document(["paths": .object(paths)])
        }
    }

    private static func serve(_ bytes: [UInt8], hash: String? = nil, cacheable: Bool) -> APIResponse {
        var response = APIResponse.json(bytes)
        if let hash { response.headers.add(name: "ETag", value: "\"\(hash)\"") }
        // A hash in the URL names immutable content; anything else must be revalidated.
        response.headers.add(name: "Cache-Control", value: cacheable ? "public, immutable" : "no-cache, private")
        if cacheable { response.headers.add(name: "Vary", value: "Accept") }
        return response
    }

    /// Built documents by name. Unknown names are not remembered, so arbitrary request paths
    /// cannot grow it.
    private final class Cache: Sendable {
        private struct State {
            var builder: OpenAPIDocumentBuilder?
            var documents: [String: Document] = [:]
            var index: Document?
        }
        private let state = Mutex(State())

        // Building under the lock keeps concurrent first requests from building twice.
        func document(named name: String, registry: ResourceRegistry) -> Document? {
            state.withLock { state in
                if let cached = state.documents[name] { return cached }
                let document = Self.builder(&state, registry).document(named: name).map(Document.init)
                state.documents[name] = document
                return document
            }
        }

        func documentNames(registry: ResourceRegistry) -> [String] {
            state.withLock { Self.builder(&$0, registry).documentNames }
        }

        /// One builder for all documents: it converts the catalog's schemas once.
        private static func builder(_ state: inout State, _ registry: ResourceRegistry) -> OpenAPIDocumentBuilder {
            if let builder = state.builder { return builder }
            let builder = OpenAPIDocumentBuilder(registry: registry)
            state.builder = builder
            return builder
        }

        func index(build: () -> Document) -> Document {
            if let index = state.withLock({ $0.index }) { return index }
            let index = build()
            state.withLock { $0.index = index }
            return index
        }
    }
}
