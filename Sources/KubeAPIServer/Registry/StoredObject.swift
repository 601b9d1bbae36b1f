import KubeModel
import KubeStore

/// How objects sit in the store: compact JSON with apiVersion, kind and metadata first and no
/// resourceVersion — the store's modification revision is the resourceVersion, so it is spliced
/// into the bytes on the way out instead of decoding and re-encoding every object read.
public enum StoredObject {
    /// Bytes to store for an object: resourceVersion removed, apiVersion/kind/metadata first.
    public static func storageBytes(_ object: JSONValue) -> [UInt8] {
        guard case .object(let members) = object else { return JSONWriter.bytes(object) }
        var ordered = JSONObject()
        ordered.reserveCapacity(members.count)
        for key in ["apiVersion", "kind"] { if let value = members[key] { ordered[key] = value } }
        var metadata = members["metadata"]?.objectValue ?? JSONObject()
        metadata.removeValue(forKey: "resourceVersion")
        ordered["metadata"] = .object(metadata)
        for (key, value) in members where ordered[key] == nil { ordered[key] = value }
        return JSONWriter.bytes(.object(ordered))
    }

    private static let metadataMarker = Array("\"metadata\":{".utf8)

    /// The stored bytes with `metadata.resourceVersion` set to the revision they were written at.
    public static func responseBytes(_ kv: KeyValue) -> [UInt8] {
        responseBytes(kv.value, resourceVersion: kv.modRevision)
    }

    public static func responseBytes(_ value: [UInt8], resourceVersion: Int64) -> [UInt8] {
        guard let start = firstIndex(of: metadataMarker, in: value) else { return value }
        let insertAt = start + metadataMarker.count
        var field = Array("\"resourceVersion\":\"\(resourceVersion)\"".utf8)
        if insertAt < value.count, value[insertAt] != UInt8(ascii: "}") { field.append(UInt8(ascii: ",")) }
        var result = [UInt8]()
        result.reserveCapacity(value.count + field.count)
        result.append(contentsOf: value[..<insertAt])
        result.append(contentsOf: field)
        result.append(contentsOf: value[insertAt...])
        return result
    }

    /// The stored object as JSON with its resourceVersion set.
    public static func decode(_ kv: KeyValue) throws -> JSONValue {
        var object = try JSONParser.parse(kv.value)
        setResourceVersion(&object, kv.modRevision)
        return object
    }

    public static func setResourceVersion(_ object: inout JSONValue, _ revision: Int64) {
        guard case .object(var members) = object else { return }
        var metadata = members["metadata"]?.objectValue ?? JSONObject()
        metadata["resourceVersion"] = .string(String(revision))
        members["metadata"] = .object(metadata)
        object = .object(members)
    }

    /// Byte-pattern search; the marker occurs first at top level because apiVersion and kind
    /// precede metadata and cannot contain an unescaped quote.
    static func firstIndex(of pattern: [UInt8], in bytes: [UInt8]) -> Int? {
        guard bytes.count >= pattern.count, let first = pattern.first else { return nil }
        var index = 0
        let last = bytes.count - pattern.count
        while index <= last {
            if bytes[index] == first {
                var matches = true
                for offset in 1..<pattern.count where bytes[index + offset] != pattern[offset] {
                    matches = false
                    break
                }
                if matches { return index }
            }
            index += 1
        }
        return nil
    }
}

/// Store keys: `/registry/<group or core>/<plural>/<namespace>/<name>` for namespaced resources
/// and `/registry/<group or core>/<plural>/<name>` for cluster-scoped ones.
public struct StorageKeys: Sendable {
    public let prefix: String
    public let namespaced: Bool

    public init(group: String, plural: String, namespaced: Bool) {
        prefix = "/registry/\(group.isEmpty ? "core" : group)/\(plural)/"
        self.namespaced = namespaced
    }

    public func key(namespace: String?, name: String) -> String {
        namespaced ? prefix + (namespace ?? "") + "/" + name : prefix + name
    }

    /// The prefix of every object in one namespace, or of all objects.
    public func listPrefix(namespace: String?) -> String {
        if namespaced, let namespace, !namespace.isEmpty { return prefix + namespace + "/" }
        return prefix
    }
}

extension StoredObject {
    /// Read-modify-write of one stored object with compare-and-swap, read again when another
    /// write got in between. `change` sees the object with its resourceVersion and returns
    /// false to leave it as it is. Returns the version now stored, nil when there is none.
    @discardableResult
    static func modify(in store: any Store, key: String, attempts: Int = 32,
                       _ change: (inout JSONValue) throws -> Bool) async throws -> KeyValue? {
        var lastError: Error = StoreError.conflict(key: key, current: nil)
        for _ in 0..<attempts {
            guard let kv = try await store.get(key) else { return nil }
            var json = try decode(kv)
            guard try change(&json) else { return kv }
            do {
                return try await store.update(key, value: storageBytes(json), expectedModRevision: kv.modRevision)
            } catch StoreError.conflict(let key, let current) {
                lastError = StoreError.conflict(key: key, current: current)
            } catch StoreError.notFound {
                return nil
            }
        }
        throw lastError
    }
}
