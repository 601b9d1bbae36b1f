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
    /// Parses one `{"type":…,"object":…}` frame; `decode` reads the object straight from the
    /// frame's text.
    static func parse(_ line: [UInt8], decode: (inout JSONReader) throws -> Object) throws -> WatchEvent {
        let frame: (type: String?, object: [UInt8])
        do { frame = try members(of: line) } catch let error as JSONParseError {
            throw KubeClientError.invalidResponse("watch frame is not JSON: \(error)")
        }
        guard let typeName = frame.type, let type = WatchEventType(rawValue: typeName) else {
            throw KubeClientError.invalidResponse("watch frame without a known type: \(frame.type ?? "null")")
        }
        func decodeObject() throws -> Object {
            do {
                return try JSONReader.read(frame.object) { reader in
                    let object = try decode(&reader)
                    try reader.expectEnd()
                    return object
                }
            } catch let error as JSONParseError {
                throw KubeClientError.invalidResponse("watch frame is not JSON: \(error)")
            }
        }
        switch type {
        case .added: return .added(try decodeObject())
        case .modified: return .modified(try decodeObject())
        case .deleted: return .deleted(try decodeObject())
        case .bookmark:
            let object = try JSONParser.parse(frame.object)
            let metadata = object["metadata"]
            return .bookmark(WatchBookmark(
                resourceVersion: metadata?["resourceVersion"]?.stringValue ?? "",
                isInitialEventsEnd: metadata?[path: ["annotations", "k8s.io/initial-events-end"]]?.stringValue == "true"))
        case .error:
            let object = try JSONParser.parse(frame.object)
            let status = (try? MetaV1.Status(json: object)) ?? MetaV1.Status(code: 500, message: JSONWriter.string(object), reason: "InternalError")
            return .error(APIStatusError(status: status))
        }
    }

    /// The frame's type and the text of its object (`null` when it has none).
    private static func members(of line: [UInt8]) throws -> (type: String?, object: [UInt8]) {
        try JSONReader.read(line) { reader in
            var type: String?
            var object = Array("null".utf8)
            try reader.enterObject()
            while let key = try reader.nextKey() {
                switch key {
                case "type": type = try reader.readValue().stringValue
                case "object": object = Array(try reader.skipValueBytes())
                default: try reader.skipValue()
                }
            }
            try reader.expectEnd()
            return (type, object)
        }
    }
}
