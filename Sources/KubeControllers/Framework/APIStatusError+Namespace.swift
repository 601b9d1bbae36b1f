import KubeClient

extension Error {
    /// The API server refused a create because the namespace is being deleted (a Status cause
    /// of reason NamespaceTerminating): every later create there will fail too.
    var isNamespaceTerminating: Bool {
        guard let status = self as? APIStatusError else { return false }
        return status.status.details?.causes?.contains { $0.reason == "NamespaceTerminating" } == true
    }
}
