import KubeModel

/// A resource the server serves: its discovery description and the handler that stores it.
public struct RegisteredResource: Sendable {
    public var descriptor: ResourceDescriptor
    public var shortNames: [String]
    public var categories: [String]
    public var handler: any ResourceHandling

    public var singularName: String { descriptor.kind.lowercased() }
    public var qualified: QualifiedResource { QualifiedResource(group: descriptor.group, resource: descriptor.plural) }
    public func hasSubresource(_ name: String) -> Bool { descriptor.subresources.contains { $0.name == name } }
}

/// Every served resource by group, version and plural name, plus the group versions in
/// discovery order.
public struct ResourceRegistry: Sendable {
    private var resources: [String: RegisteredResource] = [:]
    public private(set) var groupVersions: [(group: String, versions: [String])] = []

    public init() {}

    private static func key(_ group: String, _ version: String, _ plural: String) -> String {
        "\(group)/\(version)/\(plural)"
    }

    public mutating func register(_ resource: RegisteredResource) {
        let d = resource.descriptor
        resources[Self.key(d.group, d.version, d.plural)] = resource
        if let index = groupVersions.firstIndex(where: { $0.group == d.group }) {
            if !groupVersions[index].versions.contains(d.version) {
                groupVersions[index].versions.append(d.version)
                groupVersions[index].versions.sort { VersionPriority.higher($0, than: $1) }
            }
        } else {
            groupVersions.append((d.group, [d.version]))
            groupVersions.sort {
                (DiscoveryNames.groupOrder.firstIndex(of: $0.group) ?? 99, $0.group)
                    < (DiscoveryNames.groupOrder.firstIndex(of: $1.group) ?? 99, $1.group)
            }
        }
    }

    public func resource(group: String, version: String, plural: String) -> RegisteredResource? {
        resources[Self.key(group, version, plural)]
    }

    public func resources(group: String, version: String) -> [RegisteredResource] {
        resources.values.filter { $0.descriptor.group == group && $0.descriptor.version == version }
            .sorted { $0.descriptor.plural < $1.descriptor.plural }
    }

    public var all: [RegisteredResource] { Array(resources.values) }

    public func resource(forKind gvk: GroupVersionKind) -> RegisteredResource? {
        resources.values.first { $0.descriptor.groupVersionKind == gvk }
    }
}

/// Upstream's version ordering: GA before beta before alpha, higher numbers first.
enum VersionPriority {
    static func higher(_ a: String, than b: String) -> Bool {
        func rank(_ v: String) -> (Int, Int, Int) {
            let scanner = v.dropFirst()
            let major = Int(scanner.prefix { $0.isNumber }) ?? 0
            let rest = scanner.drop { $0.isNumber }
            if rest.isEmpty { return (3, major, 0) }
            let stability = rest.hasPrefix("beta") ? 2 : 1
            let minor = Int(rest.drop { !$0.isNumber }) ?? 0
            return (stability, major, minor)
        }
        return rank(a) > rank(b)
    }
}
