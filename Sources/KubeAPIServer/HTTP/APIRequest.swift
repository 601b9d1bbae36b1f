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
        guard let mark = uri.firstIndex(of: "?") else { return (percentDecode(uri), QueryParameters()) }
        var query = QueryParameters()
        for pair in uri[uri.index(after: mark)...].split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let name = percentDecode(String(parts[0]), plusIsSpace: true)
            let value = parts.count > 1 ? percentDecode(String(parts[1]), plusIsSpace: true) : ""
            query.values[name, default: []].append(value)
        }
        return (percentDecode(String(uri[..<mark])), query)
    }

    static func percentDecode(_ text: String, plusIsSpace: Bool = false) -> String {
        guard text.contains("%") || (plusIsSpace && text.contains("+")) else { return text }
        var bytes: [UInt8] = []
        var iterator = Array(text.utf8).makeIterator()
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
    /// "application/json; charset=utf-8" → "application/json".
    public static func essence(of value: String) -> String {
        let base = value.split(separator: ";", maxSplits: 1).first.map(String.init) ?? value
        return base.trimmingCharacters(in: .whitespaces).lowercased()
    }

    /// The parameters of one media type ("as=Table;v=v1;g=meta.k8s.io").
    public static func parameters(of value: String) -> [String: String] {
        var result: [String: String] = [:]
        for part in value.split(separator: ";").dropFirst() {
            let pair = part.split(separator: "=", maxSplits: 1)
            guard pair.count == 2 else { continue }
            result[pair[0].trimmingCharacters(in: .whitespaces).lowercased()] = pair[1].trimmingCharacters(in: .whitespaces)
        }
        return result
    }
}
