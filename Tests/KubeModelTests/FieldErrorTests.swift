import Testing

@testable import KubeModel

@Suite("Field errors")
struct FieldErrorTests {
    static let pathCases: [(FieldPath, String)] = [
        (FieldPath("metadata", "name"), "metadata.name"),
        (FieldPath("spec").child("containers").index(0).child("name"), "spec.containers[0].name"),
        (FieldPath("spec").index(0).key("foo"), "spec[0][foo]"),
        (FieldPath("metadata").child("labels").key("example.com/app"), "metadata.labels[example.com/app]"),
        (FieldPath.root, ""),
        (FieldPath.root.key("a"), "[a]"),
        (FieldPath.root.index(1).child("x"), "[1].x"),
        (FieldPath.root.child("key"), "key"),
        ("spec.template", "spec.template"),
        (FieldPath("spec").child("a", "b"), "spec.a.b"),
    ]

    @Test(arguments: pathCases)
    func pathsPrintLikeUpstream(path: FieldPath, text: String) {
        #expect(path.description == text)
    }

    static let labelRule = UpstreamRules.dns1123Label

    // Error, its full text, its Status cause reason.
    static let errorCases: [(FieldError, String, String)] = [
        (
            .invalid(FieldPath("metadata", "name"), "Foo", Validation.isDNS1123Label("Foo")[0]),
            "metadata.name: Invalid value: \"Foo\": a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')",
            "FieldValueInvalid"
        ),
        (.required(FieldPath("spec", "containers")), "spec.containers: Required value", "FieldValueRequired"),
        (
            .required(FieldPath("metadata", "name"), "name or generateName is required"),
            "metadata.name: Required value: name or generateName is required", "FieldValueRequired"
        ),
        (
            .duplicate(FieldPath("spec", "ports").index(1).child("name"), "http"),
            "spec.ports[1].name: Duplicate value: \"http\"", "FieldValueDuplicate"
        ),
        (
            .notSupported(FieldPath("spec", "restartPolicy"), "Sometimes", supported: ["Always", "OnFailure", "Never"]),
            "spec.restartPolicy: Unsupported value: \"Sometimes\": supported values: \"Always\", \"OnFailure\", \"Never\"",
            "FieldValueNotSupported"
        ),
        (.notSupported("spec.x", "y", supported: []), "spec.x: Unsupported value: \"y\"", "FieldValueNotSupported"),
        (
            .forbidden(FieldPath("metadata", "namespace"), "not allowed on this type"),
            "metadata.namespace: Forbidden: not allowed on this type", "FieldValueForbidden"
        ),
        (
            .tooLong(FieldPath("metadata", "annotations"), maxLength: 262144),
            "metadata.annotations: Too long: may not be more than 262144 bytes", "FieldValueTooLong"
        ),
        (.tooLong("x", maxLength: -1), "x: Too long: value is too long", "FieldValueTooLong"),
        (
            .tooMany(FieldPath("spec", "containers"), actual: 5, max: 3),
            "spec.containers: Too many: 5: must have at most 3 items", "FieldValueTooMany"
        ),
        (.tooMany("x", actual: nil, max: 1), "x: Too many: must have at most 1 item", "FieldValueTooMany"),
        (.tooMany("x", actual: 2, max: -1), "x: Too many: 2: has too many items", "FieldValueTooMany"),
        (.notFound("spec.volumes", "data"), "spec.volumes: Not found: \"data\"", "FieldValueNotFound"),
        (.internalError("spec", "boom"), "spec: Internal error: boom", "InternalError"),
        (.typeInvalid("spec.replicas", "three", "expected integer"), "spec.replicas: Invalid value: \"three\": expected integer", "FieldValueTypeInvalid"),
        (.invalid("spec.replicas", -1, ValidationMessages.negative), "spec.replicas: Invalid value: -1: must be greater than or equal to 0", "FieldValueInvalid"),
        (.invalid("spec.paused", true, "nope"), "spec.paused: Invalid value: true: nope", "FieldValueInvalid"),
        (.invalid("spec.x", .null, "nope"), "spec.x: Invalid value: null: nope", "FieldValueInvalid"),
        (.invalid("spec.x", .double(0.5), "nope"), "spec.x: Invalid value: 0.5: nope", "FieldValueInvalid"),
        (.invalid("spec.x", .strings(["a", "b"]), "nope"), "spec.x: Invalid value: []string{\"a\", \"b\"}: nope", "FieldValueInvalid"),
        (.invalid("spec.x", .omitted, "nope"), "spec.x: Invalid value: nope", "FieldValueInvalid"),
        (.invalid("spec.x", "a\"b\n", ""), "spec.x: Invalid value: \"a\\\"b\\n\"", "FieldValueInvalid"),
    ]

    @Test(arguments: errorCases)
    func errorsPrintLikeUpstream(error: FieldError, text: String, reason: String) {
        #expect(error.description == text)
        #expect(error.reason == reason)
        #expect(text.hasSuffix(error.body))
        #expect(error.field + ": " + error.body == text)
    }

