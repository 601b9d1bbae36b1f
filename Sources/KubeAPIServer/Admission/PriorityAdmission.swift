import KubeModel
import KubeStore

/// Upstream's Priority admission. A new pod gets `spec.priority` (and `preemptionPolicy`) from
/// the PriorityClass it names, from the global default class when it names none (0 and
/// PreemptLowerPriority without one); an unknown class or a priority that disagrees with the
/// class is forbidden, and updates keep what creation resolved. Of PriorityClasses, only one
/// may be the global default, and the system classes cannot be deleted (upstream's storage
/// rule, checked here).
public struct PriorityAdmission: AdmissionPlugin {
    static let classKeys = StorageKeys(group: "scheduling.k8s.io", plural: "priorityclasses", namespaced: false)
    static let classes = QualifiedResource(group: "scheduling.k8s.io", resource: "priorityclasses")
    static let pods = QualifiedResource(group: "", resource: "pods")
    static let preemptLowerPriority = "PreemptLowerPriority"

    /// What a pod takes from a class.
    struct ResolvedClass: Equatable {
        var name: String
        var value: Int64
        var preemptionPolicy: String?
        var globalDefault: Bool
    }

    let store: any Store

    public init(store: any Store) { self.store = store }

    public func mutates(_ resource: ResourceDescriptor) -> Bool { resource.plural == "pods" && resource.group.isEmpty }

    public func mutate(_ attributes: inout AdmissionAttributes) async throws {
        guard attributes.isMain("pods"), var pod = attributes.object else { return }
        var spec = pod["spec"]?.objectValue ?? [:]
        switch attributes.operation {
        case .delete:
            return
        case .update:
            // Validation forbids changing them; a client that left them out keeps the old ones.
            for field in ["priority", "preemptionPolicy"] where spec[field] == nil {
                spec[field] = attributes.oldObject?[path: ["spec", field]]
            }
        case .create:
            let className = spec["priorityClassName"]?.stringValue ?? ""
            let resolved: ResolvedClass
            if className.isEmpty {
                resolved = try await defaultClass()
                    ?? ResolvedClass(name: "", value: 0, preemptionPolicy: Self.preemptLowerPriority, globalDefault: false)
                if !resolved.name.isEmpty { spec["priorityClassName"] = .string(resolved.name) }
            } else {
                guard let found = try await priorityClass(named: className) else {
                    throw forbidden(attributes, "no PriorityClass with name \(className) was found")
                }
                resolved = found
            }
            if let given = spec["priority"]?.intValue, given != resolved.value {
                throw forbidden(attributes, "the integer value of priority (\(given)) must not be provided in pod spec; "
                                + "priority admission controller computed \(resolved.value) from the given PriorityClass name")
            }
            spec["priority"] = .int(resolved.value)
            if let given = spec["preemptionPolicy"]?.stringValue, let policy = resolved.preemptionPolicy, given != policy {
                throw forbidden(attributes, "the string value of PreemptionPolicy (\(given)) must not be provided in pod spec; "
                                + "priority admission controller computed \(policy) from the given PriorityClass name")
            }
            spec["preemptionPolicy"] = resolved.preemptionPolicy.map(JSONValue.string)
        }
        pod["spec"] = .object(spec)
        attributes.object = pod
    }

    public func admit(_ attributes: inout AdmissionAttributes) async throws {
        guard attributes.subresource == nil, attributes.resource.plural == "priorityclasses",
            attributes.resource.group == "scheduling.k8s.io"
        else { return }
        switch attributes.operation {
        case .delete:
            if PriorityClassStrategy.systemClasses[attributes.name] != nil {
                throw APIError.forbidden(Self.classes, name: attributes.name, message: "this is a system priority class and cannot be deleted")
            }
        case .create, .update:
            guard attributes.object?["globalDefault"]?.boolValue == true, let current = try await defaultClass() else { return }
            if attributes.operation == .create || current.name != attributes.name {
                throw APIError.forbidden(Self.classes, name: attributes.name,
                                         message: "PriorityClass \(current.name) is already marked as default. Only one default can exist")
            }
        }
    }

    func forbidden(_ attributes: AdmissionAttributes, _ message: String) -> APIError {
        APIError.forbidden(Self.pods, name: attributes.name, message: message)
    }

    func priorityClass(named name: String) async throws -> ResolvedClass? {
        guard let kv = try await store.get(Self.classKeys.key(namespace: nil, name: name)) else { return nil }
        return Self.resolved(try JSONParser.parse(kv.value))
    }

    /// The global default class; should a race have made several, the lowest value wins.
    func defaultClass() async throws -> ResolvedClass? {
        let listed = try await store.list(prefix: Self.classKeys.prefix, startAfter: nil, limit: nil, atRevision: nil)
        var best: ResolvedClass?
        for kv in listed.items {
            guard let parsed = try? JSONParser.parse(kv.value), let candidate = Self.resolved(parsed), candidate.globalDefault else {
                continue
            }
            if best.map({ candidate.value < $0.value }) ?? true { best = candidate }
        }
        return best
    }

    static func resolved(_ json: JSONValue) -> ResolvedClass? {
        guard let name = json[path: ["metadata", "name"]]?.stringValue else { return nil }
        return ResolvedClass(name: name, value: json["value"]?.intValue ?? 0,
                             preemptionPolicy: json["preemptionPolicy"]?.stringValue,
                             globalDefault: json["globalDefault"]?.boolValue ?? false)
    }
}
