import KubeControllers
import KubeModel
import Testing

@Suite("Partial object")
struct PartialObjectTests {
    static let podText = #"""
    {"apiVersion":"v1","kind":"Pod","metadata":{"name":"web","namespace":"default","uid":"u1",
      "ownerReferences":[{"apiVersion":"apps/v1","kind":"ReplicaSet","name":"web-1","uid":"r1","controller":true}],
      "managedFields":[{"manager":"kubectl","operation":"Update"}]},
     "spec":{"containers":[{"name":"c","image":"busybox"}]},"status":{"phase":"Running"}}
    """#

    @Test func readingTheTextKeepsTypeAndMetadataOnly() throws {
        let partial = try PartialObject(jsonBytes: Array(Self.podText.utf8))
        #expect(partial.kind == "Pod")
        #expect(partial.apiVersion == "v1")
        #expect(partial.metadata.name == "web")
        #expect(partial.metadata.ownerReferences?.first?.uid == "r1")
        #expect(partial.metadata.managedFields == nil)
        #expect(partial == (try PartialObject(json: JSONParser.parse(Self.podText))))
    }

    @Test func malformedTextAfterTheMetadataStillFails() {
        let text = #"{"kind":"Pod","metadata":{"name":"web"},"spec":{"containers":[}}"#
        #expect(throws: (any Error).self) { try PartialObject(jsonBytes: Array(text.utf8)) }
    }
}
