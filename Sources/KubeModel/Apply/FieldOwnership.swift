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
        let (header, fieldsV1) = try Self.header(of: json, index: index)
        self.init(
            manager: header.manager, operation: header.operation, apiVersion: header.apiVersion, time: header.time,
            fields: try Self.fields(fieldsV1, index: index), subresource: header.subresource)
    }

    /// An entry without its fields.
    struct Header {
        var manager: String
        var operation: String
        var apiVersion: String
        var time: String?
        var subresource: String
    }

    /// Checks an entry but for its fields, which it returns unread.
    static func header(of json: JSONValue, index: Int) throws(ManagedFieldsError) -> (Header, fieldsV1: JSONValue) {
        guard case .object(let object) = json else {
            throw .internalError("managed fields entry \(index) is a \(json.typeName), not an object")
        }
        let header = Header(
            manager: object["manager"]?.stringValue ?? "", operation: object["operation"]?.stringValue ?? "",
            apiVersion: object["apiVersion"]?.stringValue ?? "", time: object["time"]?.stringValue,
            subresource: object["subresource"]?.stringValue ?? "")
        guard header.operation == ManagerIdentity.applyOperation || header.operation == ManagerIdentity.updateOperation else {
            throw .internalError("operation must be `Apply` or `Update`")
        }
        guard !header.apiVersion.isEmpty else { throw .internalError("apiVersion must not be empty") }
        switch object["fieldsType"]?.stringValue ?? "" {
        case "FieldsV1": break
        case "": throw .internalError("missing fieldsType in managed fields entry \(index)")
        case let other: throw .internalError("invalid fieldsType \(GoText.quoted(other)) in managed fields entry \(index)")
        }
        return (header, object["fieldsV1"] ?? .object([:]))
    }

    /// An entry's fields, read.
    static func fields(_ fieldsV1: JSONValue, index: Int) throws(ManagedFieldsError) -> FieldSet {
        do {
            return try FieldSet(fieldsV1: fieldsV1)
        } catch {
            throw .internalError("error decoding versioned set in managed fields entry \(index): \(error)")
        }
    }

    /// The entry as the API writes it, keys in ManagedFieldsEntry's declaration order.
    public var json: JSONValue {
        Self.json(
            manager: manager, operation: operation, apiVersion: apiVersion, time: time, fieldsV1: fields.fieldsV1,
            subresource: subresource)
    }

    /// An entry as the API writes it, from its parts (`fieldsV1` already written).
    static func json(
        manager: String, operation: String, apiVersion: String, time: String?, fieldsV1: JSONValue, subresource: String
    ) -> JSONValue {
        var keys: [String] = []
        var values: [JSONValue] = []
        keys.reserveCapacity(7)
        values.reserveCapacity(7)
        func add(_ key: String, _ value: JSONValue) {
            keys.append(key)
            values.append(value)
        }
        if !manager.isEmpty { add("manager", .string(manager)) }
        add("operation", .string(operation))
        if !apiVersion.isEmpty { add("apiVersion", .string(apiVersion)) }
        if let time { add("time", .string(time)) }
        add("fieldsType", "FieldsV1")
        add("fieldsV1", fieldsV1)
        if !subresource.isEmpty { add("subresource", .string(subresource)) }
        return .object(JSONObject(uncheckedUniqueKeys: keys, values: values))
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
        guard let time else { return 0 }
        if let seconds = wholeSecondsUTC(time) { return seconds }
        guard let date = RFC3339.parse(time) else { return 0 }
        return Int64(date.timeIntervalSince1970.rounded(.down))
    }

    /// `YYYY-MM-DDTHH:MM:SSZ`, the form the API writes, read in place with `RFC3339.parse`'s
    /// checks; nil for any other form.
    private static func wholeSecondsUTC(_ text: String) -> Int64? {
        let utf8 = text.utf8
        guard utf8.count == 20 else { return nil }
        var bytes = (UInt64(0), UInt64(0), UInt64(0))
        return withUnsafeMutableBytes(of: &bytes) { buffer -> Int64? in
            buffer.copyBytes(from: utf8)
            func digits(_ start: Int, _ count: Int) -> Int64? {
                var value: Int64 = 0
                for offset in start..<(start + count) {
                    let byte = buffer[offset]
                    guard byte >= 48 && byte <= 57 else { return nil }
                    value = value * 10 + Int64(byte - 48)
                }
                return value
            }
            guard buffer[4] == UInt8(ascii: "-"), buffer[7] == UInt8(ascii: "-"), buffer[10] == UInt8(ascii: "T"),
                buffer[13] == UInt8(ascii: ":"), buffer[16] == UInt8(ascii: ":"), buffer[19] == UInt8(ascii: "Z"),
                let year = digits(0, 4), let month = digits(5, 2), let day = digits(8, 2),
                let hour = digits(11, 2), let minute = digits(14, 2), let second = digits(17, 2),
                (1...12).contains(month), (1...31).contains(day), hour < 24, minute < 60, second <= 60
            else { return nil }
            return RFC3339.daysSinceEpoch(year: year, month: month, day: day) * 86400 + hour * 3600 + minute * 60 + second
        }
    }
}
