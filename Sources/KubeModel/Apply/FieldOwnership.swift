import Foundation

/// One entry of `metadata.managedFields`, decoded: the fields a manager owns, the operation it owned them
/// through, and when it last changed them.
public struct FieldOwnership: Sendable, Equatable {
    public var manager: String
    /// "Apply" or "Update".
    public var operation: String
    public var apiVersion: String
    /// RFC 3339; absent on entries that never changed the object (a no-op first apply).
    public var time: String?
    public var fields: FieldSet
    public var subresource: String

    public init(
        manager: String, operation: String, apiVersion: String, time: String?, fields: FieldSet, subresource: String = ""
    ) {
        self.manager = manager
        self.operation = operation
        self.apiVersion = apiVersion
        self.time = time
        self.fields = fields
        self.subresource = subresource
    }

    /// Reads an entry with upstream's checks; `index` is its position, for messages.
    public init(json: JSONValue, index: Int) throws(ManagedFieldsError) {
        guard case .object(let object) = json else {
            throw .internalError("managed fields entry \(index) is a \(json.typeName), not an object")
        }
        manager = object["manager"]?.stringValue ?? ""
        operation = object["operation"]?.stringValue ?? ""
        apiVersion = object["apiVersion"]?.stringValue ?? ""
        time = object["time"]?.stringValue
        subresource = object["subresource"]?.stringValue ?? ""
        guard operation == ManagerIdentity.applyOperation || operation == ManagerIdentity.updateOperation else {
            throw .internalError("operation must be `Apply` or `Update`")
        }
        guard !apiVersion.isEmpty else { throw .internalError("apiVersion must not be empty") }
        switch object["fieldsType"]?.stringValue ?? "" {
        case "FieldsV1": break
        case "": throw .internalError("missing fieldsType in managed fields entry \(index)")
        case let other: throw .internalError("invalid fieldsType \(GoText.quoted(other)) in managed fields entry \(index)")
        }
        do {
            fields = try FieldSet(fieldsV1: object["fieldsV1"] ?? .object([:]))
        } catch {
            throw .internalError("error decoding versioned set in managed fields entry \(index): \(error)")
        }
    }

    /// The entry as the API writes it, keys in ManagedFieldsEntry's declaration order.
    public var json: JSONValue {
        var object = JSONObject()
        if !manager.isEmpty { object["manager"] = .string(manager) }
        object["operation"] = .string(operation)
        if !apiVersion.isEmpty { object["apiVersion"] = .string(apiVersion) }
        if let time { object["time"] = .string(time) }
        object["fieldsType"] = "FieldsV1"
        object["fieldsV1"] = fields.fieldsV1
        if !subresource.isEmpty { object["subresource"] = .string(subresource) }
        return .object(object)
    }

    var identity: ManagerIdentity {
        ManagerIdentity(manager: manager, operation: operation, apiVersion: apiVersion, subresource: subresource)
    }

    /// Upstream's order of entries: by operation (Apply first), time in seconds, manager,
    /// API version, subresource.
    static func storageOrder(_ a: FieldOwnership, _ b: FieldOwnership) -> Bool {
        if a.operation != b.operation { return compareBytes(a.operation, b.operation) < 0 }
        let (aSeconds, bSeconds) = (seconds(a.time), seconds(b.time))
        if aSeconds != bSeconds { return aSeconds < bSeconds }
        if a.manager != b.manager { return compareBytes(a.manager, b.manager) < 0 }
        if a.apiVersion != b.apiVersion { return compareBytes(a.apiVersion, b.apiVersion) < 0 }
        return compareBytes(a.subresource, b.subresource) < 0
    }

    /// Seconds since the epoch of an entry time; 0 when absent, as upstream counts a nil time.
    static func seconds(_ time: String?) -> Int64 {
        guard let time, let date = RFC3339.parse(time) else { return 0 }
        return Int64(date.timeIntervalSince1970.rounded(.down))
    }
}
