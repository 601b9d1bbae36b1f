import Foundation
import KubeModel
import KubeModelGenerator
import Testing

/// The generated API types: in sync with the schema, and JSON exactly as upstream writes it.
@Suite("Generated model")
struct GeneratedModelTests {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let schema = repository.deletingLastPathComponent().appendingPathComponent("shared/k8s-api/swagger.json")

    @Test(.enabled(if: FileManager.default.fileExists(atPath: schema.path), "the reference schema is beside the repository"))
    func committedOutputMatchesAFreshGeneration() throws {
        let files = try ModelGenerator().generate(swagger: Data(contentsOf: Self.schema))
        let directory = Self.repository.appendingPathComponent("Sources/KubeModel/Generated")
        // The protobuf field table comes from upstream's .proto files, a separate input.
        let committed = Set(try FileManager.default.contentsOfDirectory(atPath: directory.path))
            .subtracting([ProtobufFieldTableGenerator.fileName])
        #expect(committed == Set(files.keys), "generated file set differs; run `swift run KubeModelGen`")
        for (name, contents) in files {
            let onDisk = try? String(contentsOf: directory.appendingPathComponent(name), encoding: .utf8)
            #expect(onDisk == contents, "\(name) differs from a fresh generation; run `swift run KubeModelGen`")
        }
    }

    @Test func podRoundTripsWithUpstreamJSONShapes() throws {
        let text = #"""
        {"apiVersion":"v1","kind":"Pod","metadata":{"name":"web","namespace":"default","creationTimestamp":"2024-05-01T10:00:00.123+02:00"},
         "spec":{"containers":[{"name":"nginx","image":"nginx","ports":[{"containerPort":80}],
           "resources":{"requests":{"cpu":"100m","memory":"1.5Gi"},"limits":{"cpu":1}},
           "livenessProbe":{"httpGet":{"path":"/","port":"http"}}}]}}
        """#
        let pod = try CoreV1.Pod(jsonBytes: Array(text.utf8))
        #expect(pod.metadata.name == "web")
        #expect(pod.spec.containers[0].resources?.requests?["memory"] == Quantity("1536Mi"))
        #expect(pod.spec.containers[0].livenessProbe?.httpGet?.port == .string("http"))
        let json = pod.toJSON()
        #expect(json[path: ["metadata", "creationTimestamp"]] == "2024-05-01T08:00:00Z")
        #expect(json[path: ["spec", "containers"]]?.arrayValue?.first?[path: ["resources", "limits", "cpu"]] == "1")
        // Absent optionals are omitted; status is an empty object as upstream writes it.
        #expect(json[path: ["spec", "volumes"]] == nil)
        #expect(json["status"] == [:])
        let keys = json.objectValue.map { Array($0.keys) }
        #expect(keys == ["apiVersion", "kind", "metadata", "spec", "status"])
    }

    @Test func unknownFieldsAreReportedWithTheirPaths() throws {
        let context = JSONDecodingContext()
        let json = try JSONParser.parse(#"{"metadata":{"name":"x","nmae":"y"},"spec":{"containers":[{"name":"c","imagee":"z"}]}}"#)
        _ = try CoreV1.Pod(json: json, context: context)
        #expect(context.unknownFields == ["metadata.nmae", "spec.containers[0].imagee"])
    }

    @Test func typeMismatchNamesTheField() throws {
        let json = try JSONParser.parse(#"{"spec":{"replicas":"three"}}"#)
        #expect(throws: JSONDecodeError.self) { try AppsV1.Deployment(json: json) }
        do {
            _ = try AppsV1.Deployment(json: json)
        } catch let error as JSONDecodeError {
            #expect(error.path == "spec.replicas")
        }
    }

    @Test func secretDataIsBase64() throws {
        let secret = try CoreV1.Secret(jsonBytes: Array(#"{"data":{"password":"aHVudGVyMg=="}}"#.utf8))
        #expect(secret.data?["password"] == Data("hunter2".utf8))
        #expect(secret.toJSON()[path: ["data", "password"]] == "aHVudGVyMg==")
        #expect(throws: JSONDecodeError.self) { try CoreV1.Secret(jsonBytes: Array(#"{"data":{"p":"%%%"}}"#.utf8)) }
    }

    @Test(arguments: ["2024-05-01T10:00:00Z", "2024-05-01T10:00:00.5Z", "2024-05-01T12:00:00+02:00", "2024-05-01T05:30:00-04:30"])
    func timesAcceptFractionsAndOffsets(text: String) throws {
        let time = try Time(json: .string(text))
        #expect(time.description.hasPrefix("2024-05-01T10:0"))
    }

    @Test func resourceCatalogKnowsScopesAndSubresources() {
        let pods = generatedResourceCatalog.first { $0.group.isEmpty && $0.plural == "pods" }
        #expect(pods?.namespaced == true)
        #expect(pods?.subresources.map(\.name).contains("binding") == true)
        let deployments = generatedResourceCatalog.first { $0.group == "apps" && $0.plural == "deployments" }
        #expect(deployments?.subresources.first { $0.name == "scale" }?.kind == "Scale")
        #expect(generatedResourceCatalog.first { $0.plural == "namespaces" }?.namespaced == false)
        #expect(generatedKindTypes[GroupVersionKind(group: "apps", version: "v1", kind: "Deployment")] is AppsV1.Deployment.Type)
    }
}

@Suite("JSON values")
struct JSONValueTests {
    @Test(arguments: [
        #"{"a":[1,2.5,"x",true,null,{"b":{}}],"c":"\u00e9\n\"q\""}"#,
        #"[]"#, #""plain""#, #"-12"#, #"{"emoji":"😀"}"#,
    ])
    func parseWriteRoundTrip(text: String) throws {
        let value = try JSONParser.parse(text)
        #expect(try JSONParser.parse(JSONWriter.bytes(value)) == value)
    }

    @Test(arguments: [#"{"a":}"#, #"[1,]"#, #"{"a" 1}"#, "tru", #""unterminated"#, "{} {}"])
    func malformedInputFails(text: String) {
        #expect(throws: JSONParseError.self) { try JSONParser.parse(text) }
    }

    @Test func duplicateKeysAreReported() throws {
        var parser = JSONParser()
        let value = try parser.parse(Array(#"{"spec":{"replicas":1,"replicas":2}}"#.utf8))
        #expect(value[path: ["spec", "replicas"]] == 2)
        #expect(parser.duplicateKeys == ["spec.replicas"])
    }

    @Test func surrogatePairsDecode() throws {
        #expect(try JSONParser.parse(#""\ud83d\ude00""#) == "😀")
    }
}
