import Testing

@testable import KubeModel

@Suite("Field selectors")
struct FieldSelectorTests {
    // Input and the string the parsed selector prints (terms sorted as written).
    static let parseCases: [(String, String)] = [
        ("", ""),
        ("metadata.name=foo", "metadata.name=foo"),
        ("metadata.name=foo,status.phase!=Running", "metadata.name=foo,status.phase!=Running"),
        ("status.phase!=Running,metadata.name=foo", "metadata.name=foo,status.phase!=Running"),
        ("a==b", "a=b"),
        ("a=", "a="),
        ("a=b,,c=d", "a=b,c=d"),
        (#"a=x\,y"#, #"a=x\,y"#),
        (#"a=x\=y"#, #"a=x\=y"#),
        (#"a=x\\y"#, #"a=x\\y"#),
        ("a=!b", "a=!b"),
        ("spec.nodeName=node-1", "spec.nodeName=node-1"),
    ]

    @Test(arguments: parseCases)
    func parsesAndPrints(input: String, printed: String) throws {
        let selector = try FieldSelector(parsing: input)
        #expect(selector.description == printed)
        #expect(try FieldSelector(parsing: printed) == selector)
    }

    // Input, then the (field, operator, value) terms it yields.
    static let requirementCases: [(String, [FieldRequirement])] = [
        ("", []),
        ("a=b", [FieldRequirement(field: "a", operator: .equals, value: "b")]),
        ("a==b", [FieldRequirement(field: "a", operator: .equals, value: "b")]),
        ("a!=b", [FieldRequirement(field: "a", operator: .notEquals, value: "b")]),
        (#"a=x\,y\=z\\"#, [FieldRequirement(field: "a", operator: .equals, value: #"x,y=z\"#)]),
        (
            "status.phase!=Running,metadata.name=foo",
            [
                FieldRequirement(field: "metadata.name", operator: .equals, value: "foo"),
                FieldRequirement(field: "status.phase", operator: .notEquals, value: "Running"),
            ]
        ),
    ]

    @Test(arguments: requirementCases)
    func listsRequirements(input: String, requirements: [FieldRequirement]) throws {
        #expect(try FieldSelector(parsing: input).requirements == requirements)
    }

    static let errorCases: [(String, String)] = [
        ("a", "invalid selector: 'a'; can't understand 'a'"),
        ("x,a=b", "invalid selector: 'x,a=b'; can't understand 'x'"),
        ("a=b=c", "invalid field selector: unescaped character in value: 61"),
        (#"a=b\"#, #"invalid field selector: invalid escape sequence: \"#),
        (#"a=\x"#, #"invalid field selector: invalid escape sequence: \x"#),
    ]

    @Test(arguments: errorCases)
    func reportsUpstreamErrors(input: String, message: String) {
        #expect(throws: SelectorError(message)) { try FieldSelector(parsing: input) }
    }

    // Selector, fields, whether they match.
    static let matchCases: [(String, [String: String], Bool)] = [
        ("", [:], true),
        ("a=b", ["a": "b"], true),
        ("a=b", ["a": "c"], false),
        ("a=b", [:], false),
        ("a==b", ["a": "b"], true),
        ("a!=b", [:], true),
        ("a!=b", ["a": "b"], false),
        ("a=", [:], true),
        ("a!=", [:], false),
        ("metadata.name=foo,status.phase!=Running", ["metadata.name": "foo", "status.phase": "Pending"], true),
        ("metadata.name=foo,status.phase!=Running", ["metadata.name": "foo", "status.phase": "Running"], false),
        (#"a=x\,y"#, ["a": "x,y"], true),
    ]

    @Test(arguments: matchCases)
    func matchesFields(selector: String, fields: [String: String], expected: Bool) throws {
        #expect(try FieldSelector(parsing: selector).matches(fields) == expected)
    }

    static let escapeCases: [(String, String)] = [
        ("plain", "plain"),
        ("", ""),
        ("a,b", #"a\,b"#),
        ("a=b", #"a\=b"#),
        (#"a\b"#, #"a\\b"#),
        (#"\,="#, #"\\\,\="#),
        ("ünïcode", "ünïcode"),
    ]

    @Test(arguments: escapeCases)
    func escapesAndUnescapes(raw: String, escaped: String) throws {
        #expect(FieldSelectorEscaping.escape(raw) == escaped)
        #expect(try FieldSelectorEscaping.unescape(escaped) == raw)
    }

    @Test func exactMatchAndTransform() throws {
        let selector = try FieldSelector(parsing: "spec.nodeName=node-1,status.phase!=Failed")
        #expect(selector.requiresExactMatch("spec.nodeName") == "node-1")
        #expect(selector.requiresExactMatch("status.phase") == nil)
        #expect(selector.requiresExactMatch("metadata.name") == nil)
        let renamed = selector.transformed { requirement in
            requirement.field == "spec.nodeName"
                ? FieldRequirement(field: "spec.host", operator: requirement.operator, value: requirement.value)
                : nil
        }
        #expect(renamed.description == "spec.host=node-1")
        #expect(FieldSelector(field: "metadata.name", equals: "a,b").description == #"metadata.name=a\,b"#)
        #expect(FieldSelector.everything.isEmpty)
        #expect(FieldSelector.everything.matches(["x": "y"]))
    }
}
