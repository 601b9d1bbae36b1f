import Foundation
import Testing
@testable import KubeAPIServer
import KubeModel
import KubeStore

@Suite struct OpenAPIDumpScratch {
    @Test func dump() throws {
        let registry = BuiltinResources.registry(context: ServerContext(store: MemoryStore()), strategies: BuiltinStrategies.all)
        let documents = OpenAPIDocuments(registry: registry)
        let start = ContinuousClock.now
        let index = documents.index()
        let elapsed = ContinuousClock.now - start
        try Data(index.bytes).write(to: URL(fileURLWithPath: "/tmp/oapi/index.json"))
        for name in OpenAPIDocumentBuilder(registry: registry).documentNames {
            let doc = documents.document(named: name)!
            try Data(doc.bytes).write(to: URL(fileURLWithPath: "/tmp/oapi/" + name.replacingOccurrences(of: "/", with: "__") + ".json"))
        }
        print("BUILD-ALL \(elapsed)")
    }
}
