import Foundation
import KubeModel
import Testing

/// Decoding straight from text (`init(reader:)`) gives what decoding through `JSONValue` gives:
/// the same values, the same unknown-field paths, the same errors for well-formed text.
@Suite("JSON reader")
struct JSONReaderTests {
    /// Decodes `text` both ways; returns the direct result after checking that both agree.
    func decodeBothWays<T: JSONCodable & Equatable>(_ type: T.Type, _ text: String) throws -> (value: T, unknownFields: [String]) {
        let viaValue = JSONDecodingContext()
        let expected = try T(json: JSONParser.parse(text), context: viaValue)
        let direct = JSONDecodingContext()
        let value = try JSONReader.read(Array(text.utf8)) { reader in
            let value = try T(reader: &reader, context: direct)
            try reader.expectEnd()
            return value
        }
        #expect(value == expected)
        #expect(direct.unknownFields == viaValue.unknownFields)
        return (value, direct.unknownFields)
    }

    @Test func aFullPodDecodesAsThroughJSONValue() throws {
        let text = #"""
        {"apiVersion":"v1","kind":"Pod",
         "metadata":{"name":"web","namespace":"default","labels":{"app":"web","tier":"front"},
           "annotations":{"note":"a \"quoted\" \u00e9 value\n"},"creationTimestamp":"2024-05-01T10:00:00.123+02:00",
           "ownerReferences":[{"apiVersion":"apps/v1","kind":"ReplicaSet","name":"web-1","uid":"u1","controller":true}],
           "managedFields":[{"manager":"kubectl","operation":"Update","fieldsType":"FieldsV1","fieldsV1":{"f:spec":{"f:containers":{}}}}]},
         "spec":{"nodeName":"n1","priority":-5,"containers":[{"name":"nginx","image":"nginx","args":["-g","daemon off;"],
             "ports":[{"containerPort":80,"protocol":"TCP"}],
             "resources":{"requests":{"cpu":"100m","memory":"1.5Gi"},"limits":{"cpu":1,"memory":2e3}},
             "livenessProbe":{"httpGet":{"path":"/","port":"http"},"periodSeconds":10.0}}],
           "tolerations":[{"key":"k","operator":"Exists","effect":"NoSchedule"}],
           "volumes":[{"name":"data","emptyDir":{}}]},
         "status":{"phase":"Running","conditions":[{"type":"Ready","status":"True","lastTransitionTime":null}],"podIPs":[]}}
        """#
        let pod = try decodeBothWays(CoreV1.Pod.self, text).value
        #expect(pod.metadata.annotations?["note"] == "a \"quoted\" é value\n")
        #expect(pod.spec.containers[0].resources?.limits?["memory"] == Quantity("2e3"))
        #expect(pod.spec.containers[0].livenessProbe?.periodSeconds == 10)
        #expect(pod.spec.priority == -5)
        #expect(pod.status.podIPs == [])
    }

    @Test func whatTheWriterWritesReadsBack() throws {
        var deployment = AppsV1.Deployment()
        deployment.metadata.name = "web"
        deployment.metadata.labels = ["app": "web"]
        deployment.spec = AppsV1.DeploymentSpec(
            replicas: 3, selector: MetaV1.LabelSelector(matchLabels: ["app": "web"]),
            template: CoreV1.PodTemplateSpec(spec: CoreV1.PodSpec(containers: [CoreV1.Container(image: "nginx", name: "nginx")])))
        let decoded = try AppsV1.Deployment(jsonBytes: deployment.jsonBytes())
        #expect(decoded == deployment)
    }

    @Test func unknownFieldsKeepTheirPaths() throws {
        let text = #"{"metadata":{"name":"x","nmae":"y"},"spec":{"containers":[{"name":"c","imagee":{"deep":[1,{"x":null}]}}]},"extra":[]}"#
        let unknown = try decodeBothWays(CoreV1.Pod.self, text).unknownFields
        #expect(unknown == ["metadata.nmae", "spec.containers[0].imagee", "extra"])
    }

    @Test func nullsDecodeAsThroughJSONValue() throws {
        let text = #"{"metadata":{"name":null,"labels":null},"spec":{"containers":null,"nodeSelector":null,"nodeName":null}}"#
        let pod = try decodeBothWays(CoreV1.Pod.self, text).value
        #expect(pod.metadata.labels == nil)
        #expect(pod.spec.containers == [])
    }

    @Test func theLastOfDuplicateKeysWins() throws {
        let deployment = try decodeBothWays(AppsV1.Deployment.self, #"{"spec":{"replicas":1,"replicas":2}}"#).value
        #expect(deployment.spec.replicas == 2)
    }

    @Test(arguments: [
        (#"{"spec":{"replicas":"three"}}"#, "spec.replicas"),
        (#"{"spec":{"template":{"spec":{"containers":[{"name":"a"},{"name":5}]}}}}"#, "spec.template.spec.containers[1].name"),
        (#"{"metadata":{"labels":["a"]}}"#, "metadata.labels"),
        (#"{"spec":"nope"}"#, "spec"),
        (#"[]"#, ""),
    ])
    func typeMismatchesMatch(text: String, path: String) throws {
        var viaValue: JSONDecodeError?
        do { _ = try AppsV1.Deployment(json: JSONParser.parse(text)) } catch let error as JSONDecodeError { viaValue = error }
        var direct: JSONDecodeError?
        do { _ = try AppsV1.Deployment(jsonBytes: Array(text.utf8)) } catch let error as JSONDecodeError { direct = error }
        #expect(direct?.path == path)
        #expect(direct?.message == viaValue?.message)
    }

    @Test(arguments: [#"{"a":}"#, #"{"spec":{"containers":[{"name":"a"},]}}"#, #"{"a" 1}"#, #"{"spec":{"hostNetwork":tru}}"#, #"{"metadata":{"name":"x}}"#,
                      "{} {}", #"{"a":1,}"#, #"{,"a":1}"#, #"{"a":1 "b":2}"#, #"{"metadata":{"labels":{"a":"\q"}}}"#, ""])
    func malformedTextFails(text: String) {
        #expect(throws: JSONParseError.self) { try CoreV1.Pod(jsonBytes: Array(text.utf8)) }
    }

    @Test func skippingMovesPastWholeValuesAndKeepsTheirBytes() throws {
        let text = #" {"skip":{"a":[1,-2.5e3,"x\"y",true,false,null,{}],"b":"\u00e9"},"keep":"yes"} "#
        let (skipped, kept) = try JSONReader.read(Array(text.utf8)) { reader -> (String, String?) in
            try reader.enterObject()
            var skipped = "", kept: String?
            while let key = try reader.nextKey() {
                if key == "skip" {
                    skipped = String(decoding: try reader.skipValueBytes(), as: UTF8.self)
                } else {
                    kept = try reader.readValue().stringValue
                }
            }
            try reader.expectEnd()
            return (skipped, kept)
        }
        #expect(skipped == #"{"a":[1,-2.5e3,"x\"y",true,false,null,{}],"b":"\u00e9"}"#)
        #expect(kept == "yes")
    }

    @Test func deepNestingFailsInsteadOfExhaustingTheStack() {
        let deep = String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)
        let text = #"{"metadata":{"name":"x"},"extra":"# + deep + "}"
        #expect(throws: JSONParseError.self) { try CoreV1.Pod(jsonBytes: Array(text.utf8)) }
    }
}

@Suite("JSON subset")
struct JSONSubsetTests {
    static let pod = #"{"metadata":{"name":"p","labels":{"a":"1"},"managedFields":[{"x":1}]},"spec":{"nodeName":"n","containers":[{"name":"c"}]},"status":"odd"}"#

    @Test func onlyTheWantedPathsAreBuilt() throws {
        let subset = JSONSubset(paths: [["metadata", "name"], ["metadata", "labels"], ["spec", "nodeName"], ["status", "phase"]])
        let value = try JSONParser.parse(Array(Self.pod.utf8), keeping: subset)
        #expect(value == ["metadata": ["name": "p", "labels": ["a": "1"]], "spec": ["nodeName": "n"], "status": "odd"])
    }

    @Test func aShorterPathKeepsTheWholeValue() throws {
        let subset = JSONSubset(paths: [["metadata", "name"], ["metadata"]])
        let value = try JSONParser.parse(Array(Self.pod.utf8), keeping: subset)
        #expect(value["metadata"] == (try JSONParser.parse(Self.pod))["metadata"])
        #expect(value["spec"] == nil)
    }

    @Test func skippedPartsAreStillCheckedForSyntax() {
        let text = #"{"metadata":{"name":"p"},"spec":{"containers":[1,]}}"#
        #expect(throws: JSONParseError.self) { try JSONParser.parse(Array(text.utf8), keeping: JSONSubset(paths: [["metadata"]])) }
    }
}
