/// Who owns a field set: a manager name with the operation it used, the API version for updaters
/// and the subresource. Appliers leave the version out, so one applier keeps one entry whatever
/// version it applies through; updaters get an entry per version (upstream's manager identifier).
struct ManagerIdentity: Sendable, Hashable {
    static let applyOperation = "Apply"
    static let updateOperation = "Update"

    let manager: String
    let operation: String
    let apiVersion: String
    let subresource: String

    init(manager: String, operation: String, apiVersion: String, subresource: String) {
        self.manager = manager
        self.operation = operation
        self.apiVersion = operation == Self.applyOperation ? "" : apiVersion
        self.subresource = subresource
    }

    var isApplier: Bool { operation == Self.applyOperation }

    /// The identifier upstream keys managers by (the entry's JSON without fields and time); its
    /// order decides ties wherever upstream sorts managers.
    var identifier: String {
        var fields: [String] = []
        if !manager.isEmpty { fields.append("\"manager\":" + GoText.json(.string(manager))) }
        if !operation.isEmpty { fields.append("\"operation\":" + GoText.json(.string(operation))) }
        if !apiVersion.isEmpty { fields.append("\"apiVersion\":" + GoText.json(.string(apiVersion))) }
        if !subresource.isEmpty { fields.append("\"subresource\":" + GoText.json(.string(subresource))) }
        return "{" + fields.joined(separator: ",") + "}"
    }

    /// How conflict messages name the manager: `"kubectl"`, or `"kube-controller-manager" using apps/v1`
    /// for updaters, with ` with subresource "status"` when it wrote through one.
    var conflictDescription: String {
        var text = GoText.quoted(manager)
        if !subresource.isEmpty { text += " with subresource \(GoText.quoted(subresource))" }
        if operation == Self.updateOperation { text += " using \(apiVersion)" }
        return text
    }
}
