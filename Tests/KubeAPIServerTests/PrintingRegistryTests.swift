import Foundation
import KubeModel
import Testing
@testable import KubeAPIServer

@Suite struct PrintingRegistryTests {
    static let printed: [(group: String, plural: String)] = [
        ("", "pods"), ("", "podtemplates"), ("", "replicationcontrollers"), ("", "services"), ("", "endpoints"),
        ("", "nodes"), ("", "events"), ("", "namespaces"), ("", "configmaps"), ("", "secrets"), ("", "serviceaccounts"),
        ("", "persistentvolumes"), ("", "persistentvolumeclaims"), ("", "resourcequotas"),
        ("apps", "deployments"), ("apps", "replicasets"), ("apps", "statefulsets"), ("apps", "daemonsets"),
        ("apps", "controllerrevisions"), ("batch", "jobs"), ("batch", "cronjobs"),
        ("networking.k8s.io", "ingresses"), ("networking.k8s.io", "ingressclasses"),
        ("networking.k8s.io", "networkpolicies"), ("networking.k8s.io", "servicecidrs"),
        ("networking.k8s.io", "ipaddresses"), ("discovery.k8s.io", "endpointslices"),
        ("storage.k8s.io", "storageclasses"), ("storage.k8s.io", "volumeattributesclasses"),
        ("storage.k8s.io", "volumeattachments"), ("storage.k8s.io", "csidrivers"), ("storage.k8s.io", "csinodes"),
        ("storage.k8s.io", "csistoragecapacities"), ("coordination.k8s.io", "leases"),
        ("scheduling.k8s.io", "priorityclasses"), ("policy", "poddisruptionbudgets"),
        ("autoscaling", "horizontalpodautoscalers"), ("rbac.authorization.k8s.io", "rolebindings"),
        ("rbac.authorization.k8s.io", "clusterrolebindings"),
    ]

    static var keys: [String] { printed.map { "\($0.group)/\($0.plural)" } }

    static func printer(_ key: String) -> any TablePrinter {
        let parts = key.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        return BuiltinPrinters.all.printer(group: parts[0], plural: parts[1])
    }

    @Test(arguments: keys)
    func registeredWithDescribedColumns(_ key: String) {
        let printer = Self.printer(key)
        #expect(!(printer is DefaultTablePrinter))
        #expect(printer.columns.filter { $0.format == "name" }.first?.name == "Name")
        for column in printer.columns {
            #expect(!column.description.isEmpty, "\(column.name) has a description")
            #expect(["string", "integer", "boolean"].contains(column.type))
            #expect([0, 1].contains(column.priority))
        }
    }

    /// A bare object (only metadata) still gets one cell per column, with its name and age.
    @Test(arguments: keys)
    func bareObjectFillsEveryColumn(_ key: String) {
        let printer = Self.printer(key)
        let cells = printer.cells(for: ["metadata": printedMetadata("bare")], now: printingNow)
        #expect(cells.count == printer.columns.count)
        let nameIndex = printer.columns.firstIndex { $0.format == "name" && $0.name == "Name" }!
        #expect(cells[nameIndex] == "bare")
        if let ageIndex = printer.columns.firstIndex(where: { $0.name == "Age" }) {
            #expect(cells[ageIndex] == "10m")
        }
    }

    /// An object that does not decode prints its name and empty cells instead of failing.
    @Test(arguments: keys)
    func undecodableObjectPrintsPlaceholders(_ key: String) {
        let printer = Self.printer(key)
        let cells = printer.cells(for: ["metadata": ["name": "odd", "labels": 7]], now: printingNow)
        #expect(cells.count == printer.columns.count)
        #expect(cells.contains("odd"))
    }

    static let defaultPrinted: [(group: String, plural: String)] = [
        ("rbac.authorization.k8s.io", "roles"), ("rbac.authorization.k8s.io", "clusterroles"), ("", "limitranges"),
        ("apiextensions.k8s.io", "customresourcedefinitions"),
    ]

    @Test(arguments: defaultPrinted)
    func upstreamDefaultColumnsStayDefault(group: String, plural: String) {
        #expect(BuiltinPrinters.all.printer(group: group, plural: plural) is DefaultTablePrinter)
    }
}
