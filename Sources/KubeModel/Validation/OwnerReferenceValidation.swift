/// The fields of an ownerReference that validation looks at, as plain values (generated API
/// types are adapted to this elsewhere).
public struct OwnerReferenceFields: Sendable, Hashable {
    public var apiVersion: String
    public var kind: String
    public var name: String
    public var uid: String
    public var controller: Bool?
    public var blockOwnerDeletion: Bool?

    public init(
        apiVersion: String, kind: String, name: String, uid: String, controller: Bool? = nil,
        blockOwnerDeletion: Bool? = nil
    ) {
        self.apiVersion = apiVersion
        self.kind = kind
        self.name = name
        self.uid = uid
        self.controller = controller
        self.blockOwnerDeletion = blockOwnerDeletion
    }

    /// Go's `%#v` of the struct, which upstream shows as the bad value (pointers print as
    /// their targets here rather than as addresses).
    var goSyntax: String {
        func pointer(_ value: Bool?) -> String { value.map { "(*bool)(\($0))" } ?? "(*bool)(nil)" }
        return "v1.OwnerReference{APIVersion:\(GoFormatting.quote(apiVersion)), Kind:\(GoFormatting.quote(kind)), "
            + "Name:\(GoFormatting.quote(name)), UID:\(GoFormatting.quote(uid)), Controller:\(pointer(controller)), "
            + "BlockOwnerDeletion:\(pointer(blockOwnerDeletion))}"
    }
}

extension Validation {
    /// apiVersion (its version part), kind, name and uid are required; Events cannot own
    /// anything; at most one reference may be the controller. Errors point at the list, as
    /// upstream's do.
    public static func validateOwnerReferences(_ references: [OwnerReferenceFields], path: FieldPath) -> [FieldError] {
        var errors: [FieldError] = []
        var firstController: String?
        for reference in references {
            errors += validateOwnerReference(reference, path: path)
            guard reference.controller == true else { continue }
            let current = reference.kind + "/" + reference.name
            if let firstController {
                let list = "[]v1.OwnerReference{" + references.map(\.goSyntax).joined(separator: ", ") + "}"
                errors.append(
                    .invalid(
                        path, .rendered(list),
                        "Only one reference can have Controller set to true. Found \"true\" in references for \(firstController) and \(current)"
                    ))
            } else {
                firstController = current
            }
        }
        return errors
    }

    static func validateOwnerReference(_ reference: OwnerReferenceFields, path: FieldPath) -> [FieldError] {
        var errors: [FieldError] = []
        let (group, version) = splitAPIVersion(reference.apiVersion)
        if version.isEmpty {
            errors.append(.invalid(path.child("apiVersion"), .string(reference.apiVersion), "version must not be empty"))
        }
        if reference.kind.isEmpty { errors.append(.invalid(path.child("kind"), .string(reference.kind), "must not be empty")) }
        if reference.name.isEmpty { errors.append(.invalid(path.child("name"), .string(reference.name), "must not be empty")) }
        if reference.uid.isEmpty { errors.append(.invalid(path.child("uid"), .string(reference.uid), "must not be empty")) }
        if group.isEmpty && version == "v1" && reference.kind == "Event" {
            errors.append(.invalid(path, .rendered(reference.goSyntax), "/v1, Kind=Event is disallowed from being an owner"))
        }
        return errors
    }

    /// "apps/v1" → ("apps", "v1"), "v1" → ("", "v1"); more than one '/' yields no version.
    static func splitAPIVersion(_ apiVersion: String) -> (group: String, version: String) {
        if apiVersion.isEmpty || apiVersion == "/" { return ("", "") }
        let parts = apiVersion.split(separator: "/", omittingEmptySubsequences: false)
        switch parts.count {
        case 1: return ("", apiVersion)
        case 2: return (String(parts[0]), String(parts[1]))
        default: return ("", "")
        }
    }
}
