import Testing

@testable import KubeModel

/// Parses JSON text written in a test; a typo fails the test where it is.
func applyTestJSON(_ text: String, sourceLocation: SourceLocation = #_sourceLocation) -> JSONValue {
    do {
        return try JSONParser.parse(text)
    } catch {
        Issue.record("invalid test JSON: \(error)", sourceLocation: sourceLocation)
        return .null
    }
}

let applyTestDeploymentSchema = SchemaCatalog.definitions["io.k8s.api.apps.v1.Deployment"]!

@Suite("Apply: field sets and FieldsV1")
struct ApplyFieldSetTests {
    /// FieldsV1 documents as upstream writes them: reading and writing again gives the same bytes.
    static let fieldsV1Documents: [String] = [
        // structured-merge-diff's golden ordering example: fields, keys, values, indices.
        #"{"f:aaa":{},"f:aab":{},"f:aac":{},"f:aad":{},"f:aae":{},"f:aaf":{},"k:{\"name\":\"first\"}":{},"k:{\"name\":\"second\"}":{},"k:{\"port\":443,\"protocol\":\"tcp\"}":{},"k:{\"port\":443,\"protocol\":\"udp\"}":{},"v:1":{},"v:2":{},"v:3":{},"v:\"aa\"":{},"v:\"ab\"":{},"v:true":{},"i:1":{},"i:2":{},"i:3":{},"i:4":{}}"#,
        // What kubectl apply --server-side records for a Deployment.
        #"{"f:metadata":{"f:labels":{"f:app":{}}},"f:spec":{"f:replicas":{},"f:selector":{},"f:template":{"f:metadata":{"f:labels":{"f:app":{}}},"f:spec":{"f:containers":{"k:{\"name\":\"nginx\"}":{".":{},"f:image":{},"f:name":{},"f:ports":{"k:{\"containerPort\":80,\"protocol\":\"TCP\"}":{".":{},"f:containerPort":{}}}}}}}}}"#,
        // What kubectl create records (an Update), with `.` on new maps and list items.
        #"{"f:metadata":{"f:finalizers":{".":{},"v:\"example.com/a\"":{}},"f:labels":{".":{},"f:app":{}}},"f:spec":{"f:strategy":{"f:rollingUpdate":{".":{},"f:maxSurge":{},"f:maxUnavailable":{}},"f:type":{}}}}"#,
        "{}",
    ]

    @Test(arguments: fieldsV1Documents)
    func fieldsV1RoundTrip(document: String) throws {
        let set = try FieldSet(fieldsV1JSON: document)
        #expect(set.fieldsV1JSON == document)
        #expect(try FieldSet(fieldsV1: set.fieldsV1) == set)
    }

    @Test func fieldsV1DropsUnknownElementTypes() throws {
        #expect(try FieldSet(fieldsV1JSON: #"{"f:aaa":{},"r:aab":{}}"#).fieldsV1JSON == #"{"f:aaa":{}}"#)
    }

