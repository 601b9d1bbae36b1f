import KubeModel

/// One event of a watch, with its object decoded.
public enum WatchEvent<Object: Sendable>: Sendable {
    case added(Object)
    case modified(Object)
    case deleted(Object)
    /// The server's progress marker: nothing in between needs replaying.
    case bookmark(WatchBookmark)
    /// The server ended the watch with a status, e.g. 410 Gone for a too-old resourceVersion.
    case error(APIStatusError)

    public var type: WatchEventType {
        switch self {
        case .added: return .added
        case .modified: return .modified
        case .deleted: return .deleted
        case .bookmark: return .bookmark
        case .error: return .error
        }
    }

    /// The object of ADDED, MODIFIED and DELETED events.
    public var object: Object? {
        switch self {
        case .added(let object), .modified(let object), .deleted(let object): return object
        case .bookmark, .error: return nil
        }
    }
}

public enum WatchEventType: String, Sendable, Equatable {
    case added = "ADDED"
    case modified = "MODIFIED"
    case deleted = "DELETED"
    case bookmark = "BOOKMARK"
    case error = "ERROR"
}

public struct WatchBookmark: Sendable, Equatable {
    public var resourceVersion: String
    /// Set on the bookmark that ends the initial events of a watch-list.
    public var isInitialEventsEnd: Bool

    public init(resourceVersion: String, isInitialEventsEnd: Bool = false) {
        self.resourceVersion = resourceVersion
        self.isInitialEventsEnd = isInitialEventsEnd
    }
}

extension WatchEvent {
    /// Parses one `{"type":…,"object":…}` frame.
    static func parse(_ line: some Collection<UInt8>, decode: (JSONValue) throws -> Object) throws -> WatchEvent {
        let frame: JSONValue
        do { frame = try JSONParser.parse(line) } catch {
            throw KubeClientError.invalidResponse("watch frame is not JSON: \(error)")
        }
        guard let typeName = frame["type"]?.stringValue, let type = WatchEventType(rawValue: typeName) else {
            throw KubeClientError.invalidResponse("watch frame without a known type: \(frame["type"] ?? .null)")
        }
        let object = frame["object"] ?? .null
        switch type {
        case .added: return .added(try decode(object))
        case .modified: return .modified(try decode(object))
        case .deleted: return .deleted(try decode(object))
        case .bookmark:
            let metadata = object["metadata"]
            return .bookmark(WatchBookmark(
                resourceVersion: metadata?["resourceVersion"]?.stringValue ?? "",
                isInitialEventsEnd: metadata?[path: ["annotations", "k8s.io/initial-events-end"]]?.stringValue == "true"))
        case .error:
            let status = (try? MetaV1.Status(json: object)) ?? MetaV1.Status(code: 500, message: JSONWriter.string(object), reason: "InternalError")
            return .error(APIStatusError(status: status))
        }
    }
}
