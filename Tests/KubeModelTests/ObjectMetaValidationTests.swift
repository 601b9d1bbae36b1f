import Foundation
import Testing

@testable import KubeModel

@Suite("Object metadata validation")
struct ObjectMetaValidationTests {
    static let validOwner = OwnerReferenceFields(
        apiVersion: "apps/v1", kind: "ReplicaSet", name: "web-1", uid: "u-1", controller: true)

    // Metadata, whether the kind is namespaced, expected error texts.
    static let createCases: [(String, ObjectMetaFields, Bool, [String])] = [
        ("valid namespaced", ObjectMetaFields(name: "web", namespace: "default"), true, []),
        ("valid cluster-scoped", ObjectMetaFields(name: "node-1"), false, []),
        (
            "generated name", ObjectMetaFields(name: "web-x7k2p", generateName: "web-", namespace: "default"), true, []
        ),
        (
            "missing name", ObjectMetaFields(namespace: "default"), true,
            ["metadata.name: Required value: name or generateName is required"]
        ),
        (
            "upper-case name", ObjectMetaFields(name: "Foo", namespace: "default"), true,
            ["metadata.name: Invalid value: \"Foo\": " + UpstreamRules.dns1123Subdomain]
        ),
        (
            "bad generateName", ObjectMetaFields(name: "foo-abcde", generateName: "Foo-", namespace: "default"), true,
            ["metadata.generateName: Invalid value: \"Foo-\": " + UpstreamRules.dns1123Subdomain]
        ),
        (
            "missing namespace", ObjectMetaFields(name: "web"), true,
            ["metadata.namespace: Required value"]
        ),
        (
            "bad namespace", ObjectMetaFields(name: "web", namespace: "Bad_NS"), true,
            ["metadata.namespace: Invalid value: \"Bad_NS\": " + UpstreamRules.dns1123Label]
        ),
        (
            "namespace on cluster-scoped kind", ObjectMetaFields(name: "n", namespace: "default"), false,
            ["metadata.namespace: Forbidden: not allowed on this type"]
        ),
        (
            "negative generation", ObjectMetaFields(name: "web", namespace: "default", generation: -1), true,
            ["metadata.generation: Invalid value: -1: must be greater than or equal to 0"]
        ),
        (
            "bad labels", ObjectMetaFields(name: "web", namespace: "d", labels: ["a b": "ok", "app": "-web"]), true,
            [
                "metadata.labels: Invalid value: \"a b\": " + UpstreamRules.qualifiedNamePart,
                "metadata.labels: Invalid value: \"-web\": " + UpstreamRules.labelValue,
            ]
        ),
        (
            "annotation keys ignore case", ObjectMetaFields(name: "web", namespace: "d", annotations: ["Example.COM/Note": "x"]),
            true, []
        ),
        (
            "bad annotation key", ObjectMetaFields(name: "web", namespace: "d", annotations: ["a b": "x"]), true,
            ["metadata.annotations: Invalid value: \"a b\": " + UpstreamRules.qualifiedNamePart]
        ),
        (
            "annotations too large",
            ObjectMetaFields(name: "web", namespace: "d", annotations: ["big": String(repeating: "x", count: 262142)]),
            true, ["metadata.annotations: Too long: may not be more than 262144 bytes"]
        ),
        (
            "annotations at the limit",
            ObjectMetaFields(name: "web", namespace: "d", annotations: ["big": String(repeating: "x", count: 262141)]),
            true, []
        ),
        (
            "finalizers", ObjectMetaFields(name: "web", namespace: "d", finalizers: ["example.com/cleanup", "foo"]), true,
            []
        ),
        (
            "bad finalizer", ObjectMetaFields(name: "web", namespace: "d", finalizers: ["a/b/c"]), true,
            ["metadata.finalizers: Invalid value: \"a/b/c\": " + UpstreamRules.qualifiedNameTooManySlashes]
        ),
        (
            "orphan and foreground", ObjectMetaFields(name: "web", namespace: "d", finalizers: ["orphan", "foregroundDeletion"]),
            true,
            [
                "metadata.finalizers: Invalid value: []string{\"orphan\", \"foregroundDeletion\"}: finalizer orphan and foregroundDeletion cannot be both set"
            ]
        ),
        ("owner", ObjectMetaFields(name: "web", namespace: "d", ownerReferences: [validOwner]), true, []),
        (
            "owner missing fields",
            ObjectMetaFields(
                name: "web", namespace: "d",
                ownerReferences: [OwnerReferenceFields(apiVersion: "apps/", kind: "", name: "", uid: "")]),
            true,
            [
                "metadata.ownerReferences.apiVersion: Invalid value: \"apps/\": version must not be empty",
                "metadata.ownerReferences.kind: Invalid value: \"\": must not be empty",
                "metadata.ownerReferences.name: Invalid value: \"\": must not be empty",
                "metadata.ownerReferences.uid: Invalid value: \"\": must not be empty",
            ]
        ),
        (
            "event owner",
            ObjectMetaFields(
                name: "web", namespace: "d",
                ownerReferences: [OwnerReferenceFields(apiVersion: "v1", kind: "Event", name: "e", uid: "u")]),
            true,
            [
                "metadata.ownerReferences: Invalid value: v1.OwnerReference{APIVersion:\"v1\", Kind:\"Event\", Name:\"e\", UID:\"u\", Controller:(*bool)(nil), BlockOwnerDeletion:(*bool)(nil)}: /v1, Kind=Event is disallowed from being an owner"
            ]
        ),
    ]

