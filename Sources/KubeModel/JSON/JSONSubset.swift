/// The parts of a JSON document worth building: whole values at some paths. Parsing with a
/// subset skips the rest unread, so checking a few fields of a large stored object (a watch's
/// label and field selectors) costs a scan rather than a full parse.
public indirect enum JSONSubset: Sendable, Equatable {
    /// The whole value.
    case all
    /// Of an object, only these members (each narrowed further); other values are kept whole.
    case members([String: JSONSubset])

    /// The values at `paths` (`[["metadata", "labels"], ["spec", "nodeName"]]`); a path that
    /// is a prefix of another keeps all of that value.
    public init(paths: [[String]]) {
        self = .members([:])
        for path in paths { insert(path[...]) }
    }

    private mutating func insert(_ path: ArraySlice<String>) {
        guard case .members(var members) = self else { return }
        guard let first = path.first else {
            self = .all
            return
        }
        var child = members[first] ?? .members([:])
        child.insert(path.dropFirst())
        members[first] = child
        self = .members(members)
    }
}

extension JSONReader {
    /// Reads the next value, building only `subset` of it.
    public mutating func readValue(keeping subset: JSONSubset) throws(JSONParseError) -> JSONValue {
        guard case .members(let wanted) = subset, peekKind() == .object else { return try readValue() }
        try enterObject()
        var object = JSONObject()
        while let key = try nextKey() {
            if let child = wanted[key] {
                object[key] = try readValue(keeping: child)
            } else {
                try skipValue()
            }
        }
        return .object(object)
    }
}

extension JSONParser {
    /// Parses `bytes`, building only `subset` of the document (syntax is checked throughout).
    public static func parse(_ bytes: some Collection<UInt8>, keeping subset: JSONSubset) throws -> JSONValue {
        try JSONReader.read(bytes) { reader in
            let value = try reader.readValue(keeping: subset)
            try reader.expectEnd()
            return value
        }
    }
}
