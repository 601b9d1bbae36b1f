import KubeModel

/// One path or query parameter of an operation.
struct OpenAPIParameter: Sendable, Hashable {
    enum Location: String, Sendable { case path, query }

    var name: String
    var location: Location
    /// "string", "integer" or "boolean"; upstream publishes repeatable parameters (dryRun,
    /// command) as plain strings too.
    var type: String
    var description: String

    // Name and location identify a parameter; hashing the long descriptions would only cost time.
    static func == (a: OpenAPIParameter, b: OpenAPIParameter) -> Bool { a.name == b.name && a.location == b.location }
    func hash(into hasher: inout Hasher) {
        hasher.combine(name)
        hasher.combine(location)
    }

    var json: JSONValue {
        var object: JSONObject = ["description": .string(description), "in": .string(location.rawValue), "name": .string(name)]
        if location == .path { object["required"] = true }
        object["schema"] = ["type": .string(type), "uniqueItems": true]
        return .object(object)
    }

    /// Upstream lists parameters by name; a path parameter precedes a query one of the same name.
    static func ordered(_ a: OpenAPIParameter, _ b: OpenAPIParameter) -> Bool {
        (a.name, a.location == .path ? 0 : 1) < (b.name, b.location == .path ? 0 : 1)
    }
}

/// The parameters the API server understands, grouped the way the operations take them.
enum OpenAPIParameters {
    private static func query(_ name: String, _ type: String, _ description: String) -> OpenAPIParameter {
        OpenAPIParameter(name: name, location: .query, type: type, description: description)
    }

    /// DeleteOptions fields double as query parameters; their catalog descriptions are the docs.
    private static func deleteOption(_ name: String, _ type: String) -> OpenAPIParameter {
        let options = SchemaCatalog.definitions["io.k8s.apimachinery.pkg.apis.meta.v1.DeleteOptions"]
        return query(name, type, options?[path: ["p", name, "d"]]?.stringValue ?? name)
    }

    static func name(of kind: String) -> OpenAPIParameter {
        OpenAPIParameter(name: "name", location: .path, type: "string", description: "name of the \(kind)")
    }

    static let namespace = OpenAPIParameter(
        name: "namespace", location: .path, type: "string",
        description: "object name and auth scope, such as for teams and projects")

    static let proxyPathSegment = OpenAPIParameter(name: "path", location: .path, type: "string", description: "path to the resource")

    static let pretty = query("pretty", "string",
        "If 'true', then the output is pretty printed. Defaults to 'false' unless the user-agent indicates a browser or command-line HTTP tool (curl and wget).")

    // MARK: list and watch

    private static let selectorsAndPaging: [OpenAPIParameter] = [
        query("continue", "string",
              "The continue token returned in the metadata of a previous list response, to fetch the next page of results. "
              + "Only valid with the same query parameters as the first request; an expired token yields 410 Gone. "
              + "Not supported together with watch."),
        query("fieldSelector", "string", "A selector to restrict the list of returned objects by their fields. Defaults to everything."),
        query("labelSelector", "string", "A selector to restrict the list of returned objects by their labels. Defaults to everything."),
        query("limit", "integer",
              "limit is the maximum number of items to return in one list response. When more items exist, the response "
              + "metadata carries a `continue` token that fetches the next page from the same consistent snapshot. "
              + "Not supported together with watch."),
        query("resourceVersion", "string",
              "resourceVersion sets a constraint on what resource versions a request may be served from. See "
              + "https://kubernetes.io/docs/reference/using-api/api-concepts/#resource-versions for details.\n\nDefaults to unset"),
        query("resourceVersionMatch", "string",
              "resourceVersionMatch determines how resourceVersion is applied to list calls (Exact or NotOlderThan). See "
              + "https://kubernetes.io/docs/reference/using-api/api-concepts/#resource-versions for details.\n\nDefaults to unset"),
        query("sendInitialEvents", "boolean",
              "`sendInitialEvents=true` may be set together with `watch=true`: the watch stream then begins with synthetic ADDED "
              + "events for the current state of the collection, followed by a BOOKMARK annotated "
              + "`\"k8s.io/initial-events-end\": \"true\"`. Requires `resourceVersionMatch=NotOlderThan` and `allowWatchBookmarks=true`."),
        query("timeoutSeconds", "integer",
              "Timeout for the list/watch call. This limits the duration of the call, regardless of any activity or inactivity."),
    ]

