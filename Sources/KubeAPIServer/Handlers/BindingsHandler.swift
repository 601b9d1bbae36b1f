import KubeModel

/// POST /api/v1/namespaces/{ns}/bindings: the older way to bind a pod, the same as
/// pods/{name}/binding with the pod named by the Binding's metadata.name.
struct BindingsHandler: ResourceHandling {
    let pods: RegisteredResource

    func handle(_ scope: RequestScope, resource: RegisteredResource) async throws -> APIResponse {
        guard scope.resource.verb == .create, scope.resource.name == nil else {
            throw APIError.methodNotAllowed(scope.http.method.rawValue)
        }
        let body = try RequestBody.object(scope.http).0
        guard let name = body[path: ["metadata", "name"]]?.stringValue, !name.isEmpty else {
            throw APIError.invalid(kind: CoreV1.Binding.groupVersionKind, name: "", errors: [.required(FieldPath("metadata", "name"))])
        }
        var podScope = scope
        podScope.resource.resource = "pods"
        podScope.resource.name = name
        podScope.resource.subresource = "binding"
        return try await pods.handler.handle(podScope, resource: pods)
    }
}
