import KubeClient
import KubeModel

/// Any object reduced to its type and metadata (upstream's PartialObjectMetadata): what the
/// garbage collector and the namespace controller need of every resource, whatever its kind.
/// Managed fields are dropped so the caches stay small.
public struct PartialObject: KubeObject, Equatable {
    public static var groupVersionKind: GroupVersionKind {
        GroupVersionKind(group: "meta.k8s.io", version: "v1", kind: "PartialObjectMetadata")
    }

    public var apiVersion: String?
    public var kind: String?
    public var metadata: MetaV1.ObjectMeta

    public init() { metadata = MetaV1.ObjectMeta() }

    public init(json: JSONValue, context: JSONDecodingContext) throws {
        apiVersion = json["apiVersion"]?.stringValue
        kind = json["kind"]?.stringValue
        metadata = try MetaV1.ObjectMeta(json: json["metadata"] ?? [:], context: context)
        metadata.managedFields = nil
    }

    /// Reads only apiVersion, kind and metadata; the rest of the object is skipped unread.
    public init(reader: inout JSONReader, context: JSONDecodingContext) throws {
        self.init()
        try context.enterObject(&reader, typeName: "PartialObjectMetadata")
        while let key = try reader.nextKey() {
            switch key {
            case "apiVersion": apiVersion = try context.decode(&reader, at: key)
            case "kind": kind = try context.decode(&reader, at: key)
            case "metadata": metadata = try context.decode(&reader, at: key) ?? MetaV1.ObjectMeta()
            default: try reader.skipValue()
            }
        }
        metadata.managedFields = nil
    }

    public func toJSON() -> JSONValue {
        var object = JSONObject()
        object.encode("apiVersion", apiVersion)
        object.encode("kind", kind)
        object["metadata"] = metadata.toJSON()
        return .object(object)
    }
}

extension ListWatch where Object == PartialObject {
    /// Lists and watches any resource, keeping only metadata.
    public init(metadataOf client: DynamicResourceClient) {
        self.init(
            list: { options in
                let page = try await client.list(options)
                return ObjectList(items: try page.items.map { try PartialObject(json: $0) }, metadata: page.metadata)
            },
            watch: { options in try await client.watch(options) { try PartialObject(reader: &$0, context: JSONDecodingContext()) } })
    }
}
