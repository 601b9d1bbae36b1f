/// A server-side apply that would change fields other managers own, refused because it was not
/// forced. Carries upstream's 409 Status: its message and one `FieldManagerConflict` cause per field.
public struct ApplyConflict: Error, Sendable, Equatable, CustomStringConvertible {
    public struct Conflict: Sendable, Equatable {
        /// The owning manager's name.
        public var manager: String
        /// How upstream names the owner: `"kubectl"`, `"kubectl-client-side-apply" using apps/v1`.
        public var owner: String
        public var path: FieldSetPath

        public init(manager: String, owner: String, path: FieldSetPath) {
            self.manager = manager
            self.owner = owner
            self.path = path
        }
    }

    public var conflicts: [Conflict]
    public var message: String

    /// Conflicts grouped by owner, owners in upstream's order (by manager identifier).
    init(_ conflictsByOwner: [(owner: ManagerIdentity, fields: FieldSet)]) {
        let ordered = conflictsByOwner.sorted { compareBytes($0.owner.identifier, $1.owner.identifier) < 0 }
        conflicts = ordered.flatMap { owner, fields in
            fields.paths.map { Conflict(manager: owner.manager, owner: owner.conflictDescription, path: $0) }
        }
        if conflicts.count == 1 {
            message = "Apply failed with 1 conflict: conflict with \(conflicts[0].owner): \(conflicts[0].path)"
        } else {
            var lines: [String] = []
            for (owner, fields) in ordered {
                lines.append("conflicts with \(owner.conflictDescription):")
                lines += fields.paths.map { "- \($0)" }
            }
            message = "Apply failed with \(conflicts.count) conflicts: " + lines.joined(separator: "\n")
        }
    }

    public var causes: [MetaV1.StatusCause] {
        conflicts.map { MetaV1.StatusCause(field: $0.path.description, message: "conflict with \($0.owner)", reason: "FieldManagerConflict") }
    }

    public var code: Int { 409 }

    public var status: MetaV1.Status {
        MetaV1.Status(code: code, details: MetaV1.StatusDetails(causes: causes), message: message, reason: "Conflict", status: "Failure")
    }

    public var description: String { message }
}
