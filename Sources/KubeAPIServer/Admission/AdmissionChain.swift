import Foundation
import KubeModel
import KubeStore

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
    /// What plugins reserved for this request, by plugin, so `finished` releases exactly that.
    public var reserved: [String: JSONValue] = [:]

    /// True for the object itself of the given core-group resource (not one of its subresources).
    func isMain(_ plural: String, group: String = "") -> Bool {
        subresource == nil && resource.plural == plural && resource.group == group
    }
}

/// One admission plugin (upstream's admission.Interface). Mutating plugins change the object
/// before it is validated; validating plugins check it afterwards, just before storage, and
/// learn after the write whether it happened (to release what they reserved).
public protocol AdmissionPlugin: Sendable {
    /// Whether `mutate` may change objects of this resource; the server then hands the object
    /// over before validation and reads it back afterwards.
    func mutates(_ resource: ResourceDescriptor) -> Bool
    /// Mutating admission (upstream's MutationInterface): runs before validation and must not
    /// reserve anything.
    func mutate(_ attributes: inout AdmissionAttributes) async throws
    /// Validating admission: runs after validation; may still fill what the server assigns.
    func admit(_ attributes: inout AdmissionAttributes) async throws
    /// Called after the store write succeeded (`committed` true) or was abandoned.
    func finished(_ attributes: AdmissionAttributes, committed: Bool) async
}

extension AdmissionPlugin {
    public func mutates(_ resource: ResourceDescriptor) -> Bool { false }
    public func mutate(_ attributes: inout AdmissionAttributes) async throws {}
    public func admit(_ attributes: inout AdmissionAttributes) async throws {}
    public func finished(_ attributes: AdmissionAttributes, committed: Bool) async {}
}

/// The ordered plugins a request passes through.
public struct AdmissionChain: Sendable {
    public var plugins: [any AdmissionPlugin]

    public init(_ plugins: [any AdmissionPlugin] = []) { self.plugins = plugins }

    /// The admission plugins kube-apiserver enables by default that Skiff has, in upstream's
    /// order (ServiceAllocator stands for the allocation upstream does in Service storage).
    public static func standard(store: any Store, options: AdmissionOptions = AdmissionOptions(),
                                now: @escaping @Sendable () -> Date = { Date() }) -> AdmissionChain {
        AdmissionChain([
            NamespaceLifecycle(store: store),
            ServiceAccountAdmission(store: store),
            PriorityAdmission(store: store),
            DefaultTolerationSeconds(notReadySeconds: options.defaultNotReadyTolerationSeconds,
                                     unreachableSeconds: options.defaultUnreachableTolerationSeconds),
            ServiceAllocator(store: store),
            ResourceQuotaAdmission(store: store, now: now),
        ])
    }

    public func mutates(_ resource: ResourceDescriptor) -> Bool {
        plugins.contains { $0.mutates(resource) }
    }

    public func mutate(_ attributes: inout AdmissionAttributes) async throws {
        for plugin in plugins where plugin.mutates(attributes.resource) {
            try await plugin.mutate(&attributes)
        }
    }

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

/// Admission settings of the server (kube-apiserver's admission flags).
public struct AdmissionOptions: Sendable {
    /// `--default-not-ready-toleration-seconds`: how long pods tolerate a NotReady node.
    public var defaultNotReadyTolerationSeconds: Int
    /// `--default-unreachable-toleration-seconds`: how long pods tolerate an unreachable node.
    public var defaultUnreachableTolerationSeconds: Int

    public init(defaultNotReadyTolerationSeconds: Int = 300, defaultUnreachableTolerationSeconds: Int = 300) {
        self.defaultNotReadyTolerationSeconds = defaultNotReadyTolerationSeconds
        self.defaultUnreachableTolerationSeconds = defaultUnreachableTolerationSeconds
    }
}
