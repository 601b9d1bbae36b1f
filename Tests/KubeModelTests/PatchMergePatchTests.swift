import Testing

@testable import KubeModel

@Suite("JSON Merge Patch (RFC 7386)")
struct PatchMergePatchTests {
    static let appliedCases: [PatchCase] = [
        // RFC 7386 appendix A.
        PatchCase("A replace a member", original: #"{"a":"b"}"#, patch: #"{"a":"c"}"#, expected: #"{"a":"c"}"#),
        PatchCase("A add a member", original: #"{"a":"b"}"#, patch: #"{"b":"c"}"#, expected: #"{"a":"b","b":"c"}"#),
        PatchCase("A delete the only member", original: #"{"a":"b"}"#, patch: #"{"a":null}"#, expected: #"{}"#),
        PatchCase("A delete one member", original: #"{"a":"b","b":"c"}"#, patch: #"{"a":null}"#, expected: #"{"b":"c"}"#),
        PatchCase("A array to string", original: #"{"a":["b"]}"#, patch: #"{"a":"c"}"#, expected: #"{"a":"c"}"#),
        PatchCase("A string to array", original: #"{"a":"c"}"#, patch: #"{"a":["b"]}"#, expected: #"{"a":["b"]}"#),
        PatchCase("A nested merge and delete",
                  original: #"{"a":{"b":"c"}}"#, patch: #"{"a":{"b":"d","c":null}}"#, expected: #"{"a":{"b":"d"}}"#),
        PatchCase("A arrays are replaced", original: #"{"a":[{"b":"c"}]}"#, patch: #"{"a":[1]}"#, expected: #"{"a":[1]}"#),
        PatchCase("A array document", original: #"["a","b"]"#, patch: #"["c","d"]"#, expected: #"["c","d"]"#),
        PatchCase("A object to array", original: #"{"a":"b"}"#, patch: #"["c"]"#, expected: #"["c"]"#),
        PatchCase("A null patch", original: #"{"a":"foo"}"#, patch: #"null"#, expected: #"null"#),
        PatchCase("A string patch", original: #"{"a":"foo"}"#, patch: #""bar""#, expected: #""bar""#),
        PatchCase("A existing nulls stay", original: #"{"e":null}"#, patch: #"{"a":1}"#, expected: #"{"e":null,"a":1}"#),
        PatchCase("A array target becomes an object",
                  original: #"[1,2]"#, patch: #"{"a":"b","c":null}"#, expected: #"{"a":"b"}"#),
        PatchCase("A nulls in new members are dropped",
                  original: #"{}"#, patch: #"{"a":{"bb":{"ccc":null}}}"#, expected: #"{"a":{"bb":{}}}"#),
        // Kubernetes-shaped documents.
        PatchCase("labels merge, containers are replaced",
                  original: #"{"metadata":{"labels":{"app":"web","tier":"fe"}},"spec":{"containers":[{"name":"a"},{"name":"b"}]}}"#,
                  patch: #"{"metadata":{"labels":{"tier":null,"env":"prod"}},"spec":{"containers":[{"name":"c"}]}}"#,
                  expected: #"{"metadata":{"labels":{"app":"web","env":"prod"}},"spec":{"containers":[{"name":"c"}]}}"#),
        PatchCase("scale a deployment",
                  original: #"{"spec":{"replicas":1,"template":{"spec":{}}}}"#,
                  patch: #"{"spec":{"replicas":3}}"#,
                  expected: #"{"spec":{"replicas":3,"template":{"spec":{}}}}"#),
        PatchCase("an empty patch changes nothing", original: #"{"a":{"b":1}}"#, patch: #"{}"#, expected: #"{"a":{"b":1}}"#),
    ]

    @Test(arguments: appliedCases)
    func applies(_ testCase: PatchCase) throws {
        let result = MergePatch.apply(try parsePatchJSON(testCase.patch), to: try parsePatchJSON(testCase.original))
        expectSameDocument(result, try parsePatchJSON(testCase.expected))
    }

    static let createdCases: [PatchDiffCase] = [
        PatchDiffCase("nothing changed", original: #"{"a":1,"b":{"c":[1]}}"#, modified: #"{"a":1.0,"b":{"c":[1]}}"#, patch: #"{}"#),
        PatchDiffCase("member changed", original: #"{"a":1,"b":2}"#, modified: #"{"a":1,"b":3}"#, patch: #"{"b":3}"#),
        PatchDiffCase("member added and removed", original: #"{"a":1,"b":2}"#, modified: #"{"a":1,"c":3}"#, patch: #"{"b":null,"c":3}"#),
        PatchDiffCase("nested change", original: #"{"spec":{"replicas":1,"paused":true}}"#,
                      modified: #"{"spec":{"replicas":2,"paused":true}}"#, patch: #"{"spec":{"replicas":2}}"#),
        PatchDiffCase("array changed wholesale", original: #"{"a":[1,2]}"#, modified: #"{"a":[2,1]}"#, patch: #"{"a":[2,1]}"#),
        PatchDiffCase("object replaced by scalar", original: #"{"a":{"b":1}}"#, modified: #"{"a":"x"}"#, patch: #"{"a":"x"}"#),
        PatchDiffCase("whole documents that are not objects", original: #"[1]"#, modified: #"[2]"#, patch: #"[2]"#),
    ]

    @Test(arguments: createdCases)
    func creates(_ testCase: PatchDiffCase) throws {
        let original = try parsePatchJSON(testCase.original)
        let modified = try parsePatchJSON(testCase.modified)
        let patch = MergePatch.create(from: original, to: modified)
        expectSameDocument(patch, try parsePatchJSON(testCase.patch))
        expectSameDocument(MergePatch.apply(patch, to: original), modified)
    }
}
