import Foundation
import KubeModelGenerator

// Regenerates Sources/KubeModel/Generated from the Kubernetes OpenAPI schema.
// Usage: swift run KubeModelGen [path/to/swagger.json] [output directory]
let arguments = CommandLine.arguments
let schemaPath = arguments.count > 1 ? arguments[1] : "../shared/k8s-api/swagger.json"
let outputPath = arguments.count > 2 ? arguments[2] : "Sources/KubeModel/Generated"

do {
    let swagger = try Data(contentsOf: URL(fileURLWithPath: schemaPath))
    let files = try ModelGenerator().generate(swagger: swagger)
    let output = URL(fileURLWithPath: outputPath)
    try FileManager.default.createDirectory(at: output, withIntermediateDirectories: true)
    // Remove generated files that are no longer produced.
    for existing in try FileManager.default.contentsOfDirectory(atPath: outputPath) where files[existing] == nil {
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