    @Test(arguments: createCases)
    func validatesCreate(name: String, meta: ObjectMetaFields, namespaced: Bool, expected: [String]) {
        let errors = Validation.validateObjectMeta(
            meta, requiresNamespace: namespaced, nameValidator: Validation.nameIsDNSSubdomain)
        #expect(errors.map(\.description) == expected, "\(name)")
    }

    @Test func atMostOneController() {
        let second = OwnerReferenceFields(apiVersion: "apps/v1", kind: "Deployment", name: "web", uid: "u-2", controller: true)
        let errors = Validation.validateOwnerReferences([Self.validOwner, second], path: FieldPath("metadata", "ownerReferences"))
        #expect(errors.count == 1)
        #expect(errors.first?.field == "metadata.ownerReferences")
        #expect(errors.first?.reason == "FieldValueInvalid")
        #expect(
            errors.first?.detail
                == "Only one reference can have Controller set to true. Found \"true\" in references for ReplicaSet/web-1 and Deployment/web"
        )
        let notController = OwnerReferenceFields(apiVersion: "apps/v1", kind: "Deployment", name: "web", uid: "u-2", controller: false)
        #expect(Validation.validateOwnerReferences([Self.validOwner, notController], path: "x").isEmpty)
    }

    @Test func nameRulePerKind() {
        let service = ObjectMetaFields(name: "1web", namespace: "d")
        #expect(Validation.validateObjectMeta(service, requiresNamespace: true, nameValidator: Validation.nameIsDNSSubdomain).isEmpty)
        #expect(
            Validation.validateObjectMeta(service, requiresNamespace: true, nameValidator: Validation.nameIsDNS1035Label)
                .map(\.description) == ["metadata.name: Invalid value: \"1web\": " + UpstreamRules.dns1035Label])
    }

    static let standardFinalizerCases: [(String, [String])] = [
        ("kubernetes", []),
        ("orphan", []),
        ("foregroundDeletion", []),
        ("example.com/cleanup", []),
        ("foo", ["spec.finalizers: Invalid value: \"foo\": name is neither a standard finalizer name nor is it fully qualified"]),
        (
            "-foo",
            [
                "spec.finalizers: Invalid value: \"-foo\": " + UpstreamRules.qualifiedNamePart,
                "spec.finalizers: Invalid value: \"-foo\": name is neither a standard finalizer name nor is it fully qualified",
            ]
        ),
    ]

    @Test(arguments: standardFinalizerCases)
    func standardFinalizers(name: String, expected: [String]) {
        #expect(Validation.validateStandardFinalizerName(name, path: FieldPath("spec", "finalizers")).map(\.description) == expected)
    }

    static let created = Time(Date(timeIntervalSince1970: 1_714_557_600))  // 2024-05-01T10:00:00Z
    static let old = ObjectMetaFields(
        name: "web", namespace: "d", uid: "u-1", resourceVersion: "5", generation: 3, creationTimestamp: created,
        finalizers: ["a"])

    // Change to apply, expected error texts.
    static let updateCases: [(String, @Sendable (inout ObjectMetaFields) -> Void, [String])] = [
        ("no change", { _ in }, []),
        ("labels change", { $0.labels = ["app": "web"] }, []),
        ("generation grows", { $0.generation = 4 }, []),
        (
            "missing resourceVersion", { $0.resourceVersion = "" },
            ["metadata.resourceVersion: Invalid value: \"\": must be specified for an update"]
        ),
        ("generation decremented", { $0.generation = 2 }, ["metadata.generation: Invalid value: 2: must not be decremented"]),
        ("renamed", { $0.name = "web2" }, ["metadata.name: Invalid value: \"web2\": field is immutable"]),
        ("moved", { $0.namespace = "other" }, ["metadata.namespace: Invalid value: \"other\": field is immutable"]),
        ("new uid", { $0.uid = "u-2" }, ["metadata.uid: Invalid value: \"u-2\": field is immutable"]),
        (
            "creation time changed", { $0.creationTimestamp = Time(Date(timeIntervalSince1970: 1_714_557_601)) },
            ["metadata.creationTimestamp: Invalid value: 2024-05-01 10:00:01 +0000 UTC: field is immutable"]
        ),
        (
            "creation time removed", { $0.creationTimestamp = nil },
            ["metadata.creationTimestamp: Invalid value: 0001-01-01 00:00:00 +0000 UTC: field is immutable"]
        ),
        (
            "deletion set by update", { $0.deletionTimestamp = ObjectMetaValidationTests.created },
            ["metadata.deletionTimestamp: Invalid value: 2024-05-01 10:00:00 +0000 UTC: field is immutable"]
        ),
        (
            "grace period set", { $0.deletionGracePeriodSeconds = 30 },
            ["metadata.deletionGracePeriodSeconds: Invalid value: 30: field is immutable"]
        ),
        (
            "bad label on update", { $0.labels = ["app": "-"] },
            ["metadata.labels: Invalid value: \"-\": " + UpstreamRules.labelValue]
        ),
    ]

    @Test(arguments: updateCases)
    func validatesUpdate(name: String, change: @Sendable (inout ObjectMetaFields) -> Void, expected: [String]) {
        var new = Self.old
        change(&new)
        #expect(Validation.validateObjectMetaUpdate(new, old: Self.old).map(\.description) == expected, "\(name)")
    }

    @Test func noNewFinalizersWhileDeleting() {
        var old = Self.old
        old.deletionTimestamp = Self.created
        var new = old
        new.finalizers = ["a", "c", "b"]
        #expect(
            Validation.validateObjectMetaUpdate(new, old: old).map(\.description) == [
                "metadata.finalizers: Forbidden: no new finalizers can be added if the object is being deleted, found new finalizers []string{\"b\", \"c\"}"
            ])
        new.finalizers = []
        #expect(Validation.validateObjectMetaUpdate(new, old: old).isEmpty)
    }

    // Selector fields, expected error texts.
    static let selectorCases: [([String: String], [LabelSelectorExpression], [String])] = [
        (["app": "web"], [LabelSelectorExpression(key: "tier", operator: "In", values: ["a"])], []),
        ([:], [LabelSelectorExpression(key: "gpu", operator: "Exists")], []),
        (
            [:], [LabelSelectorExpression(key: "tier", operator: "In")],
            ["spec.selector.matchExpressions[0].values: Required value: must be specified when `operator` is 'In' or 'NotIn'"]
        ),
        (
            [:], [LabelSelectorExpression(key: "tier", operator: "NotIn")],
            ["spec.selector.matchExpressions[0].values: Required value: must be specified when `operator` is 'In' or 'NotIn'"]
        ),
        (
            [:], [LabelSelectorExpression(key: "gpu", operator: "DoesNotExist", values: ["x"])],
            ["spec.selector.matchExpressions[0].values: Forbidden: may not be specified when `operator` is 'Exists' or 'DoesNotExist'"]
        ),
        (
            [:], [LabelSelectorExpression(key: "gpu", operator: "Gt", values: ["1"])],
            ["spec.selector.matchExpressions[0].operator: Invalid value: \"Gt\": not a valid selector operator"]
        ),
        (
            [:],
            [
                LabelSelectorExpression(key: "ok", operator: "Exists"),
                LabelSelectorExpression(key: "bad key", operator: "In", values: ["-x"]),
            ],
            [
                "spec.selector.matchExpressions[1].key: Invalid value: \"bad key\": " + UpstreamRules.qualifiedNamePart,
                "spec.selector.matchExpressions[1].values[0]: Invalid value: \"-x\": " + UpstreamRules.labelValue,
            ]
        ),
        (["app": "-"], [], ["spec.selector.matchLabels: Invalid value: \"-\": " + UpstreamRules.labelValue]),
    ]

    @Test(arguments: selectorCases)
    func validatesLabelSelectors(matchLabels: [String: String], expressions: [LabelSelectorExpression], expected: [String]) {
        let errors = Validation.validateLabelSelector(
            matchLabels: matchLabels, matchExpressions: expressions, path: FieldPath("spec", "selector"))
        #expect(errors.map(\.description) == expected)
    }

    @Test func selectorValuesMayBeInvalidWhenAllowed() {
        let expression = LabelSelectorExpression(key: "k", operator: "In", values: ["-x"])
        #expect(
            Validation.validateLabelSelector(
                matchLabels: [:], matchExpressions: [expression], path: "spec.selector", allowInvalidLabelValues: true
            ).isEmpty)
    }
}
