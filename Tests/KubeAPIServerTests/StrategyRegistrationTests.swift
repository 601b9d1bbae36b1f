import Testing
import KubeModel
@testable import KubeAPIServer

/// The registration table: selectable fields (all keys, even of an empty object), name rules
/// and generation tracking per kind.
@Suite struct StrategyRegistrationTests {
    struct KindCase: Sendable, CustomTestStringConvertible {
        let kind: GroupVersionKind
        let fields: Set<String>
        let names: NameValidation
        let generation: Bool
        var testDescription: String { kind.kind }
    }

    static let kinds: [KindCase] = [
        KindCase(kind: CoreV1.Pod.groupVersionKind, fields: ["spec.nodeName", "spec.restartPolicy", "spec.schedulerName", "spec.serviceAccountName",
                                                             "spec.hostNetwork", "status.phase", "status.podIP", "status.nominatedNodeName"],
                 names: .dns1123Subdomain, generation: true),
        KindCase(kind: CoreV1.Namespace.groupVersionKind, fields: ["status.phase", "name"], names: .dns1123Label, generation: false),
        KindCase(kind: CoreV1.Service.groupVersionKind, fields: [], names: .dns1035Label, generation: false),
        KindCase(kind: CoreV1.Secret.groupVersionKind, fields: ["type"], names: .dns1123Subdomain, generation: false),
        KindCase(kind: CoreV1.Node.groupVersionKind, fields: ["spec.unschedulable"], names: .dns1123Subdomain, generation: false),
        KindCase(kind: CoreV1.Event.groupVersionKind, fields: [
            "involvedObject.kind", "involvedObject.namespace", "involvedObject.name", "involvedObject.uid", "involvedObject.apiVersion",
            "involvedObject.resourceVersion", "involvedObject.fieldPath", "reason", "reportingComponent", "source", "type",
        ], names: .dns1123Subdomain, generation: false),
        KindCase(kind: CoreV1.ReplicationController.groupVersionKind, fields: ["status.replicas"], names: .dns1123Subdomain, generation: true),
        KindCase(kind: AppsV1.ReplicaSet.groupVersionKind, fields: ["status.replicas"], names: .dns1123Subdomain, generation: true),
        KindCase(kind: AppsV1.Deployment.groupVersionKind, fields: [], names: .dns1123Subdomain, generation: true),
        KindCase(kind: AppsV1.StatefulSet.groupVersionKind, fields: [], names: .dns1123Label, generation: true),
        KindCase(kind: AppsV1.DaemonSet.groupVersionKind, fields: [], names: .dns1123Subdomain, generation: true),
        KindCase(kind: BatchV1.Job.groupVersionKind, fields: ["status.successful"], names: .dns1123Subdomain, generation: true),
        KindCase(kind: BatchV1.CronJob.groupVersionKind, fields: [], names: .dns1123Subdomain, generation: true),
        KindCase(kind: RbacV1.Role.groupVersionKind, fields: [], names: .pathSegment, generation: false),
        KindCase(kind: RbacV1.ClusterRole.groupVersionKind, fields: [], names: .pathSegment, generation: false),
        KindCase(kind: RbacV1.RoleBinding.groupVersionKind, fields: [], names: .pathSegment, generation: false),
        KindCase(kind: RbacV1.ClusterRoleBinding.groupVersionKind, fields: [], names: .pathSegment, generation: false),
    ]

    @Test(arguments: kinds)
    func registration(_ testCase: KindCase) throws {
        let strategy = try #require(BuiltinStrategies.all[testCase.kind])
        #expect(Set(Self.emptyObjectFields(strategy).keys) == testCase.fields)
        #expect(strategy.nameValidation == testCase.names)
        #expect(strategy.tracksGeneration == testCase.generation)
    }

    static func emptyObjectFields<S: ResourceStrategy>(_ strategy: S) -> [String: String] {
        strategy.selectableFields(S.Object())
    }

    @Test func everyStrategyServesItsOwnKind() {
        for (kind, strategy) in BuiltinStrategies.all {
            #expect(Self.objectKind(strategy) == kind)
        }
    }

    static func objectKind<S: ResourceStrategy>(_ strategy: S) -> GroupVersionKind { S.Object.groupVersionKind }

    @Test func eventSourceFallsBackToReportingComponent() {
        var event = CoreV1.Event()
        event.reportingComponent = "kubelet"
        #expect(EventStrategy().selectableFields(event)["source"] == "kubelet")
        event.source = CoreV1.EventSource(component: "scheduler")
        #expect(EventStrategy().selectableFields(event)["source"] == "scheduler")
    }
}
