import ArgumentParser
import Dispatch
import Foundation
import HollowNode
import KubeClient
import KubeModel
import Logging

/// `skiff hollow-nodes`: simulated nodes for testing and benchmarking the control plane.
struct HollowNodesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "hollow-nodes",
        abstract: "Run simulated (hollow) nodes: kubelets that register, heartbeat and run pods without containers.",
        discussion: """
            Registers --count Nodes named <name-prefix><index>, renews their Leases in kube-node-lease \
            every 10 s and reports node status every minute. Pods bound to them become Running and Ready \
            with an address from the node's podCIDR (set by the node IPAM controller; with \
            --pod-cidr-fallback a node still without one picks a free subnet of --cluster-cidr itself). \
            Pods whose command is a plain completion (true, false, sleep N, sh -c "exit N") finish \
            Succeeded or Failed as their restartPolicy says; deleted pods are stopped and removed.

            SIGINT or SIGTERM stops every node's heartbeats and exits. To stop single nodes, pass \
            --stop-file FILE, write node names to FILE (one per line, '#' starts a comment) and send \
            SIGUSR1: the nodes listed stop heartbeating and handling pods (as if their kubelets died); \
            stopped nodes no longer listed at the next SIGUSR1 resume.
            """)

    @Option(help: "Kubeconfig of the cluster (default: KUBECONFIG, then ~/.kube/config).")
    var kubeconfig: String?

    @Option(help: "Number of nodes.")
    var count = 1

    @Option(help: "Node names are this prefix followed by the node's index.")
    var namePrefix = "hollow-node-"

    @Option(help: "Index of the first node (to add nodes next to an earlier set).")
    var firstIndex = 0

    @Option(help: "CPU capacity of each node.")
    var cpu = "4"

    @Option(help: "Memory capacity of each node.")
    var memory = "32Gi"

    @Option(help: "Pod capacity of each node.")
    var pods = 110

    @Option(help: "Ephemeral storage capacity of each node.")
    var ephemeralStorage = "100Gi"

    @Option(name: .customLong("node-label"), help: "Extra node label key=value (repeatable).")
    var nodeLabels: [String] = []

    @Option(name: .customLong("register-with-taints"),
            help: "Taint the nodes register with, key[=value]:Effect (repeatable), as the kubelet's flag.")
    var registerWithTaints: [String] = []

    @Flag(help: "Nodes without a podCIDR after --pod-cidr-fallback-delay pick a free subnet of --cluster-cidr themselves.")
    var podCIDRFallback = false

    @Option(help: "Seconds a node waits for a podCIDR from IPAM before --pod-cidr-fallback assigns one.")
    var podCIDRFallbackDelay = 3.0

    @Option(help: "Range --pod-cidr-fallback takes node subnets from.")
    var clusterCIDR = "10.42.0.0/16"

    @Option(help: "Prefix length of the subnet --pod-cidr-fallback gives each node.")
    var nodeCIDRMaskSize = 24

    @Option(help: "Duration of the node Leases; they are renewed every quarter of it.")
    var nodeLeaseDurationSeconds = 40

    @Option(help: "Seconds between node status reports when nothing changed.")
    var nodeStatusReportFrequency = 60.0

    @Option(help: "File of node names to stop when SIGUSR1 arrives (one per line).")
    var stopFile: String?

    @Option(help: "Concurrent pod status writers.")
    var workers = 32

    @Option(help: "Log level: trace, debug, info, notice, warning, error, critical.")
    var logLevel = "info"

    func validate() throws {
        guard count >= 0 else { throw ValidationError("--count must not be negative") }
        guard pods > 0 else { throw ValidationError("--pods must be positive") }
        guard nodeLeaseDurationSeconds > 0 else { throw ValidationError("--node-lease-duration-seconds must be positive") }
        guard nodeStatusReportFrequency > 0 else { throw ValidationError("--node-status-report-frequency must be positive") }
        guard workers > 0 else { throw ValidationError("--workers must be positive") }
        for (flag, text) in [("--cpu", cpu), ("--memory", memory), ("--ephemeral-storage", ephemeralStorage)] {
            guard (try? Quantity(text)) != nil else { throw ValidationError("\(flag): invalid quantity \(text)") }
        }
        guard IPv4Network(clusterCIDR) != nil else { throw ValidationError("--cluster-cidr: not an IPv4 CIDR: \(clusterCIDR)") }
        for label in nodeLabels where !label.contains("=") {
            throw ValidationError("--node-label: expected key=value, got \(label)")
        }
        for taint in registerWithTaints where Self.taint(parsing: taint) == nil {
            throw ValidationError("--register-with-taints: expected key[=value]:NoSchedule|PreferNoSchedule|NoExecute, got \(taint)")
        }
    }

    /// `key[=value]:Effect`, the kubelet's --register-with-taints form.
    static func taint(parsing text: String) -> CoreV1.Taint? {
        let parts = text.split(separator: ":", maxSplits: 1).map(String.init)
        guard parts.count == 2, ["NoSchedule", "PreferNoSchedule", "NoExecute"].contains(parts[1]) else { return nil }
        let keyValue = parts[0].split(separator: "=", maxSplits: 1).map(String.init)
        guard let key = keyValue.first, !key.isEmpty else { return nil }
        return CoreV1.Taint(effect: parts[1], key: key, value: keyValue.count > 1 ? keyValue[1] : nil)
    }

    func run() async throws {
        var logger = Logger(label: "skiff.hollow-nodes")
        logger.logLevel = Logger.Level(rawValue: logLevel) ?? .info

        var nodes = HollowNodeConfiguration(count: count, namePrefix: namePrefix, firstIndex: firstIndex)
        nodes.cpu = try Quantity(cpu)
        nodes.memory = try Quantity(memory)
        nodes.ephemeralStorage = try Quantity(ephemeralStorage)
        nodes.pods = pods
        for label in nodeLabels {
            let parts = label.split(separator: "=", maxSplits: 1).map(String.init)
            nodes.labels[parts[0]] = parts.count > 1 ? parts[1] : ""
        }
        nodes.taints = registerWithTaints.compactMap(Self.taint(parsing:))
        if podCIDRFallback { nodes.podCIDRFallbackDelay = .milliseconds(Int64(podCIDRFallbackDelay * 1000)) }
        nodes.clusterCIDR = IPv4Network(clusterCIDR)!
        nodes.nodeCIDRMaskSize = nodeCIDRMaskSize
        nodes.podWorkers = workers
        nodes.leaseDuration = .seconds(nodeLeaseDurationSeconds)
        nodes.leaseRenewInterval = .milliseconds(Int64(nodeLeaseDurationSeconds) * 250)
        nodes.statusReportInterval = .milliseconds(Int64(nodeStatusReportFrequency * 1000))

        var clientConfiguration = try ClientConfiguration.load(kubeconfigPath: kubeconfig)
        clientConfiguration.userAgent = "skiff-hollow-node"
        clientConfiguration.maximumIdleConnections = nodes.podWorkers + nodes.heartbeatWorkers + 4
        let client = try APIClient(configuration: clientConfiguration)
        let pool = HollowNodePool(client: client, configuration: nodes, logger: logger)
        let stopFile = self.stopFile
        logger.info("starting hollow nodes", metadata: [
            "count": "\(count)", "prefix": "\(namePrefix)", "server": "\(clientConfiguration.server)",
        ])

        let stopRequests = SignalStream.of(SIGUSR1)
        let log = logger
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await pool.run() }
            tasks.addTask {
                for await _ in stopRequests {
                    guard let stopFile else {
                        log.warning("SIGUSR1 without --stop-file: nothing to stop")
                        continue
                    }
                    do {
                        let names = try Self.readNodeNames(stopFile)
                        pool.setStoppedNodes(names)
                        log.info("stop file applied", metadata: ["stopped": "\(names.sorted())"])
                    } catch {
                        log.error("cannot read stop file", metadata: ["path": "\(stopFile)", "error": "\(error)"])
                    }
                }
            }
            tasks.addTask { await SignalWaiter.waitForTermination() }
            _ = try await tasks.next()
            tasks.cancelAll()
        }
        logger.info("hollow nodes stopped")
    }

    /// Node names, one per line; blank lines and `#` comments are ignored.
    static func readNodeNames(_ path: String) throws -> Set<String> {
        let text = try String(contentsOfFile: path, encoding: .utf8)
        var names: Set<String> = []
        for line in text.split(whereSeparator: \.isNewline) {
            let content = line.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
            let name = content.trimmingCharacters(in: .whitespaces)
            if !name.isEmpty { names.insert(name) }
        }
        return names
    }
}

/// Deliveries of one signal as an async sequence (the signal's default action is disabled).
enum SignalStream {
    static func of(_ signalNumber: Int32) -> AsyncStream<Void> {
        signal(signalNumber, SIG_IGN)
        let (stream, continuation) = AsyncStream.makeStream(of: Void.self)
        let source = DispatchSource.makeSignalSource(signal: signalNumber, queue: .global())
        source.setEventHandler { continuation.yield() }
        source.resume()
        let owner = SignalSourceOwner(source)
        continuation.onTermination = { _ in owner.cancel() }
        return stream
    }
}

/// Keeps a dispatch source alive for as long as its stream; dispatch sources are thread-safe.
private final class SignalSourceOwner: @unchecked Sendable {
    private let source: any DispatchSourceSignal
    init(_ source: any DispatchSourceSignal) { self.source = source }
    func cancel() { source.cancel() }
}
