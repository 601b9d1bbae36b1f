/// Why a patch could not be applied or created.
///
/// `kind` tells the API server which status to answer with, as upstream does: a patch that is not
/// well formed (not JSON of the right shape, a malformed directive) is the client's syntax error
/// (400 Bad Request); a well-formed patch that does not fit the object (a missing path, a failed
/// `test`, an element without its merge key) is 422 Unprocessable Entity.
public struct PatchError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Kind: Sendable, Equatable {
        case malformedPatch
        case notApplicable
    }

    public var kind: Kind
    public var message: String

    public init(kind: Kind, message: String) {
        self.kind = kind
        self.message = message
    }

    public var description: String { message }

    static func malformed(_ message: String) -> PatchError { PatchError(kind: .malformedPatch, message: message) }
    static func notApplicable(_ message: String) -> PatchError { PatchError(kind: .notApplicable, message: message) }

    /// An element of a merged list lacks the field its list is keyed by.
    static func missingMergeKey(_ key: String, in element: JSONValue) -> PatchError {
        .notApplicable("map: \(JSONWriter.string(element)) does not contain declared merge key: \(key)")
    }
}
