/// An API group, version and kind ("apps", "v1", "Deployment"); the core group is "".
public struct GroupVersionKind: Sendable, Hashable, CustomStringConvertible {
    public var group: String
    public var version: String
    public var kind: String

    public init(group: String, version: String, kind: String) {
        self.group = group
        self.version = version
        self.kind = kind
    }

    /// "v1" for the core group, "apps/v1" otherwise, as `apiVersion` fields spell it.
    public var apiVersion: String { group.isEmpty ? version : "\(group)/\(version)" }

    public var description: String { "\(apiVersion), Kind=\(kind)" }

    /// Splits an `apiVersion` value into group and version.
    public static func split(apiVersion: String) -> (group: String, version: String) {
        guard let slash = apiVersion.firstIndex(of: "/") else { return ("", apiVersion) }
        return (String(apiVersion[..<slash]), String(apiVersion[apiVersion.index(after: slash)...]))
    }
}

/// A generated type with exactly one group/version/kind.
public protocol KubeTyped: JSONCodable {
    static var groupVersionKind: GroupVersionKind { get }
}

/// A top-level API object with ObjectMeta: Pod, Deployment, ConfigMap…
public protocol KubeObject: KubeTyped {
    init()
    var apiVersion: String? { get set }
    var kind: String? { get set }
    var metadata: MetaV1.ObjectMeta { get set }
}

/// A list kind (PodList…) with ListMeta and items.
public protocol KubeObjectList: KubeTyped {
    associatedtype Item: KubeObject
    var metadata: MetaV1.ListMeta { get set }
    var items: [Item] { get set }
}

extension KubeObject {
    /// Fills apiVersion and kind from the type, as the API server writes them on every object.
    public mutating func setTypeMeta() {
        apiVersion = Self.groupVersionKind.apiVersion
        kind = Self.groupVersionKind.kind
    }
}
