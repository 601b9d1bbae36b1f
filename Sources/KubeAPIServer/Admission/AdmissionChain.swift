import KubeModel

/// What admission sees of a request: the operation, the resource and the objects involved.
/// Mutating plugins change `object`; validating plugins throw an `APIError`.
public struct AdmissionAttributes: Sendable {
    public enum Operation: String, Sendable { case create = "CREATE", update = "UPDATE", delete = "DELETE" }

    public var operation: Operation
    public var resource: ResourceDescriptor
    public var subresource: String?
    public var namespace: String?
    public var name: String
    public var object: JSONValue?
    public var oldObject: JSONValue?
    public var user: UserInfo?
    public var isDryRun: Bool
}

/// One admission plugin (upstream's admission.Interface): mutate/validate before storage, and
/// learn afterwards whether the write happened (to release what it reserved).
public protocol AdmissionPlugin: Sendable {
    func admit(_ attributes: inout AdmissionAttributes) async throws
    /// Called after the store write succeeded (`committed` true) or was abandoned.
    func finished(_ attributes: AdmissionAttributes, committed: Bool) async
}

extension AdmissionPlugin {
    public func finished(_ attributes: AdmissionAttributes, committed: Bool) async {}
}

/// The ordered plugins a request passes through.
public struct AdmissionChain: Sendable {
    public var plugins: [any AdmissionPlugin]

    public init(_ plugins: [any AdmissionPlugin] = []) { self.plugins = plugins }

    public func admit(_ attributes: inout AdmissionAttributes) async throws {
        for (index, plugin) in plugins.enumerated() {
            do {
                try await plugin.admit(&attributes)
            } catch {
                // Plugins that already reserved something for this request release it.
                for earlier in plugins[..<index] { await earlier.finished(attributes, committed: false) }
                throw error
            }
        }
    }

    public func finished(_ attributes: AdmissionAttributes, committed: Bool) async {
        for plugin in plugins { await plugin.finished(attributes, committed: committed) }
    }
}
