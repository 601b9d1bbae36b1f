import Foundation
import Testing
@testable import KubeAPIServer
import KubeModel
import KubeStore

@Suite struct OpenAPIDumpScratch {
    @Test func dump() throws {
        let registry = BuiltinResources.registry(context: ServerContext(store: MemoryStore()), strategies: BuiltinStrategies.all)
        let clock = ContinuousClock()
        var t = clock.now
        func lap(_ label: String) { let n = clock.now; print("LAP \(label) \(n - t)"); t = n }
        _ = SchemaCatalog.definitions.count
        lap("catalog")
        let schemas = OpenAPISchemas()
        for name in schemas.definitions.keys { _ = schemas.component(name) }
        lap("convert all defs once")
        let builder = OpenAPIDocumentBuilder(registry: registry)
        var values: [JSONValue] = []
        for name in builder.documentNames { values.append(builder.document(named: name)!) }
        lap("build docs")
        var bytes: [[UInt8]] = []
        for v in values { bytes.append(JSONWriter.bytes(v)) }
        lap("write \(bytes.map(\.count).reduce(0, +))")
        for v in values { _ = OpenAPIDocuments.Document(v) }
        lap("write+hash")
        let documents = OpenAPIDocuments(registry: registry)
        _ = documents.index()
        lap("full index")
        try Data(documents.index().bytes).write(to: URL(fileURLWithPath: "/tmp/oapi/index.json"))
        for name in builder.documentNames {
            let doc = documents.document(named: name)!
            try Data(doc.bytes).write(to: URL(fileURLWithPath: "/tmp/oapi/" + name.replacingOccurrences(of: "/", with: "__") + ".json"))
        }
    }
}
