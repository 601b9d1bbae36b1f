import Testing

@testable import KubeModel

/// Parses a JSON literal written in a test table.
func parsePatchJSON(_ text: String) throws -> JSONValue {
    try JSONParser.parse(text)
}

/// The strategic merge patcher for an upstream definition name ("io.k8s.api.apps.v1.Deployment").
func strategicPatcher(_ definition: String) throws -> StrategicMergePatch {
    StrategicMergePatch(schema: try #require(SchemaCatalog.definitions[definition]))
}

/// Expects two documents to be the same JSON (member order aside), printing both when not.
func expectSameDocument(_ actual: JSONValue, _ expected: JSONValue, sourceLocation: SourceLocation = #_sourceLocation) {
    #expect(
        actual.isSemanticallyEqual(to: expected),
        "got \(JSONWriter.string(actual)), expected \(JSONWriter.string(expected))",
        sourceLocation: sourceLocation)
}

/// Runs `body` and returns the PatchError it throws (failing the test when it throws none).
func patchError(_ body: () throws -> Void, sourceLocation: SourceLocation = #_sourceLocation) -> PatchError? {
    do {
        try body()
        Issue.record("expected a PatchError, but the patch applied", sourceLocation: sourceLocation)
    } catch let error as PatchError {
        return error
    } catch {
        Issue.record("expected a PatchError, got \(error)", sourceLocation: sourceLocation)
    }
    return nil
}

/// A table row: a document, a patch, and the expected result (or a fragment of the expected error).
struct PatchCase: Sendable, CustomTestStringConvertible {
    var name: String
    var original: String
    var patch: String
    var expected: String

    init(_ name: String, original: String, patch: String, expected: String) {
        self.name = name
        self.original = original
        self.patch = patch
        self.expected = expected
    }

    var testDescription: String { name }
}

/// A table row for a patch that must fail: the error's kind and a fragment of its message.
struct PatchFailureCase: Sendable, CustomTestStringConvertible {
    var name: String
    var original: String
    var patch: String
    var kind: PatchError.Kind
    var message: String

    init(_ name: String, original: String, patch: String, kind: PatchError.Kind, message: String) {
        self.name = name
        self.original = original
        self.patch = patch
        self.kind = kind
        self.message = message
    }

    /// A row for creating a patch that must fail: `modified` is kept in `patch`.
    init(_ name: String, original: String, modified: String, kind: PatchError.Kind, message: String) {
        self.init(name, original: original, patch: modified, kind: kind, message: message)
    }

    var testDescription: String { name }
}

/// A table row for creating a patch: the documents before and after, and the patch between them.
struct PatchDiffCase: Sendable, CustomTestStringConvertible {
    var name: String
    var original: String
    var modified: String
    var patch: String

    init(_ name: String, original: String, modified: String, patch: String) {
        self.name = name
        self.original = original
        self.modified = modified
        self.patch = patch
    }

    var testDescription: String { name }
}

/// A Deployment document around the given pod spec members (`"containers":[…]`).
func deploymentJSON(podSpec: String) -> String {
    #"{"spec":{"template":{"spec":{"# + podSpec + "}}}}"
}
