import Testing

@testable import KubeModel

@Suite("Label selectors")
struct LabelSelectorTests {
    // Input and the string the parsed selector prints (requirements sorted by key).
    static let parseCases: [(String, String)] = [
        ("", ""),
        ("x=a", "x=a"),
        ("x = a", "x=a"),
        ("  x=a  ", "x=a"),
        ("x==a", "x==a"),
        ("x!=a", "x!=a"),
        ("x=a,y=b,z=c", "x=a,y=b,z=c"),
        ("z=c,y=b,x=a", "x=a,y=b,z=c"),
        ("x in (a)", "x in (a)"),
        ("x in (c,b,a)", "x in (a,b,c)"),
        ("x in (a, b, a)", "x in (a,b)"),
        ("x notin (a,b)", "x notin (a,b)"),
        ("x", "x"),
        ("!x", "!x"),
        ("! x", "!x"),
        ("x>1", "x>1"),
        ("x<10", "x<10"),
        ("x=", "x="),
        ("x!=,y", "x!=,y"),
        ("x in ()", "x in ()"),
        ("x in (,a)", "x in (,a)"),
        ("x in (a,)", "x in (,a)"),
        ("x in (a,,b)", "x in (,a,b)"),
        ("in=a", "in=a"),
        ("x in (in,notin)", "x in (in,notin)"),
        ("example.com/app=web", "example.com/app=web"),
        ("x=a,x!=b", "x=a,x!=b"),
        ("app=web,tier!=db,env in (a,b),!legacy,release", "app=web,env in (a,b),!legacy,release,tier!=db"),
    ]

    @Test(arguments: parseCases)
    func parsesAndPrints(input: String, printed: String) throws {
        let selector = try LabelSelector(parsing: input)
        #expect(selector.description == printed)
        // The printed form parses back to the same selector.
        #expect(try LabelSelector(parsing: printed) == selector)
    }

    static let nameRule =
        "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')"
    static let labelValueRule =
        "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')"

    static let errorCases: [(String, String)] = [
        ("x=a,", "found '', expected: identifier after ','"),
        (",x=a", "found ',', expected: !, identifier, or 'end of string'"),
        ("x=a b", "found 'b', expected: ',' or 'end of string'"),
        ("!x=a", "found '=', expected: ',' or 'end of string'"),
        ("x in a", "unable to parse requirement: found 'a' expected: '('"),
        ("x in (a", "unable to parse requirement: found '', expected: ',' or ')'"),
        ("x in (a b)", "unable to parse requirement: found 'b', expected: ',' or ')'"),
        ("x in (=)", "unable to parse requirement: found '=', expected: ',', ')' or identifier"),
        ("x y", "unable to parse requirement: found 'y', expected: in, notin, =, ==, !=, gt, lt"),
        ("x!", "unable to parse requirement: found '!', expected: in, notin, =, ==, !=, gt, lt"),
        ("x=(a)", "unable to parse requirement: found '(', expected: identifier"),
        ("x=>1", "unable to parse requirement: found '>', expected: identifier"),
        ("!=a", "found '!=', expected: !, identifier, or 'end of string'"),
        ("!!x", "unable to parse requirement: found '!', expected: identifier"),
        ("x>a", "unable to parse requirement: values[0]: Invalid value: \"a\": for 'Gt', 'Lt' operators, the value must be an integer"),
        ("x=a||y", "unable to parse requirement: values[0][x]: Invalid value: \"a||y\": " + labelValueRule),
        // Values are label values even for gt/lt, so negative bounds are refused as upstream does.
        ("x>-1", "unable to parse requirement: values[0][x]: Invalid value: \"-1\": " + labelValueRule),
        ("a$b=c", "unable to parse requirement: <nil>: Invalid value: \"a$b\": " + nameRule),
    ]

    @Test(arguments: errorCases)
    func reportsUpstreamParseErrors(input: String, message: String) {
        #expect(throws: SelectorError.self) { try LabelSelector(parsing: input) }
        do {
            _ = try LabelSelector(parsing: input)
        } catch {
            #expect(error.message == message)
        }
    }

    @Test func keepsFieldErrorsOfInvalidRequirements() throws {
        do {
            _ = try LabelSelector(parsing: "x>a")
            Issue.record("expected an error")
        } catch {
            #expect(error.fieldErrors.map(\.field) == ["values[0]"])
            #expect(error.fieldErrors.map(\.reason) == ["FieldValueInvalid"])
        }
    }