    static let list: [OpenAPIParameter] = selectorsAndPaging + [
        query("allowWatchBookmarks", "boolean",
              "allowWatchBookmarks requests watch events with type \"BOOKMARK\". Bookmarks are sent at the server's discretion; "
              + "clients should not rely on their timing. Ignored when this is not a watch."),
        query("watch", "boolean",
              "Watch for changes to the described resources and return them as a stream of add, update, and remove notifications. Specify resourceVersion."),
    ]

    // MARK: writes

    private static let dryRun = deleteOption("dryRun", "string")

    private static let fieldManager = query("fieldManager", "string",
        "fieldManager is a name associated with the actor or entity that is making these changes. The value must be less than "
        + "or 128 characters long, and only contain printable characters, as defined by https://golang.org/pkg/unicode/#IsPrint.")

    /// kubectl sends `fieldValidation=Strict` only to PATCH operations that list this parameter.
    static let fieldValidation = query("fieldValidation", "string",
        "fieldValidation instructs the server on how to handle objects in the request (POST/PUT/PATCH) containing unknown or "
        + "duplicate fields. Valid values are: - Ignore: unknown fields are silently dropped from the object and all but the "
        + "last duplicate field are ignored. - Warn: the request succeeds, with a warning in the standard warning response "
        + "header for each unknown field dropped and each duplicate field encountered; this is the default. - Strict: the "
        + "request fails with a BadRequest error listing every unknown and duplicate field.")

    static let create: [OpenAPIParameter] = [dryRun, fieldManager, fieldValidation]
    static let update = create
    static let patch: [OpenAPIParameter] = create + [
        query("force", "boolean",
              "Force is going to \"force\" Apply requests: the user re-acquires fields owned by other managers instead of getting "
              + "a conflict. It must be unset for non-apply patch requests."),
    ]

    // MARK: deletes

    static let delete: [OpenAPIParameter] = [
        dryRun, deleteOption("gracePeriodSeconds", "integer"), deleteOption("orphanDependents", "boolean"),
        deleteOption("propagationPolicy", "string"),
    ]

    static let deleteCollection: [OpenAPIParameter] = delete + selectorsAndPaging

    // MARK: subresources that are not objects

    static let log: [OpenAPIParameter] = [
        query("container", "string", "The container for which to stream logs. Defaults to only container if there is one container in the pod."),
        query("follow", "boolean", "Follow the log stream of the pod. Defaults to false."),
        query("insecureSkipTLSVerifyBackend", "boolean",
              "insecureSkipTLSVerifyBackend indicates that the apiserver should not confirm the validity of the serving certificate "
              + "of the backend it is connecting to."),
        query("limitBytes", "integer", "If set, the number of bytes to read from the server before terminating the log output."),
        query("previous", "boolean", "Return previous terminated container logs. Defaults to false."),
        query("sinceSeconds", "integer",
              "A relative time in seconds before the current time from which to show logs. Only one of sinceSeconds or sinceTime may be specified."),
        query("stream", "string", "Specify which container log stream to return to the client: All, Stdout or Stderr. Defaults to All."),
        query("tailLines", "integer", "If set, the number of lines from the end of the logs to show."),
        query("timestamps", "boolean", "If true, add an RFC3339 timestamp at the beginning of every line of log output. Defaults to false."),
    ]

    /// The stream parameters shared by exec and attach.
    private static func streams(call: String, container: String) -> [OpenAPIParameter] {
        [
            query("container", "string", "\(container) Defaults to only container if there is only one container in the pod."),
            query("stderr", "boolean", "Redirect the standard error stream of the pod for this call."),
            query("stdin", "boolean", "Redirect the standard input stream of the pod for this call. Defaults to false."),
            query("stdout", "boolean", "Redirect the standard output stream of the pod for this call."),
            query("tty", "boolean", "TTY if true indicates that a tty will be allocated for the \(call) call. Defaults to false."),
        ]
    }

    /// Query parameters of a connect subresource (exec, attach, portforward, proxy).
    static func connect(_ subresource: String, parentKind: String) -> [OpenAPIParameter] {
        switch subresource {
        case "exec":
            return [query("command", "string", "Command is the remote command to execute, one argv element per parameter. Not executed within a shell.")]
                + streams(call: "exec", container: "Container in which to execute the command.")
        case "attach": return streams(call: "attach", container: "The container in which to execute the command.")
        case "portforward": return [query("ports", "integer", "List of ports to forward.")]
        case "proxy": return [query("path", "string", "Path is the URL path to use for the current proxy request to the \(parentKind.lowercased()).")]
        default: return []
        }
    }
}
