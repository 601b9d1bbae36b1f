/// Reads the REST paths of the schema into the list of resources Skiff serves: plural name,
/// kind, scope, verbs and subresources, for discovery and the API server's registry.
struct ResourceCatalogGenerator {
    struct Resource {
        var group: String
        var version: String
        var plural: String
        var kind = ""
        var namespaced = false
        var verbs: Set<String> = []
        var subresources: [String: (group: String, version: String, kind: String, verbs: Set<String>)] = [:]
    }

    static let verbOrder = ["create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"]

    func resources(paths: [String: Any], served: Set<String>) -> [Resource] {
        var resources: [String: Resource] = [:]
        for (path, value) in paths {
            guard let operations = value as? [String: Any] else { continue }
            var segments = path.split(separator: "/").map(String.init)
            let group: String
            let version: String
            if segments.first == "api", segments.count >= 2 {
                group = ""
                version = segments[1]
                segments.removeFirst(2)
            } else if segments.first == "apis", segments.count >= 3 {
                group = segments[1]
                version = segments[2]
                segments.removeFirst(3)
            } else {
                continue
            }
            guard served.contains("\(group)/\(version)") else { continue }
            var isWatchPath = false
            if segments.first == "watch" {
                isWatchPath = true
                segments.removeFirst()
            }
            var namespaced = false
            if segments.count >= 3, segments[0] == "namespaces", segments[1] == "{namespace}" {
                namespaced = true
                segments.removeFirst(2)
            }
            guard let plural = segments.first, !plural.hasPrefix("{") else { continue }
            let hasName = segments.count >= 2 && segments[1] == "{name}"
            let subresource = segments.count == 3 && hasName ? segments[2] : nil
            guard segments.count <= 3, segments.count == 1 || hasName else { continue }

            let key = "\(group)/\(version)/\(plural)"
            var resource = resources[key] ?? Resource(group: group, version: version, plural: plural)
            if namespaced { resource.namespaced = true }
            for (method, operationValue) in operations {
                guard let operation = operationValue as? [String: Any],
                    let action = operation["x-kubernetes-action"] as? String
                else { continue }
                let gvk = operation["x-kubernetes-group-version-kind"] as? [String: Any]
                let verb: String
                switch action {
                case "post": verb = "create"
                case "put": verb = "update"
                case "watch", "watchlist": verb = "watch"
                case "connect": verb = method == "get" ? "get" : "create"
                default: verb = action
                }
                if let subresource {
                    var entry = resource.subresources[subresource]
                        ?? (gvk?["group"] as? String ?? group, gvk?["version"] as? String ?? version, gvk?["kind"] as? String ?? "", [])
                    entry.verbs.insert(verb)
                    resource.subresources[subresource] = entry
                } else {
                    resource.verbs.insert(isWatchPath ? "watch" : verb)
                    if let kind = gvk?["kind"] as? String, resource.kind.isEmpty { resource.kind = kind }
                }
            }
            resources[key] = resource
        }
        return resources.values.filter { !$0.kind.isEmpty }.sorted { ($0.group, $0.version, $0.plural) < ($1.group, $1.version, $1.plural) }
    }

    func generate(paths: [String: Any], served: Set<String>) -> String {
        func literal(_ verbs: Set<String>) -> String {
            "[" + Self.verbOrder.filter(verbs.contains).map { SwiftSyntax.stringLiteral($0) }.joined(separator: ", ") + "]"
        }
        var out = "/// Every resource of the served group versions, read from the schema's REST paths.\n"
        out += "public let generatedResourceCatalog: [ResourceDescriptor] = [\n"
        for resource in resources(paths: paths, served: served) {
            out += "    ResourceDescriptor(\n"
            out += "        group: \(SwiftSyntax.stringLiteral(resource.group)), version: \(SwiftSyntax.stringLiteral(resource.version)), "
            out += "plural: \(SwiftSyntax.stringLiteral(resource.plural)), kind: \(SwiftSyntax.stringLiteral(resource.kind)),\n"
            out += "        namespaced: \(resource.namespaced), verbs: \(literal(resource.verbs)),\n"
            out += "        subresources: ["
            let subresources = resource.subresources.keys.sorted().map { name -> String in
                let entry = resource.subresources[name]!
                return "\n            SubresourceDescriptor(name: \(SwiftSyntax.stringLiteral(name)), group: \(SwiftSyntax.stringLiteral(entry.group)), "
                    + "version: \(SwiftSyntax.stringLiteral(entry.version)), kind: \(SwiftSyntax.stringLiteral(entry.kind)), verbs: \(literal(entry.verbs))),"
            }
            out += subresources.joined()
            out += subresources.isEmpty ? "]),\n" : "\n        ]),\n"
        }
        out += "]\n"
        return out
    }
}
