import Testing
import KubeModel
@testable import KubeAPIServer

/// Runs strategies the way the generic storage does: create = metadata, prepareForCreate,
/// applyDefaults, validate; update = prepareForUpdate, applyDefaults, validateUpdate.
enum StrategyHarness {
    static let uid = "3f2a8c1e-0000-4000-8000-000000000001"

    static func create<S: ResourceStrategy>(_ strategy: S, _ object: S.Object, namespace: String? = "default")
        -> (object: S.Object, errors: [FieldError])
    {
        var object = object
        if object.metadata.name == nil { object.metadata.name = "test" }
        object.metadata.namespace = namespace
        object.metadata.uid = uid
        strategy.prepareForCreate(&object)
        strategy.applyDefaults(&object)
        return (object, strategy.validate(object))
    }

    /// Creates `old` (which must be valid), then updates it to `change(old)`.
    static func update<S: ResourceStrategy>(_ strategy: S, _ old: S.Object, namespace: String? = "default",
                                            _ change: (inout S.Object) -> Void) -> (object: S.Object, errors: [FieldError])
    {
        let (created, createErrors) = create(strategy, old, namespace: namespace)
        #expect(createErrors.isEmpty, "the object to update is invalid: \(createErrors)")
        var object = created
        change(&object)
        strategy.prepareForUpdate(&object, old: created)
        strategy.applyDefaults(&object)
        return (object, strategy.validateUpdate(object, old: created))
    }

    static func decode<Object: KubeObject>(_ json: String, as type: Object.Type = Object.self) -> Object {
        do {
            return try Object(json: JSONParser.parse(json))
        } catch {
            Issue.record("cannot decode \(json): \(error)")
            return Object()
        }
    }

    /// Key order ignored, so expectations can be written as literal JSON.
    static func sorted(_ value: JSONValue) -> JSONValue {
        switch value {
        case .object(let members):
            var result = JSONObject()
            for key in members.keys.sorted() { result[key] = sorted(members[key]!) }
            return .object(result)
        case .array(let items):
            return .array(items.map(sorted))
        default:
            return value
        }
    }

    static func json(_ text: String) -> JSONValue {
        (try? JSONParser.parse(text)).map(sorted) ?? .null
    }
}

/// One failing case of a validation rule: how a valid object is broken, and the error that
/// must come back.
struct InvalidCase<Object: Sendable>: Sendable, CustomTestStringConvertible {
    let name: String
    let field: String
    let type: FieldError.ErrorType
    let detail: String?
    let change: @Sendable (inout Object) -> Void

    init(_ name: String, _ field: String, _ type: FieldError.ErrorType, detail: String? = nil,
         _ change: @escaping @Sendable (inout Object) -> Void) {
        self.name = name
        self.field = field
        self.type = type
        self.detail = detail
        self.change = change
    }

    var testDescription: String { name }
}

/// Expects an error of `type` at `field` (and with `detail` as its detail's start, if given).
func expectError(_ errors: [FieldError], field: String, type: FieldError.ErrorType, detail: String? = nil,
                 sourceLocation: SourceLocation = #_sourceLocation) {
    let found = errors.contains { error in
        error.field == field && error.type == type && (detail.map { error.detail.hasPrefix($0) } ?? true)
    }
    #expect(found, "no \(type) error at \(field)\(detail.map { " (\($0))" } ?? ""); got: \(errors.map(\.description))",
            sourceLocation: sourceLocation)
}

/// Valid objects of each kind, as a user would write them.
enum Fixtures {
    static func pod() -> CoreV1.Pod {
        StrategyHarness.decode(#"{"metadata":{"name":"web"},"spec":{"containers":[{"name":"web","image":"nginx"}]}}"#)
    }

    static func podTemplate(labels: String = #"{"app":"web"}"#, restartPolicy: String? = nil) -> String {
        let policy = restartPolicy.map { #","restartPolicy":"\#($0)""# } ?? ""
        return #"{"metadata":{"labels":\#(labels)},"spec":{"containers":[{"name":"web","image":"nginx:1.25"}]\#(policy)}}"#
    }

    static func deployment() -> AppsV1.Deployment {
        StrategyHarness.decode(#"{"metadata":{"name":"web"},"spec":{"selector":{"matchLabels":{"app":"web"}},"template":\#(podTemplate())}}"#)
    }

    static func replicaSet() -> AppsV1.ReplicaSet {
        StrategyHarness.decode(#"{"metadata":{"name":"web"},"spec":{"selector":{"matchLabels":{"app":"web"}},"template":\#(podTemplate())}}"#)
    }

    static func replicationController() -> CoreV1.ReplicationController {
        StrategyHarness.decode(#"{"metadata":{"name":"web"},"spec":{"template":\#(podTemplate())}}"#)
    }

    static func statefulSet() -> AppsV1.StatefulSet {
        StrategyHarness.decode(#"""
            {"metadata":{"name":"db"},"spec":{"serviceName":"db","selector":{"matchLabels":{"app":"db"}},
             "template":{"metadata":{"labels":{"app":"db"}},"spec":{"containers":[{"name":"db","image":"postgres:16",
               "volumeMounts":[{"name":"data","mountPath":"/var/lib/postgresql"}]}]}},
             "volumeClaimTemplates":[{"metadata":{"name":"data"},"spec":{"accessModes":["ReadWriteOnce"],
               "resources":{"requests":{"storage":"1Gi"}}}}]}}
            """#)
    }

    static func daemonSet() -> AppsV1.DaemonSet {
        StrategyHarness.decode(#"{"metadata":{"name":"agent"},"spec":{"selector":{"matchLabels":{"app":"web"}},"template":\#(podTemplate())}}"#)
    }

    static func job() -> BatchV1.Job {
        StrategyHarness.decode(#"{"metadata":{"name":"pi"},"spec":{"template":\#(podTemplate(labels: "null", restartPolicy: "Never"))}}"#)
    }

    static func cronJob() -> BatchV1.CronJob {
        StrategyHarness.decode(#"""
            {"metadata":{"name":"nightly"},"spec":{"schedule":"0 3 * * *",
             "jobTemplate":{"spec":{"template":\#(podTemplate(labels: "null", restartPolicy: "OnFailure"))}}}}
            """#)
    }

    static func service() -> CoreV1.Service {
        StrategyHarness.decode(#"{"metadata":{"name":"web"},"spec":{"selector":{"app":"web"},"ports":[{"port":80}]}}"#)
    }
}
