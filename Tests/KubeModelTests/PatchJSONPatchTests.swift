import Testing

@testable import KubeModel

@Suite("JSON Patch (RFC 6902)")
struct PatchJSONPatchTests {
    static let appliedCases: [PatchCase] = [
        // RFC 6902 appendix A.
        PatchCase("A.1 add an object member",
                  original: #"{"foo":"bar"}"#,
                  patch: #"[{"op":"add","path":"/baz","value":"qux"}]"#,
                  expected: #"{"baz":"qux","foo":"bar"}"#),
        PatchCase("A.2 add an array element",
                  original: #"{"foo":["bar","baz"]}"#,
                  patch: #"[{"op":"add","path":"/foo/1","value":"qux"}]"#,
                  expected: #"{"foo":["bar","qux","baz"]}"#),
        PatchCase("A.3 remove an object member",
                  original: #"{"baz":"qux","foo":"bar"}"#,
                  patch: #"[{"op":"remove","path":"/baz"}]"#,
                  expected: #"{"foo":"bar"}"#),
        PatchCase("A.4 remove an array element",
                  original: #"{"foo":["bar","qux","baz"]}"#,
                  patch: #"[{"op":"remove","path":"/foo/1"}]"#,
                  expected: #"{"foo":["bar","baz"]}"#),
        PatchCase("A.5 replace a value",
                  original: #"{"baz":"qux","foo":"bar"}"#,
                  patch: #"[{"op":"replace","path":"/baz","value":"boo"}]"#,
                  expected: #"{"baz":"boo","foo":"bar"}"#),
        PatchCase("A.6 move a value",
                  original: #"{"foo":{"bar":"baz","waldo":"fred"},"qux":{"corge":"grault"}}"#,
                  patch: #"[{"op":"move","from":"/foo/waldo","path":"/qux/thud"}]"#,
                  expected: #"{"foo":{"bar":"baz"},"qux":{"corge":"grault","thud":"fred"}}"#),
        PatchCase("A.7 move an array element",
                  original: #"{"foo":["all","grass","cows","eat"]}"#,
                  patch: #"[{"op":"move","from":"/foo/1","path":"/foo/3"}]"#,
                  expected: #"{"foo":["all","cows","eat","grass"]}"#),
        PatchCase("A.8 test a value",
                  original: #"{"baz":"qux","foo":["a",2,"c"]}"#,
                  patch: #"[{"op":"test","path":"/baz","value":"qux"},{"op":"test","path":"/foo/1","value":2}]"#,
                  expected: #"{"baz":"qux","foo":["a",2,"c"]}"#),
        PatchCase("A.10 add a nested member object",
                  original: #"{"foo":"bar"}"#,
                  patch: #"[{"op":"add","path":"/child","value":{"grandchild":{}}}]"#,
                  expected: #"{"foo":"bar","child":{"grandchild":{}}}"#),
        PatchCase("A.11 ignore unrecognized members",
                  original: #"{"foo":"bar"}"#,
                  patch: #"[{"op":"add","path":"/baz","value":"qux","xyz":123}]"#,
                  expected: #"{"foo":"bar","baz":"qux"}"#),
        PatchCase("A.14 ~ escapes unescape in order",
                  original: #"{"/":9,"~1":10}"#,
                  patch: #"[{"op":"test","path":"/~01","value":10}]"#,
                  expected: #"{"/":9,"~1":10}"#),
        PatchCase("A.16 add an array value",
                  original: #"{"foo":["bar"]}"#,
                  patch: #"[{"op":"add","path":"/foo/-","value":["abc","def"]}]"#,
                  expected: #"{"foo":["bar",["abc","def"]]}"#),
        // Kubernetes-shaped documents.
        PatchCase("replace replicas of a deployment",
                  original: #"{"kind":"Deployment","spec":{"replicas":1,"paused":false}}"#,
                  patch: #"[{"op":"test","path":"/spec/replicas","value":1},{"op":"replace","path":"/spec/replicas","value":3}]"#,
                  expected: #"{"kind":"Deployment","spec":{"replicas":3,"paused":false}}"#),
        PatchCase("add a label whose key holds a slash",
                  original: #"{"metadata":{"labels":{"app":"web"}}}"#,
                  patch: #"[{"op":"add","path":"/metadata/labels/app.kubernetes.io~1name","value":"web"}]"#,
                  expected: #"{"metadata":{"labels":{"app":"web","app.kubernetes.io/name":"web"}}}"#),
        PatchCase("add replaces an existing member",
                  original: #"{"metadata":{"name":"a"}}"#,
                  patch: #"[{"op":"add","path":"/metadata/name","value":"b"}]"#,
                  expected: #"{"metadata":{"name":"b"}}"#),
        PatchCase("append a container image to the end",
                  original: #"{"spec":{"containers":[{"name":"a"}]}}"#,
                  patch: #"[{"op":"add","path":"/spec/containers/-","value":{"name":"b"}},{"op":"add","path":"/spec/containers/0","value":{"name":"z"}}]"#,
                  expected: #"{"spec":{"containers":[{"name":"z"},{"name":"a"},{"name":"b"}]}}"#),
        PatchCase("replace the first container's image",
                  original: #"{"spec":{"containers":[{"name":"a","image":"nginx:1"}]}}"#,
                  patch: #"[{"op":"replace","path":"/spec/containers/0/image","value":"nginx:2"}]"#,
                  expected: #"{"spec":{"containers":[{"name":"a","image":"nginx:2"}]}}"#),
        PatchCase("remove a finalizer",
                  original: #"{"metadata":{"finalizers":["a","b","c"]}}"#,
                  patch: #"[{"op":"remove","path":"/metadata/finalizers/1"}]"#,
                  expected: #"{"metadata":{"finalizers":["a","c"]}}"#),
        PatchCase("copy a value",
                  original: #"{"metadata":{"labels":{"app":"web"}},"spec":{"selector":{}}}"#,
                  patch: #"[{"op":"copy","from":"/metadata/labels","path":"/spec/selector/matchLabels"}]"#,
                  expected: #"{"metadata":{"labels":{"app":"web"}},"spec":{"selector":{"matchLabels":{"app":"web"}}}}"#),
        PatchCase("move onto itself does nothing",
                  original: #"{"a":{"b":1}}"#,
                  patch: #"[{"op":"move","from":"/a","path":"/a"}]"#,
                  expected: #"{"a":{"b":1}}"#),
        PatchCase("replace the whole document",
                  original: #"{"a":1}"#,
                  patch: #"[{"op":"replace","path":"","value":{"b":2}}]"#,
                  expected: #"{"b":2}"#),
        PatchCase("add null is a value, not a removal",
                  original: #"{"a":1}"#,
                  patch: #"[{"op":"add","path":"/b","value":null}]"#,
                  expected: #"{"a":1,"b":null}"#),
        PatchCase("test compares numbers by value and objects regardless of member order",
                  original: #"{"n":1,"o":{"x":1,"y":2}}"#,
                  patch: #"[{"op":"test","path":"/n","value":1.0},{"op":"test","path":"/o","value":{"y":2,"x":1}}]"#,
                  expected: #"{"n":1,"o":{"x":1,"y":2}}"#),
        PatchCase("an empty member name is a key like any other",
                  original: #"{"":{"a":1}}"#,
                  patch: #"[{"op":"replace","path":"/","value":0}]"#,
                  expected: #"{"":0}"#),
        PatchCase("operations apply in order",
                  original: #"{"items":[]}"#,
                  patch: #"[{"op":"add","path":"/items/-","value":1},{"op":"add","path":"/items/-","value":2},{"op":"move","from":"/items/0","path":"/items/-"}]"#,
                  expected: #"{"items":[2,1]}"#),
        PatchCase("an empty patch changes nothing",
                  original: #"{"a":1}"#,
                  patch: #"[]"#,
                  expected: #"{"a":1}"#),
    ]

    @Test(arguments: appliedCases)
    func applies(_ testCase: PatchCase) throws {
        let result = try JSONPatch.apply(parsePatchJSON(testCase.patch), to: parsePatchJSON(testCase.original))
        expectSameDocument(result, try parsePatchJSON(testCase.expected))
    }

    static let failureCases: [PatchFailureCase] = [
        PatchFailureCase("A.9 a failed test",
                         original: #"{"baz":"qux"}"#,
                         patch: #"[{"op":"test","path":"/baz","value":"bar"}]"#,
                         kind: .notApplicable, message: "testing value /baz failed"),
        PatchFailureCase("A.12 add to a missing parent",
                         original: #"{"foo":"bar"}"#,
                         patch: #"[{"op":"add","path":"/baz/bat","value":"qux"}]"#,
                         kind: .notApplicable, message: #"add operation does not apply: doc is missing path: "/baz/bat""#),
        PatchFailureCase("A.15 strings and numbers differ",
                         original: #"{"/":9,"~1":10}"#,
                         patch: #"[{"op":"test","path":"/~01","value":"10"}]"#,
                         kind: .notApplicable, message: "testing value /~01 failed"),
        PatchFailureCase("test of replicas",
                         original: #"{"spec":{"replicas":2}}"#,
                         patch: #"[{"op":"test","path":"/spec/replicas","value":3}]"#,
                         kind: .notApplicable, message: "testing value /spec/replicas failed"),
        PatchFailureCase("test of a missing path",
                         original: #"{"spec":{}}"#,
                         patch: #"[{"op":"test","path":"/spec/replicas","value":null}]"#,
                         kind: .notApplicable, message: "testing value /spec/replicas failed"),
        PatchFailureCase("remove a missing member",
                         original: #"{"spec":{}}"#,
                         patch: #"[{"op":"remove","path":"/spec/foo"}]"#,
                         kind: .notApplicable, message: #"remove operation does not apply: doc is missing path: "/spec/foo""#),
        PatchFailureCase("replace a missing member",
                         original: #"{"spec":{}}"#,
                         patch: #"[{"op":"replace","path":"/spec/foo","value":1}]"#,
                         kind: .notApplicable, message: #"replace operation does not apply: doc is missing path: "/spec/foo""#),
        PatchFailureCase("move from a missing member",
                         original: #"{"a":{}}"#,
                         patch: #"[{"op":"move","from":"/a/b","path":"/c"}]"#,
                         kind: .notApplicable, message: #"move operation does not apply: doc is missing from path: "/a/b""#),
        PatchFailureCase("copy from a missing member",
                         original: #"{"a":{}}"#,
                         patch: #"[{"op":"copy","from":"/a/b","path":"/c"}]"#,
                         kind: .notApplicable, message: #"copy operation does not apply: doc is missing from path: "/a/b""#),
        PatchFailureCase("move into its own child",
                         original: #"{"a":{"b":{}}}"#,
                         patch: #"[{"op":"move","from":"/a","path":"/a/b/c"}]"#,
                         kind: .notApplicable, message: "cannot be moved into its own child"),
        PatchFailureCase("add past the end of an array",
                         original: #"{"a":[1,2]}"#,
                         patch: #"[{"op":"add","path":"/a/3","value":0}]"#,
                         kind: .notApplicable, message: "index 3 is out of range"),
        PatchFailureCase("remove past the end of an array",
                         original: #"{"a":[1,2]}"#,
                         patch: #"[{"op":"remove","path":"/a/2"}]"#,
                         kind: .notApplicable, message: #"doc is missing path: "/a/2""#),
        PatchFailureCase("an index with a leading zero",
                         original: #"{"a":[1,2]}"#,
                         patch: #"[{"op":"replace","path":"/a/01","value":0}]"#,
                         kind: .notApplicable, message: #"doc is missing path: "/a/01""#),
        PatchFailureCase("remove with the append token",
                         original: #"{"a":[1,2]}"#,
                         patch: #"[{"op":"remove","path":"/a/-"}]"#,
                         kind: .notApplicable, message: #"doc is missing path: "/a/-""#),
        PatchFailureCase("a path through a scalar",
                         original: #"{"a":1}"#,
                         patch: #"[{"op":"add","path":"/a/b","value":0}]"#,
                         kind: .notApplicable, message: #"doc is missing path: "/a/b""#),
        PatchFailureCase("remove the whole document",
                         original: #"{"a":1}"#,
                         patch: #"[{"op":"remove","path":""}]"#,
                         kind: .notApplicable, message: "the whole document cannot be removed"),
        PatchFailureCase("a failing later operation fails the whole patch",
                         original: #"{"a":1}"#,
                         patch: #"[{"op":"add","path":"/b","value":2},{"op":"test","path":"/b","value":3}]"#,
                         kind: .notApplicable, message: "testing value /b failed"),
        PatchFailureCase("not an array",
                         original: #"{}"#,
                         patch: #"{"op":"add","path":"/a","value":1}"#,
                         kind: .malformedPatch, message: "must be an array of operations"),
        PatchFailureCase("an operation that is not an object",
                         original: #"{}"#,
                         patch: #"["add"]"#,
                         kind: .malformedPatch, message: "must be an object"),
        PatchFailureCase("an unknown operation",
                         original: #"{}"#,
                         patch: #"[{"op":"merge","path":"/a"}]"#,
                         kind: .malformedPatch, message: #"unknown JSON patch operation "merge""#),
        PatchFailureCase("a missing op",
                         original: #"{}"#,
                         patch: #"[{"path":"/a"}]"#,
                         kind: .malformedPatch, message: #"needs an "op" string"#),
        PatchFailureCase("a missing path",
                         original: #"{}"#,
                         patch: #"[{"op":"remove"}]"#,
                         kind: .malformedPatch, message: #"remove operation needs a "path" string"#),
        PatchFailureCase("a missing value",
                         original: #"{}"#,
                         patch: #"[{"op":"add","path":"/a"}]"#,
                         kind: .malformedPatch, message: #"add operation needs a "value""#),
        PatchFailureCase("a missing from",
                         original: #"{"a":1}"#,
                         patch: #"[{"op":"move","path":"/b"}]"#,
                         kind: .malformedPatch, message: #"move operation needs a "from" string"#),
        PatchFailureCase("a pointer without a leading slash",
                         original: #"{"a":1}"#,
                         patch: #"[{"op":"remove","path":"a"}]"#,
                         kind: .malformedPatch, message: "must be empty or start with"),
        PatchFailureCase("a pointer with a bad escape",
                         original: #"{"a":1}"#,
                         patch: #"[{"op":"remove","path":"/a~2"}]"#,
                         kind: .malformedPatch, message: "invalid escape"),
    ]

    @Test(arguments: failureCases)
    func fails(_ testCase: PatchFailureCase) throws {
        let patch = try parsePatchJSON(testCase.patch)
        let original = try parsePatchJSON(testCase.original)
        let error = patchError { _ = try JSONPatch.apply(patch, to: original) }
        #expect(error?.kind == testCase.kind)
        #expect(error?.message.contains(testCase.message) == true, "message: \(error?.message ?? "none")")
    }

    static let pointerCases: [(String, [String])] = [
        ("", []),
        ("/", [""]),
        ("/foo", ["foo"]),
        ("/foo/0", ["foo", "0"]),
        ("/a~1b", ["a/b"]),
        ("/m~0n", ["m~n"]),
        ("/~01", ["~1"]),
        ("/c%d/e^f/ ", ["c%d", "e^f", " "]),
        ("//", ["", ""]),
    ]

    @Test("JSON pointer tokens (RFC 6901 examples)", arguments: pointerCases)
    func pointerTokens(_ text: String, _ tokens: [String]) throws {
        let pointer = try JSONPointer(parsing: text)
        #expect(pointer.tokens == tokens)
        #expect(pointer.description == text)
    }

    @Test("JSON pointer lookup follows members and indices")
    func pointerLookup() throws {
        let document = try parsePatchJSON(#"{"foo":["bar","baz"],"":0,"a/b":1,"m~n":8,"k\"l":6}"#)
        #expect(try JSONPointer(parsing: "").value(in: document) == document)
        #expect(try JSONPointer(parsing: "/foo/0").value(in: document) == "bar")
        #expect(try JSONPointer(parsing: "/").value(in: document) == 0)
        #expect(try JSONPointer(parsing: "/a~1b").value(in: document) == 1)
        #expect(try JSONPointer(parsing: "/m~0n").value(in: document) == 8)
        #expect(try JSONPointer(parsing: #"/k"l"#).value(in: document) == 6)
        #expect(try JSONPointer(parsing: "/foo/2").value(in: document) == nil)
        #expect(try JSONPointer(parsing: "/foo/-").value(in: document) == nil)
        #expect(try JSONPointer(parsing: "/nope").value(in: document) == nil)
    }

    @Test("the input document is left untouched")
    func valueSemantics() throws {
        let original = try parsePatchJSON(#"{"spec":{"replicas":1}}"#)
        let copy = original
        _ = try JSONPatch.apply(try parsePatchJSON(#"[{"op":"replace","path":"/spec/replicas","value":5}]"#), to: original)
        #expect(original == copy)
    }
}