    // Selector, labels, whether they match.
    static let matchCases: [(String, [String: String], Bool)] = [
        ("", [:], true),
        ("", ["a": "b"], true),
        ("x=a", ["x": "a"], true),
        ("x==a", ["x": "a", "y": "b"], true),
        ("x=a", ["x": "b"], false),
        ("x=a", [:], false),
        ("x!=a", [:], true),
        ("x!=a", ["x": "a"], false),
        ("x!=a", ["x": "b"], true),
        ("x in (a,b)", ["x": "b"], true),
        ("x in (a,b)", ["x": "c"], false),
        ("x in (a,b)", [:], false),
        ("x notin (a,b)", [:], true),
        ("x notin (a,b)", ["x": "a"], false),
        ("x notin (a,b)", ["x": "c"], true),
        ("x", ["x": ""], true),
        ("x", [:], false),
        ("!x", [:], true),
        ("!x", ["x": "a"], false),
        ("x>1", ["x": "2"], true),
        ("x>1", ["x": "1"], false),
        ("x>1", ["x": "a"], false),
        ("x>1", [:], false),
        ("x<1", ["x": "0"], true),
        ("x<1", ["x": "-5"], true),
        ("x<1", ["x": "1"], false),
        ("x=a,y=b", ["x": "a", "y": "b"], true),
        ("x=a,y=b", ["x": "a"], false),
        ("x=", [:], false),
        ("x=", ["x": ""], true),
        ("x!=", [:], true),
        ("x!=", ["x": ""], false),
        ("x in ()", ["x": ""], true),
        ("app=web,tier!=db,env in (a,b),!legacy,release", ["app": "web", "env": "a", "release": "1"], true),
        ("app=web,tier!=db,env in (a,b),!legacy,release", ["app": "web", "env": "a", "release": "1", "legacy": "y"], false),
        ("app=web,tier!=db,env in (a,b),!legacy,release", ["app": "web", "env": "a"], false),
    ]

    @Test(arguments: matchCases)
    func matchesLabels(selector: String, labels: [String: String], expected: Bool) throws {
        #expect(try LabelSelector(parsing: selector).matches(labels) == expected)
    }

    @Test func everythingAndNothing() {
        #expect(LabelSelector.everything.matches([:]))
        #expect(LabelSelector.everything.matches(["a": "b"]))
        #expect(LabelSelector.everything.isEmpty)
        #expect(!LabelSelector.nothing.matches([:]))
        #expect(!LabelSelector.nothing.matches(["a": "b"]))
        #expect(!LabelSelector.nothing.isEmpty)
        #expect(LabelSelector.nothing.matchesNothing)
        #expect(LabelSelector.nothing.description == "")
        #expect(LabelSelector.everything != LabelSelector.nothing)
    }

    // matchLabels, matchExpressions, printed selector.
    static let apiSelectorCases: [([String: String], [LabelSelectorExpression], String)] = [
        ([:], [], ""),
        (["app": "web"], [], "app=web"),
        (["b": "2", "a": "1"], [], "a=1,b=2"),
        ([:], [LabelSelectorExpression(key: "env", operator: "In", values: ["prod", "dev"])], "env in (dev,prod)"),
        ([:], [LabelSelectorExpression(key: "env", operator: "NotIn", values: ["prod"])], "env notin (prod)"),
        ([:], [LabelSelectorExpression(key: "gpu", operator: "Exists")], "gpu"),
        ([:], [LabelSelectorExpression(key: "legacy", operator: "DoesNotExist")], "!legacy"),
        (
            ["app": "web"],
            [
                LabelSelectorExpression(key: "tier", operator: "In", values: ["front"]),
                LabelSelectorExpression(key: "app", operator: "Exists"),
            ],
            "app=web,app,tier in (front)"
        ),
    ]

    @Test(arguments: apiSelectorCases)
    func buildsFromAPISelector(matchLabels: [String: String], expressions: [LabelSelectorExpression], printed: String)
        throws
    {
        let selector = try LabelSelector(matchLabels: matchLabels, matchExpressions: expressions)
        #expect(selector.description == printed)
        #expect(selector.isEmpty == (matchLabels.isEmpty && expressions.isEmpty))
    }

