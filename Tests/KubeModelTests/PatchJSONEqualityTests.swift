import Testing

@testable import KubeModel

@Suite("JSON values compared as JSON")
struct PatchJSONEqualityTests {
    static let cases: [(String, String, Bool)] = [
        (#"1"#, #"1.0"#, true),
        (#"1"#, #"1.5"#, false),
        (#"1"#, #""1""#, false),
        (#"{"a":1,"b":2}"#, #"{"b":2,"a":1}"#, true),
        (#"{"a":1}"#, #"{"a":1,"b":null}"#, false),
        (#"[1,2]"#, #"[2,1]"#, false),
        (#"[{"x":[1.0]}]"#, #"[{"x":[1]}]"#, true),
        (#"null"#, #"null"#, true),
        (#"true"#, #"1"#, false),
        (#"9007199254740993"#, #"9007199254740992.0"#, false),
    ]

    @Test(arguments: cases)
    func compares(_ left: String, _ right: String, _ equal: Bool) throws {
        let leftValue = try parsePatchJSON(left)
        let rightValue = try parsePatchJSON(right)
        #expect(leftValue.isSemanticallyEqual(to: rightValue) == equal)
        #expect(rightValue.isSemanticallyEqual(to: leftValue) == equal)
    }

    @Test("Duplicates are dropped after their first appearance")
    func deduplicates() throws {
        let values = try #require(parsePatchJSON(#"["b",1,"a",1.0,"b"]"#).arrayValue)
        #expect(values.removingSemanticDuplicates() == ["b", 1, "a"])
    }
}
