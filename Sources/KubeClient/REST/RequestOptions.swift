import KubeModel

/// Options of list, watch and deletecollection requests (metav1.ListOptions).
public struct ListOptions: Sendable, Equatable {
    public var labelSelector: String?
    public var fieldSelector: String?
    /// Page size; the response's `continue` token fetches the next page.
    public var limit: Int?
    public var continueToken: String?
    public var resourceVersion: String?
    /// "Exact" or "NotOlderThan", with `resourceVersion`.
    public var resourceVersionMatch: String?
    /// Server-side limit of a watch.
    public var timeoutSeconds: Int?
    public var allowWatchBookmarks = false
    /// Watch-list: a watch that starts with the current state as ADDED events, then a bookmark
    /// marked `k8s.io/initial-events-end`.
    public var sendInitialEvents: Bool?

    public init(labelSelector: String? = nil, fieldSelector: String? = nil, limit: Int? = nil, continueToken: String? = nil,
                resourceVersion: String? = nil, resourceVersionMatch: String? = nil, timeoutSeconds: Int? = nil,
                allowWatchBookmarks: Bool = false, sendInitialEvents: Bool? = nil) {
        self.labelSelector = labelSelector
        self.fieldSelector = fieldSelector
        self.limit = limit
        self.continueToken = continueToken
        self.resourceVersion = resourceVersion
        self.resourceVersionMatch = resourceVersionMatch
        self.timeoutSeconds = timeoutSeconds
        self.allowWatchBookmarks = allowWatchBookmarks
        self.sendInitialEvents = sendInitialEvents
    }

    var queryItems: [QueryItem] {
        var items: [QueryItem] = []
        if let labelSelector, !labelSelector.isEmpty { items.append(QueryItem("labelSelector", labelSelector)) }
        if let fieldSelector, !fieldSelector.isEmpty { items.append(QueryItem("fieldSelector", fieldSelector)) }
        if let limit, limit > 0 { items.append(QueryItem("limit", String(limit))) }
        if let continueToken, !continueToken.isEmpty { items.append(QueryItem("continue", continueToken)) }
        if let resourceVersion { items.append(QueryItem("resourceVersion", resourceVersion)) }
        if let resourceVersionMatch { items.append(QueryItem("resourceVersionMatch", resourceVersionMatch)) }
        if let timeoutSeconds { items.append(QueryItem("timeoutSeconds", String(timeoutSeconds))) }
        if allowWatchBookmarks { items.append(QueryItem("allowWatchBookmarks", "true")) }
        if let sendInitialEvents { items.append(QueryItem("sendInitialEvents", sendInitialEvents ? "true" : "false")) }
        return items
    }
}

/// Options shared by create, update and patch.
public struct WriteOptions: Sendable, Equatable {
    /// Validate and admit without persisting (`dryRun=All`).
    public var dryRun = false
    public var fieldManager: String?
    /// "Strict", "Warn" or "Ignore".
    public var fieldValidation: String?

    public init(dryRun: Bool = false, fieldManager: String? = nil, fieldValidation: String? = nil) {
        self.dryRun = dryRun
        self.fieldManager = fieldManager
        self.fieldValidation = fieldValidation
    }

    var queryItems: [QueryItem] {
        var items: [QueryItem] = []
        if dryRun { items.append(QueryItem("dryRun", "All")) }
        if let fieldManager { items.append(QueryItem("fieldManager", fieldManager)) }
        if let fieldValidation { items.append(QueryItem("fieldValidation", fieldValidation)) }
        return items
    }
}

/// The kinds of PATCH the API server accepts.
public enum PatchType: Sendable, Equatable {
    /// RFC 7386 JSON merge patch.
    case merge
    /// Kubernetes strategic merge patch (list merge keys, `$patch` directives).
    case strategicMerge
    /// RFC 6902 JSON patch (an array of operations).
    case json
    /// Server-side apply; `force` takes over fields other managers own.
    case apply(force: Bool)

    public var contentType: String {
        switch self {
        case .merge: return "application/merge-patch+json"
        case .strategicMerge: return "application/strategic-merge-patch+json"
        case .json: return "application/json-patch+json"
        case .apply: return "application/apply-patch+yaml"
        }
    }
}

/// Values of `DeleteOptions.propagationPolicy`.
public enum PropagationPolicy {
    public static let background = "Background"
    public static let foreground = "Foreground"
    public static let orphan = "Orphan"
}

extension MetaV1.DeleteOptions {
    /// Delete options with the common fields; preconditions guard against deleting a newer object.
    public static func with(propagationPolicy: String? = nil, gracePeriodSeconds: Int? = nil,
                            preconditionUID: String? = nil, preconditionResourceVersion: String? = nil,
                            dryRun: Bool = false) -> MetaV1.DeleteOptions {
        var options = MetaV1.DeleteOptions()
        options.propagationPolicy = propagationPolicy
        options.gracePeriodSeconds = gracePeriodSeconds
        if preconditionUID != nil || preconditionResourceVersion != nil {
            options.preconditions = MetaV1.Preconditions(resourceVersion: preconditionResourceVersion, uid: preconditionUID)
        }
        if dryRun { options.dryRun = ["All"] }
        return options
    }
}

/// A page of a list: the items and the list metadata (resourceVersion, continue token).
public struct ObjectList<Item: Sendable>: Sendable {
    public var items: [Item]
    public var metadata: MetaV1.ListMeta

    public init(items: [Item], metadata: MetaV1.ListMeta) {
        self.items = items
        self.metadata = metadata
    }

    public var resourceVersion: String { metadata.resourceVersion ?? "" }
    /// The token for the next page; nil on the last page.
    public var continueToken: String? {
        guard let token = metadata.continue, !token.isEmpty else { return nil }
        return token
    }
}

extension ObjectList: Equatable where Item: Equatable {}
