import KubeModel

/// Column descriptions, taken from the OpenAPI description of the field the column shows as
/// upstream does with `SwaggerDoc()`. Upstream sometimes names an older group version
/// (extensions/v1beta1, apps/v1beta1); the served version's text is used instead.
enum FieldDoc {
    /// The description of `field` in the definition `io.k8s.api.<definition>`, e.g.
    /// `FieldDoc.api("core.v1.PodStatus", "podIP")`.
    static func api(_ definition: String, _ field: String) -> String {
        describe("io.k8s.api." + definition, field)
    }

    /// The description of an ObjectMeta field.
    static func objectMeta(_ field: String) -> String {
        describe("io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta", field)
    }

    private static func describe(_ definition: String, _ field: String) -> String {
        SchemaCatalog.definitions[definition]?["p"]?[field]?["d"]?.stringValue ?? ""
    }
}

/// The columns most printers share.
extension TableColumn {
    static let objectName = TableColumn("Name", format: "name", description: FieldDoc.objectMeta("name"))
    static let age = TableColumn("Age", description: FieldDoc.objectMeta("creationTimestamp"))

    /// The names and images of a pod template's containers; wide-only except for pod templates.
    static func containerNames(priority: Int = 1) -> TableColumn {
        TableColumn("Containers", description: "Names of each container in the template.", priority: priority)
    }
    static func containerImages(priority: Int = 1) -> TableColumn {
        TableColumn("Images", description: "Images referenced by each container in the template.", priority: priority)
    }

    /// The wide-only selector column, described by the selector field of `definition`.
    static func selector(_ definition: String, field: String = "selector") -> TableColumn {
        TableColumn("Selector", description: FieldDoc.api(definition, field), priority: 1)
    }
}
