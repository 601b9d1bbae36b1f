import Foundation
import KubeModel
import Logging
import NIOHTTP1

/// The request pipeline after TLS: authentication, then health, version, discovery and
/// OpenAPI documents, then resource requests through the registry. Every failure becomes a
/// `Status` response.
public struct APIRouter: Sendable {
    let registry: ResourceRegistry
    let authenticator: Authenticator
    let discovery: DiscoveryDocuments
    let openAPI: OpenAPIDocuments
    let version: KubeVersion.Info
    let readiness: @Sendable () -> Bool
    let logger: Logger

    /// Paths anyone may read, as upstream's system:public-info-viewer role allows.
    static let publicPaths: Set<String> = ["/healthz", "/livez", "/readyz", "/version", "/healthz/ping", "/livez/ping", "/readyz/ping"]

    public func handle(_ request: APIRequest, connection: HTTPServer.ConnectionInfo) async -> APIResponse {
        var request = request
        if let der = connection.peerCertificateDER { request.user = authenticator.user(fromCertificateDER: der) }
        if request.user == nil, let header = request.headers.first(name: "authorization") {
            request.user = authenticator.user(fromAuthorizationHeader: header)
        }
        return await handle(request, authenticatedAs: request.user)
    }

    /// Serves a request whose caller is already known (nil: anonymous), as the in-process
    /// transport of the server's own components does.
    public func handle(_ request: APIRequest, authenticatedAs user: UserInfo?) async -> APIResponse {
        var request = request
        request.user = user
        do {
            guard request.user != nil || Self.publicPaths.contains(request.path) else { throw APIError.unauthorized() }
            return try await route(request)
        } catch let error as APIError {
            return error.response()
        } catch {
            logger.error("request failed", metadata: ["path": "\(request.path)", "error": "\(error)"])
            return APIError.internal("\(error)").response()
        }
    }

    func route(_ request: APIRequest) async throws -> APIResponse {
        let path = request.path.count > 1 && request.path.hasSuffix("/") ? String(request.path.dropLast()) : request.path
        switch path {
        case "/healthz", "/livez", "/healthz/ping", "/livez/ping":
            return .text("ok")
        case "/readyz", "/readyz/ping":
            return readiness() ? .text("ok") : .text("[-]ready failed: not ready yet", status: .internalServerError)
        case "/version":
            return .json(version.jsonBytes())
        case "/api", "/apis":
            guard request.method == .GET || request.method == .HEAD else { throw APIError.methodNotAllowed(request.method.rawValue) }
            if let aggregatedVersion = DiscoveryDocuments.wantsAggregated(request.headers.first(name: "accept")) {
                let document = discovery.aggregated(core: path == "/api", version: aggregatedVersion)
                let contentType = DiscoveryDocuments.aggregatedContentType.replacingOccurrences(of: "v=v2", with: "v=\(aggregatedVersion)")
                var response = APIResponse.json(JSONWriter.bytes(document), contentType: contentType)
                response.headers.add(name: "Vary", value: "Accept")
                return response
            }
            var response = APIResponse.json(JSONWriter.bytes(path == "/api" ? discovery.coreVersions() : discovery.groupList()))
            response.headers.add(name: "Vary", value: "Accept")
            return response
        default:
            break
        }
        if path.hasPrefix("/openapi/") {
            return try openAPI.response(path: path, query: request.query)
        }
        let segments = path.split(separator: "/").map(String.init)
        if request.method == .GET {
            if segments.count == 2, segments[0] == "api", let list = discovery.resourceList(group: "", version: segments[1]) {
                return .json(JSONWriter.bytes(list))
            }
            if segments.count == 2, segments[0] == "apis", let group = discovery.group(name: segments[1]) {
                return .json(JSONWriter.bytes(group))
            }
            if segments.count == 3, segments[0] == "apis", let list = discovery.resourceList(group: segments[1], version: segments[2]) {
                return .json(JSONWriter.bytes(list))
            }
        }
        guard let resourceRequest = ResourceRequest.parse(path: path, method: request.method, query: request.query),
            let resource = registry.resource(group: resourceRequest.group, version: resourceRequest.version, plural: resourceRequest.resource)
        else { throw APIError.pathNotFound() }
        guard resource.descriptor.verbs.contains(resourceRequest.verb.rawValue) || resourceRequest.subresource != nil else {
            throw APIError.methodNotAllowed(request.method.rawValue)
        }
        // Protobuf bodies are read for creates and replaces (RequestBody.object); upstream accepts no
        // protobuf patches, and delete options stay JSON.
        if request.headers.first(name: "content-type").map(MediaType.essence(of:)) == KubernetesProtobuf.mediaType,
            request.method != .POST, request.method != .PUT
        {
            throw APIError.unsupportedMediaType(KubernetesProtobuf.mediaType, accepted: RequestBody.objectMediaTypes + RequestBody.patchMediaTypes)
        }
        let scope = RequestScope(http: request, resource: resourceRequest, user: request.user)
        return try await resource.handler.handle(scope, resource: resource)
    }
}