    @Test(arguments: [#"{"x":{}}"#, #"{"k:notjson":{}}"#, #"{"i:one":{}}"#, #"{"f:a":1}"#, "[]"])
    func fieldsV1RejectsMalformedDocuments(document: String) {
        #expect(throws: FieldsV1Error.self) { try FieldSet(fieldsV1JSON: document) }
    }

    @Test func fieldsV1ReadsAnElementThatIsBothMemberAndParent() throws {
        let set = try FieldSet(fieldsV1JSON: #"{"f:spec":{"f:containers":{"k:{\"name\":\"a\"}":{".":{},"f:image":{}}}}}"#)
        let item = FieldSetPath([.field("spec"), .field("containers"), .key(["name": "a"])])
        #expect(set.contains(item))
        #expect(set.contains(item.appending(.field("image"))))
        #expect(!set.contains(FieldSetPath(fields: "spec", "containers")))
    }

    /// Key fields are sorted, and values are spelled as Go's JSON encoder spells them.
    @Test(arguments: [
        (FieldSetPathElement.key(["protocol": "TCP", "containerPort": 80]), #"k:{"containerPort":80,"protocol":"TCP"}"#),
        (FieldSetPathElement.value("<a&b>"), #"v:"\u003ca\u0026b\u003e""#),
        (FieldSetPathElement.value(true), "v:true"),
        (FieldSetPathElement.field("a.b"), "f:a.b"),
        (FieldSetPathElement.index(3), "i:3"),
    ])
    func pathElementSpelling(element: FieldSetPathElement, spelling: String) throws {
        #expect(element.fieldsV1Key == spelling)
        #expect(try FieldSetPathElement.parse(fieldsV1Key: spelling) == element)
    }

    @Test(arguments: [
        (FieldSetPath([.field("spec"), .field("template"), .field("spec"), .field("containers"), .key(["name": "nginx"]), .field("image")]),
         #".spec.template.spec.containers[name="nginx"].image"#),
        (FieldSetPath([.field("spec"), .field("ports"), .key(["port": 80, "protocol": "TCP"])]), #".spec.ports[port=80,protocol="TCP"]"#),
        (FieldSetPath([.field("metadata"), .field("finalizers"), .value("a")]), #".metadata.finalizers[="a"]"#),
        (FieldSetPath([.field("args"), .index(0)]), ".args[0]"),
    ])
    func pathDescriptionMatchesUpstream(path: FieldSetPath, text: String) {
        #expect(path.description == text)
    }

    @Test func setAlgebra() {
        let a = FieldSet([FieldSetPath(fields: "spec", "replicas"), FieldSetPath(fields: "spec", "paused"), FieldSetPath(fields: "metadata", "labels", "app")])
        let b = FieldSet([FieldSetPath(fields: "spec", "replicas"), FieldSetPath(fields: "status", "replicas")])
        #expect(a.union(b).paths.count == 4)
        #expect(a.intersection(b) == FieldSet([FieldSetPath(fields: "spec", "replicas")]))
        #expect(a.subtracting(b) == FieldSet([FieldSetPath(fields: "spec", "paused"), FieldSetPath(fields: "metadata", "labels", "app")]))
        // A plain difference leaves paths under a removed path; the recursive one takes them too.
        let spec = FieldSet([FieldSetPath(fields: "spec")])
        #expect(a.subtracting(spec) == a)
        #expect(a.subtractingRecursively(spec) == FieldSet([FieldSetPath(fields: "metadata", "labels", "app")]))
        #expect(a.union(b).subtracting(a.union(b)).isEmpty)
    }

    @Test func pathsIterateMembersBeforeChildren() {
        let set = FieldSet([
            FieldSetPath(fields: "spec", "template", "spec"), FieldSetPath(fields: "spec", "replicas"), FieldSetPath(fields: "kind"),
        ])
        #expect(set.paths.map(\.description) == [".kind", ".spec.replicas", ".spec.template.spec"])
    }

    @Test func fieldSetOfDeployment() throws {
        let deployment = applyTestJSON(#"""
            {"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"nginx","labels":{"app":"nginx"},"finalizers":["example.com/a"]},
             "spec":{"replicas":3,"selector":{"matchLabels":{"app":"nginx"}},
               "template":{"metadata":{"labels":{"app":"nginx"}},
                 "spec":{"containers":[{"name":"nginx","image":"nginx:1.25","args":["-g","daemon off;"],"ports":[{"containerPort":80}],"resources":{}}]}}}}
            """#)
        let set = try FieldSet(of: deployment, schema: applyTestDeploymentSchema)
        // The selector is an atomic map, args an atomic list, and the port's missing protocol
        // takes its default in the key, as upstream does.
        #expect(set.fieldsV1JSON == #"{"f:apiVersion":{},"f:kind":{},"f:metadata":{"f:finalizers":{"v:\"example.com/a\"":{}},"f:labels":{"f:app":{}},"f:name":{}},"f:spec":{"f:replicas":{},"f:selector":{},"f:template":{"f:metadata":{"f:labels":{"f:app":{}}},"f:spec":{"f:containers":{"k:{\"name\":\"nginx\"}":{".":{},"f:args":{},"f:image":{},"f:name":{},"f:ports":{"k:{\"containerPort\":80,\"protocol\":\"TCP\"}":{".":{},"f:containerPort":{}}},"f:resources":{}}}}}}}"#)
    }

    @Test func fieldSetOfUntypedValuesCountsEveryEntry() throws {
        // A ControllerRevision's data is a RawExtension: arbitrary JSON, maps granular, lists atomic.
        let schema = SchemaCatalog.definitions["io.k8s.api.apps.v1.ControllerRevision"]!
        let revision = applyTestJSON(#"{"data":{"spec":{"a":1,"list":[1,2]}},"revision":2}"#)
        let set = try FieldSet(of: revision, schema: schema)
        #expect(set.fieldsV1JSON == #"{"f:data":{"f:spec":{".":{},"f:a":{},"f:list":{}}},"f:revision":{}}"#)
    }

    @Test func keyedItemWithoutItsKeyIsAnError() {
        let pod = applyTestJSON(#"{"spec":{"volumes":[{"emptyDir":{}}],"containers":[{"image":"x"}],"tolerations":[{"key":"a"}]}}"#)
        let schema = SchemaCatalog.definitions["io.k8s.api.core.v1.Pod"]!
        // Catalog key fields default to their zero value as in upstream's v3 schema; a key
        // without a default is an error.
        #expect(throws: Never.self) { try FieldSet(of: pod, schema: schema) }
        let service = applyTestJSON(#"{"spec":{"ports":[{"name":"http"}]}}"#)
        let set = try? FieldSet(of: service, schema: SchemaCatalog.definitions["io.k8s.api.core.v1.Service"]!)
        #expect(set?.fieldsV1JSON == #"{"f:spec":{"f:ports":{"k:{\"port\":0,\"protocol\":\"TCP\"}":{".":{},"f:name":{}}}}}"#)
        let crd = applyTestJSON(#"{"spec":{"items":[{"value":1}]}}"#)
        let crdSchema = applyTestJSON(#"""
            {"type":"object","properties":{"spec":{"type":"object","properties":{"items":{"type":"array",
             "x-kubernetes-list-type":"map","x-kubernetes-list-map-keys":["name"],
             "items":{"type":"object","properties":{"name":{"type":"string"},"value":{"type":"integer"}}}}}}}}
            """#)
        #expect {
            try FieldSet(of: crd, schema: crdSchema)
        } throws: { error in
            (error as? StructuredValueError)?.description
                == #".spec.items: element 0: associative list with keys has an element that omits key field "name" (and doesn't have default value)"#
        }
    }
}
