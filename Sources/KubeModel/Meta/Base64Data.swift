import Foundation

/// Byte fields (`format: byte` in the schema, e.g. Secret.data) travel as standard base64.
extension Data: JSONCodable {
    public init(json: JSONValue, context: JSONDecodingContext) throws {
        guard case .string(let text) = json else { throw context.mismatch(json, expected: "base64 string") }
        guard let data = Data(base64Encoded: text) else {
            throw JSONDecodeError(path: context.currentPath, message: "illegal base64 data in field \(context.currentPath)")
        }
        self = data
    }
    public func toJSON() -> JSONValue { .string(base64EncodedString()) }
}