    static let quoteCases: [(String, String)] = [
        ("plain", "\"plain\""),
        ("", "\"\""),
        ("a\"b", "\"a\\\"b\""),
        ("back\\slash", "\"back\\\\slash\""),
        ("tab\tnew\nline\r", "\"tab\\tnew\\nline\\r\""),
        ("\u{07}\u{08}\u{0B}\u{0C}", "\"\\a\\b\\v\\f\""),
        ("\u{01}", "\"\\x01\""),
        ("\u{7F}", "\"\\x7f\""),
        ("é ü 日本", "\"é ü 日本\""),
        ("😀", "\"😀\""),
        ("\u{200B}", "\"\\u200b\""),
        ("\u{A0}", "\"\\u00a0\""),
        ("\u{E000}", "\"\\ue000\""),
        ("\u{10FFFD}", "\"\\U0010fffd\""),
    ]

    @Test(arguments: quoteCases)
    func stringsQuoteLikeGo(raw: String, quoted: String) {
        #expect(GoFormatting.quote(raw) == quoted)
    }

    static let floatCases: [(Double, String)] = [
        (0.5, "0.5"), (100, "100"), (-2.5, "-2.5"), (123456, "123456"), (1e6, "1e+06"),
        (1234567.5, "1.2345675e+06"), (0.0001, "0.0001"), (0.00001, "1e-05"), (1.5e-7, "1.5e-07"),
        (1e21, "1e+21"), (0, "0"), (3.14159, "3.14159"), (-0.0, "-0"),
    ]

    @Test(arguments: floatCases)
    func floatsPrintLikeGo(value: Double, text: String) {
        #expect(GoFormatting.float(value) == text)
    }

    static let jsonFloatCases: [(Double, String)] = [
        (0.5, "0.5"), (100, "100"), (1e6, "1000000"), (1e20, "100000000000000000000"), (1e21, "1e+21"),
        (0.000001, "0.000001"), (1.5e-7, "1.5e-7"), (-2.5e-10, "-2.5e-10"), (123.456, "123.456"),
    ]

    @Test(arguments: jsonFloatCases)
    func floatsEncodeLikeGoJSON(value: Double, text: String) {
        #expect(GoFormatting.jsonNumber(value) == text)
    }

    @Test func aggregatesLikeUpstream() {
        let first = FieldError.required(FieldPath("metadata", "name"), "name or generateName is required")
        let second = FieldError.invalid(FieldPath("spec", "replicas"), -1, ValidationMessages.negative)
        #expect([FieldError]().aggregateMessage == nil)
        #expect([first].aggregateMessage == first.description)
        #expect([first, first].aggregateMessage == first.description)
        #expect([first, second, first].aggregateMessage == "[\(first), \(second)]")
        #expect(
            [first, second].invalidStatusMessage(kind: "Deployment", group: "apps", name: "web")
                == "Deployment.apps \"web\" is invalid: [metadata.name: Required value: name or generateName is required, spec.replicas: Invalid value: -1: must be greater than or equal to 0]"
        )
        #expect(
            [first].invalidStatusMessage(kind: "Pod", name: "p")
                == "Pod \"p\" is invalid: metadata.name: Required value: name or generateName is required")
        #expect([FieldError]().invalidStatusMessage(kind: "Pod", name: "p") == "Pod \"p\" is invalid")
    }

    @Test func nestsUnderAParent() {
        let errors: [FieldError] = [.required("name"), .invalid(FieldPath.root.index(0), "x", "bad"), .required(.root)]
        #expect(
            errors.nested(under: FieldPath("spec", "containers")).map(\.field)
                == ["spec.containers.name", "spec.containers[0]", "spec.containers"])
        #expect(errors.nested(under: .root).map(\.field) == ["name", "[0]", ""])
    }

    @Test func everyErrorTypeHasUpstreamReasonAndSummary() {
        let expected: [FieldError.ErrorType: (String, String)] = [
            .notFound: ("FieldValueNotFound", "Not found"),
            .required: ("FieldValueRequired", "Required value"),
            .duplicate: ("FieldValueDuplicate", "Duplicate value"),
            .invalid: ("FieldValueInvalid", "Invalid value"),
            .notSupported: ("FieldValueNotSupported", "Unsupported value"),
            .forbidden: ("FieldValueForbidden", "Forbidden"),
            .tooLong: ("FieldValueTooLong", "Too long"),
            .tooMany: ("FieldValueTooMany", "Too many"),
            .internalError: ("InternalError", "Internal error"),
            .typeInvalid: ("FieldValueTypeInvalid", "Invalid value"),
        ]
        for type in FieldError.ErrorType.allCases {
            #expect(type.rawValue == expected[type]?.0)
            #expect(type.summary == expected[type]?.1)
        }
    }
}
