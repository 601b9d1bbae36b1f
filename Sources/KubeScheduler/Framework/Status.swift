/// The outcome of running a plugin (upstream's framework.Status): a code, the reasons a node or
/// pod was rejected (each one counted separately in a FitError), and the plugin that said so.
public struct Status: Sendable, Hashable, CustomStringConvertible {
    public enum Code: Sendable, Hashable {
        case success
        /// An internal error: the cycle stops and the pod is retried with back-off.
        case error
        /// Rejected, but removing pods (preemption) may help.
        case unschedulable
        /// Rejected, and preemption cannot help on this node.
        case unschedulableAndUnresolvable
        /// The plugin has nothing to do for this pod (PreFilter/PreScore); its later
        /// extension points are skipped for the cycle.
        case skip
    }

    public var code: Code
    public var reasons: [String]
    /// The plugin that produced a rejection; set by the framework.
    public var plugin: String?

    public init(_ code: Code, _ reasons: [String] = [], plugin: String? = nil) {
        self.code = code
        self.reasons = reasons
        self.plugin = plugin
    }

    public init(_ code: Code, _ reason: String, plugin: String? = nil) {
        self.init(code, [reason], plugin: plugin)
    }

    public static let success = Status(.success)
    public static let skip = Status(.skip)

    public static func unschedulable(_ reasons: String...) -> Status { Status(.unschedulable, reasons) }
    public static func unresolvable(_ reasons: String...) -> Status { Status(.unschedulableAndUnresolvable, reasons) }
    public static func error(_ message: String) -> Status { Status(.error, [message]) }

    public var isSuccess: Bool { code == .success }
    /// Unschedulable or UnschedulableAndUnresolvable (upstream `IsRejected`).
    public var isRejected: Bool { code == .unschedulable || code == .unschedulableAndUnresolvable }

    /// The reasons joined as upstream's `Message()` does.
    public var message: String { reasons.joined(separator: ", ") }

    public var description: String {
        let name: String
        switch code {
        case .success: name = "Success"
        case .error: name = "Error"
        case .unschedulable: name = "Unschedulable"
        case .unschedulableAndUnresolvable: name = "UnschedulableAndUnresolvable"
        case .skip: name = "Skip"
        }
        return reasons.isEmpty ? name : "\(name): \(message)"
    }

    func from(plugin name: String) -> Status {
        var copy = self
        copy.plugin = name
        return copy
    }
}

/// Per-node rejection statuses of one cycle (upstream's NodeToStatus): nodes that were not
/// evaluated take `absentStatus` (set when a PreFilter rejected or narrowed the node set).
public struct NodeToStatus: Sendable, Hashable {
    public private(set) var statuses: [String: Status] = [:]
    public var absentStatus: Status?

    public init(_ statuses: [String: Status] = [:], absentStatus: Status? = nil) {
        self.statuses = statuses
        self.absentStatus = absentStatus
    }

    public subscript(node: String) -> Status? {
        get { statuses[node] ?? absentStatus }
        set { statuses[node] = newValue }
    }

    public var count: Int { statuses.count }

    /// Names of `allNodes` whose status has `code`, the absent status applying to the rest.
    public func nodes(withCode code: Status.Code, among allNodes: [String]) -> [String] {
        allNodes.filter { self[$0]?.code == code }
    }
}
