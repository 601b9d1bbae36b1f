import KubeModel

/// Per-kind behaviour of the generic storage handler, as upstream's REST strategies: defaulting,
/// validation, what a create or update may change, and which fields field selectors can use.
/// Everything has a default, so a kind needs a strategy only for what differs.
public protocol ResourceStrategy: Sendable {
    associatedtype Object: KubeObject

    /// Upstream's defaulting (SetObjectDefaults_<Kind>), applied on create and on every update.
    func applyDefaults(_ object: inout Object)
    /// Create: reset what a client may not set (status is already cleared for kinds with a
    /// status subresource).
    func prepareForCreate(_ object: inout Object)
    /// Update of the main resource (status has already been carried over from `old`).
    func prepareForUpdate(_ object: inout Object, old: Object)
    /// Validation of a new object, beyond the generic metadata checks.
    func validate(_ object: Object) -> [FieldError]
    /// Validation of an update (immutable fields and the like).
    func validateUpdate(_ object: Object, old: Object) -> [FieldError]
    /// Fields beyond metadata.name/namespace that field selectors may use (spec.nodeName…).
    func selectableFields(_ object: Object) -> [String: String]
    /// The same fields of a stored object. Every watcher with a field selector asks for them on
    /// every event, so kinds watched that way at scale (pods, by every kubelet) name where they
    /// are in the JSON (`storedSelectableFields`); for the others, the object is decoded with
    /// `decode`.
    func selectableFields(json: JSONValue, decode: (JSONValue) throws -> Object) throws -> [String: String]
    /// Where each selectable field is in the stored JSON, when all of them can be read there;
    /// nil (the default) when they need the decoded object.
    var storedSelectableFields: [String: StoredSelectableField]? { get }
    /// Whether metadata.generation counts spec changes (workloads, pods).
    var tracksGeneration: Bool { get }
    /// Names must be DNS-1123 subdomains for most kinds; some require a DNS-1123 label.
    var nameValidation: NameValidation { get }
    /// Kinds with a status subresource start with empty status unless this is true (Nodes
    /// register with their status; Pods set their own in prepareForCreate).
    var keepsStatusOnCreate: Bool { get }
}

/// A field-selector field read straight from an object's JSON.
public struct StoredSelectableField: Sendable {
    public var path: [String]
    /// The value when the field is absent ("" for strings, "false" for booleans).
    public var absent: String

    public init(_ path: [String], absent: String = "") {
        self.path = path
        self.absent = absent
    }

    /// The fields' values in `json`, as text (booleans as "true"/"false").
    public static func values(_ fields: [String: StoredSelectableField], of json: JSONValue) -> [String: String] {
        fields.mapValues { field in
            let value = json[path: field.path]
            return value?.stringValue ?? value?.boolValue.map { String($0) } ?? field.absent
        }
    }
}

public enum NameValidation: Sendable {
    case dns1123Subdomain
    case dns1123Label
    case dns1035Label
    /// Any name that is a valid path segment (RBAC objects).
    case pathSegment
}

extension ResourceStrategy {
    public func applyDefaults(_ object: inout Object) {}
    public func prepareForCreate(_ object: inout Object) {}
    public func prepareForUpdate(_ object: inout Object, old: Object) {}
    public func validate(_ object: Object) -> [FieldError] { [] }
    public func validateUpdate(_ object: Object, old: Object) -> [FieldError] { [] }
    public func selectableFields(_ object: Object) -> [String: String] { [:] }
    public func selectableFields(json: JSONValue, decode: (JSONValue) throws -> Object) throws -> [String: String] {
        guard let stored = storedSelectableFields else { return selectableFields(try decode(json)) }
        return StoredSelectableField.values(stored, of: json)
    }
    public var storedSelectableFields: [String: StoredSelectableField]? { nil }
    public var tracksGeneration: Bool { false }
    public var nameValidation: NameValidation { .dns1123Subdomain }
    public var keepsStatusOnCreate: Bool { false }
}

/// The strategy of kinds that need nothing beyond the generic behaviour.
public struct DefaultStrategy<Object: KubeObject>: ResourceStrategy {
    public init() {}
}
