/// Which schema definitions become Swift types, and the Swift namespace each one lives in.
struct GroupVersionNaming {
    /// Definition-name prefixes of the group versions Skiff serves, with their Swift namespace
    /// and their API group/version.
    static let servedPrefixes: [(prefix: String, namespace: String, group: String, version: String)] = [
        ("io.k8s.api.core.v1", "CoreV1", "", "v1"),
        ("io.k8s.api.apps.v1", "AppsV1", "apps", "v1"),
        ("io.k8s.api.batch.v1", "BatchV1", "batch", "v1"),
        ("io.k8s.api.networking.v1", "NetworkingV1", "networking.k8s.io", "v1"),
        ("io.k8s.api.coordination.v1", "CoordinationV1", "coordination.k8s.io", "v1"),
        ("io.k8s.api.discovery.v1", "DiscoveryV1", "discovery.k8s.io", "v1"),
        ("io.k8s.api.autoscaling.v1", "AutoscalingV1", "autoscaling", "v1"),
        ("io.k8s.api.autoscaling.v2", "AutoscalingV2", "autoscaling", "v2"),
        ("io.k8s.api.policy.v1", "PolicyV1", "policy", "v1"),
        ("io.k8s.api.rbac.v1", "RbacV1", "rbac.authorization.k8s.io", "v1"),
        ("io.k8s.api.storage.v1", "StorageV1", "storage.k8s.io", "v1"),
        ("io.k8s.api.scheduling.v1", "SchedulingV1", "scheduling.k8s.io", "v1"),
        ("io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1", "ApiextensionsV1", "apiextensions.k8s.io", "v1"),
        ("io.k8s.apimachinery.pkg.apis.meta.v1", "MetaV1", "meta.k8s.io", "v1"),
        ("io.k8s.apimachinery.pkg.version", "KubeVersion", "", ""),
        ("io.k8s.apimachinery.pkg.api.resource", "", "", ""),
        ("io.k8s.apimachinery.pkg.util.intstr", "", "", ""),
        ("io.k8s.apimachinery.pkg.runtime", "", "", ""),
    ]

    /// Definitions that are hand-written types in KubeModel/Meta or held as raw JSON.
    static let handWritten: [String: String] = [
        "io.k8s.apimachinery.pkg.api.resource.Quantity": "Quantity",
        "io.k8s.apimachinery.pkg.util.intstr.IntOrString": "IntOrString",
        "io.k8s.apimachinery.pkg.apis.meta.v1.Time": "Time",
        "io.k8s.apimachinery.pkg.apis.meta.v1.MicroTime": "MicroTime",
        "io.k8s.apimachinery.pkg.apis.meta.v1.FieldsV1": "JSONValue",
        "io.k8s.apimachinery.pkg.apis.meta.v1.Patch": "JSONValue",
        "io.k8s.apimachinery.pkg.runtime.RawExtension": "JSONValue",
        // CRD schemas are recursive and open-ended; they stay JSON so they round-trip exactly.
        "io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.JSONSchemaProps": "JSONValue",
        "io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.JSONSchemaPropsOrArray": "JSONValue",
        "io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.JSONSchemaPropsOrBool": "JSONValue",
        "io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.JSONSchemaPropsOrStringArray": "JSONValue",
        "io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.JSON": "JSONValue",
    ]

    static func prefix(of definition: String) -> (prefix: String, namespace: String, group: String, version: String)? {
        servedPrefixes.first { definition.hasPrefix($0.prefix + ".") && !definition.dropFirst($0.prefix.count + 1).contains(".") }
    }

    static func isServed(_ definition: String) -> Bool { prefix(of: definition) != nil }

    /// `io.k8s.api.core.v1.Pod` → `CoreV1.Pod`; hand-written types keep their own names.
    static func swiftTypeName(of definition: String) -> String? {
        if let name = handWritten[definition] { return name }
        guard let entry = prefix(of: definition), !entry.namespace.isEmpty else { return nil }
        return entry.namespace + "." + String(definition.split(separator: ".").last!)
    }
}