    static let apiSelectorErrorCases: [([String: String], [LabelSelectorExpression], String)] = [
        (
            [:], [LabelSelectorExpression(key: "env", operator: "In")],
            "values: Invalid value: []string(nil): for 'in', 'notin' operators, values set can't be empty"
        ),
        (
            [:], [LabelSelectorExpression(key: "env", operator: "NotIn")],
            "values: Invalid value: []string(nil): for 'in', 'notin' operators, values set can't be empty"
        ),
        (
            [:], [LabelSelectorExpression(key: "gpu", operator: "Exists", values: ["a"])],
            "values: Invalid value: []string{\"a\"}: values set must be empty for exists and does not exist"
        ),
        (
            [:], [LabelSelectorExpression(key: "gpu", operator: "DoesNotExist", values: ["a", "b"])],
            "values: Invalid value: []string{\"a\", \"b\"}: values set must be empty for exists and does not exist"
        ),
        ([:], [LabelSelectorExpression(key: "gpu", operator: "Foo")], "\"Foo\" is not a valid label selector operator"),
        ([:], [LabelSelectorExpression(key: "gpu", operator: "in", values: ["a"])], "\"in\" is not a valid label selector operator"),
        (["bad key": "a"], [], "key: Invalid value: \"bad key\": " + nameRule),
        (["a": "bad value"], [], "values[0][a]: Invalid value: \"bad value\": " + labelValueRule),
        (
            [:], [LabelSelectorExpression(key: "-k", operator: "In")],
            "[key: Invalid value: \"-k\": \(nameRule), values: Invalid value: []string(nil): for 'in', 'notin' operators, values set can't be empty]"
        ),
    ]

    @Test(arguments: apiSelectorErrorCases)
    func rejectsInvalidAPISelector(matchLabels: [String: String], expressions: [LabelSelectorExpression], message: String) {
        do {
            _ = try LabelSelector(matchLabels: matchLabels, matchExpressions: expressions)
            Issue.record("expected an error")
        } catch {
            #expect(error.message == message)
        }
    }

    static let requirementErrorCases: [(LabelRequirement.Operator, [String], String)] = [
        (.equals, [], "values: Invalid value: []string(nil): exact-match compatibility requires one single value"),
        (.notEquals, ["a", "b"], "values: Invalid value: []string{\"a\", \"b\"}: exact-match compatibility requires one single value"),
        (.greaterThan, ["1", "2"], "values: Invalid value: []string{\"1\", \"2\"}: for 'Gt', 'Lt' operators, exactly one value is required"),
        (.lessThan, ["x"], "values[0]: Invalid value: \"x\": for 'Gt', 'Lt' operators, the value must be an integer"),
    ]

    @Test(arguments: requirementErrorCases)
    func validatesRequirements(selectorOperator: LabelRequirement.Operator, values: [String], message: String) {
        #expect(throws: SelectorError.self) { try LabelRequirement(key: "k", operator: selectorOperator, values: values) }
        do {
            _ = try LabelRequirement(key: "k", operator: selectorOperator, values: values)
        } catch {
            #expect(error.message == message)
        }
    }

    @Test func requirementsCombine() throws {
        let selector = try LabelSelector(parsing: "b=2").adding(
            try LabelRequirement(key: "a", operator: .in, values: ["1"]),
            try LabelRequirement(key: "c", operator: .exists))
        #expect(selector.description == "a in (1),b=2,c")
        #expect(selector.requiresExactMatch("a") == "1")
        #expect(selector.requiresExactMatch("b") == "2")
        #expect(selector.requiresExactMatch("c") == nil)
        #expect(selector.requiresExactMatch("d") == nil)
        #expect(try LabelSelector(parsing: "a in (1,2)").requiresExactMatch("a") == nil)
        #expect(try LabelSelector(parsing: "a!=1").requiresExactMatch("a") == nil)
    }

    @Test func validatedLabelsSelectorSkipsValidation() {
        let selector = LabelSelector(validatedLabels: ["tier": "db", "app": "web"])
        #expect(selector.description == "app=web,tier=db")
        #expect(selector.matches(["app": "web", "tier": "db", "x": "y"]))
        #expect(!selector.matches(["app": "web"]))
    }
}
