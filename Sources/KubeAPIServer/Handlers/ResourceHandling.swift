import KubeModel

/// A resource's request handler, erased over its Swift type so the router can hold them all.
public protocol ResourceHandling: Sendable {
    func handle(_ scope: RequestScope, resource: RegisteredResource) async throws -> APIResponse
}
