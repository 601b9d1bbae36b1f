import Foundation
import KubeModelGenerator

// Regenerates Sources/KubeModel/Generated from the Kubernetes OpenAPI schema.
// Usage: swift run KubeModelGen [path/to/swagger.json] [output directory] [proto folder]
// The optional proto folder holds upstream k8s.io/<path>/generated.proto and zz_generated.deepcopy.go
// files (not kept in the repository); with it, ProtobufFields.swift is regenerated too (also reading the
// OpenAPI v3 documents in the v3 folder next to swagger.json), without it the committed
// ProtobufFields.swift is left as it is.
let arguments = CommandLine.arguments
let schemaPath = arguments.count > 1 ? arguments[1] : "../shared/k8s-api/swagger.json"
let outputPath = arguments.count > 2 ? arguments[2] : "Sources/KubeModel/Generated"
let protoPath = arguments.count > 3 ? arguments[3] : nil

/// Every .proto and zz_generated.deepcopy.go file under `folder`, keyed by its relative path.
func protoSources(in folder: String) throws -> [String: String] {
    let root = URL(fileURLWithPath: folder).standardizedFileURL
    var sources: [String: String] = [:]
    guard let enumerator = FileManager.default.enumerator(at: root, includingPropertiesForKeys: nil) else { return [:] }
    for case let url as URL in enumerator where url.pathExtension == "proto" || url.lastPathComponent == "zz_generated.deepcopy.go" {
        let relative = String(url.standardizedFileURL.path.dropFirst(root.path.count + 1))
        sources[relative] = try String(contentsOf: url, encoding: .utf8)
    }
    return sources
}

do {
    let swagger = try Data(contentsOf: URL(fileURLWithPath: schemaPath))
    var files = try ModelGenerator().generate(swagger: swagger)
    let protobufFile = ProtobufFieldTableGenerator.fileName
    if let protoPath {
        // The OpenAPI v3 documents next to swagger.json (v3/*.json) tell which fields lack omitempty.
        let v3Folder = URL(fileURLWithPath: schemaPath).deletingLastPathComponent().appendingPathComponent("v3")
        let v3Files = (try? FileManager.default.contentsOfDirectory(at: v3Folder, includingPropertiesForKeys: nil)) ?? []
        let v3Documents = try v3Files.filter { $0.pathExtension == "json" }.sorted { $0.path < $1.path }.map { try Data(contentsOf: $0) }
        let (text, notes) = try ProtobufFieldTableGenerator().generate(
            swagger: swagger, openAPIV3: v3Documents, sources: try protoSources(in: protoPath))
        files[protobufFile] = text
        for note in notes { print("protobuf: \(note)") }
    }
    let output = URL(fileURLWithPath: outputPath)
    try FileManager.default.createDirectory(at: output, withIntermediateDirectories: true)
    // Remove generated files that are no longer produced (the protobuf table only when it was regenerated).
    for existing in try FileManager.default.contentsOfDirectory(atPath: outputPath)
    where files[existing] == nil && (existing != protobufFile || protoPath != nil) {
        try FileManager.default.removeItem(at: output.appendingPathComponent(existing))
    }
    for (name, contents) in files.sorted(by: { $0.key < $1.key }) {
        try contents.write(to: output.appendingPathComponent(name), atomically: true, encoding: .utf8)
    }
    print("wrote \(files.count) files to \(outputPath)")
} catch {
    FileHandle.standardError.write("KubeModelGen: \(error)\n".data(using: .utf8)!)
    exit(1)
}
