import NIOHTTP1

/// One HTTP request as the API pipeline sees it: after TLS and body collection, before routing.
public struct APIRequest: Sendable {
    public var method: HTTPMethod
    /// The path without the query string, percent-decoded.
    public var path: String
    public var query: QueryParameters
    public var headers: HTTPHeaders
    public var body: [UInt8]
    /// Set by authentication; nil for anonymous requests.
    public var user: UserInfo?

    public init(method: HTTPMethod, uri: String, headers: HTTPHeaders, body: [UInt8], user: UserInfo? = nil) {
        self.method = method
        let (path, query) = QueryParameters.split(uri: uri)
        self.path = path
        self.query = query
        self.headers = headers
        self.body = body
        self.user = user
    }

    /// The media type of the body without parameters, lowercased ("application/json").
    public var contentType: String? {
        headers.first(name: "content-type").map { MediaType.essence(of: $0) }
    }
}

/// Query parameters of a request URI, percent-decoded; repeated names keep every value.
public struct QueryParameters: Sendable {
    private var values: [String: [String]] = [:]

    public init(_ values: [String: [String]] = [:]) { self.values = values }

    public subscript(name: String) -> String? { values[name]?.last }
    public func all(_ name: String) -> [String] { values[name] ?? [] }
    public func contains(_ name: String) -> Bool { values[name] != nil }

    /// Upstream reads booleans with strconv.ParseBool: "true", "1", "t", "True"…
    public func bool(_ name: String) -> Bool? {
        guard let value = self[name] else { return nil }
        switch value.lowercased() {
        case "1", "t", "true": return true
        case "0", "f", "false", "": return false
        default: return nil
        }
    }

    static func split(uri: String) -> (String, QueryParameters) {
        let bytes = uri.utf8
        guard let mark = bytes.firstIndex(of: UInt8(ascii: "?")) else { return (percentDecode(bytes[...]), QueryParameters()) }
        var query = QueryParameters()
        for pair in bytes[bytes.index(after: mark)...].split(separator: UInt8(ascii: "&")) {
            let equals = pair.firstIndex(of: UInt8(ascii: "="))
            let name = percentDecode(pair[pair.startIndex..<(equals ?? pair.endIndex)], plusIsSpace: true)
            let value = equals.map { percentDecode(pair[pair.index(after: $0)...], plusIsSpace: true) } ?? ""
            query.values[name, default: []].append(value)
        }
        return (percentDecode(bytes[bytes.startIndex..<mark]), query)
    }

    static func percentDecode(_ text: Substring.UTF8View.SubSequence, plusIsSpace: Bool = false) -> String {
        guard text.contains(UInt8(ascii: "%")) || (plusIsSpace && text.contains(UInt8(ascii: "+"))) else {
            return String(Substring(text))
        }
        var bytes: [UInt8] = []
        var iterator = text.makeIterator()
        while let byte = iterator.next() {
            if byte == UInt8(ascii: "%"), let high = iterator.next(), let low = iterator.next(),
                let value = UInt8(String(decoding: [high, low], as: UTF8.self), radix: 16)
            {
                bytes.append(value)
            } else if plusIsSpace && byte == UInt8(ascii: "+") {
                bytes.append(UInt8(ascii: " "))
            } else {
                bytes.append(byte)
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}

/// Media-type helpers for Content-Type and Accept headers.
public enum MediaType {
    /// "application/json; charset=utf-8" → "application/json". Runs on every request, so it
    /// works on UTF-8 bytes rather than through Foundation.
    public static func essence(of value: String) -> String {
        let bytes = value.utf8
        let end = bytes.firstIndex(of: UInt8(ascii: ";")) ?? bytes.endIndex
        return trimmed(value.utf8[bytes.startIndex..<end]).lowercased()
    }

    /// The parameters of one media type ("as=Table;v=v1;g=meta.k8s.io").
    public static func parameters(of value: String) -> [String: String] {
        var result: [String: String] = [:]
        for part in value.utf8.split(separator: UInt8(ascii: ";")).dropFirst() {
            guard let equals = part.firstIndex(of: UInt8(ascii: "=")) else { continue }
            result[trimmed(part[part.startIndex..<equals]).lowercased()] = trimmed(part[part.index(after: equals)...])
        }
        return result
    }

    /// Text of the bytes without surrounding spaces and tabs.
    static func trimmed(_ bytes: Substring.UTF8View.SubSequence) -> String {
        var slice = bytes[...]
        while let first = slice.first, first == 0x20 || first == 0x09 { slice = slice.dropFirst() }
        while let last = slice.last, last == 0x20 || last == 0x09 { slice = slice.dropLast() }
        return String(Substring(slice))
    }
}
