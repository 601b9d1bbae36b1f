import ArgumentParser
import Foundation
import KubeAPIServer
import KubeClient
import KubeControllers
import KubeStore
import Logging
import NIOCore
import NIOPosix

/// `skiff server`: the control plane on its embedded SQLite store. Writes an admin kubeconfig
/// to `<data-dir>/kubeconfig.yaml` once it serves.
struct ServerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "server", abstract: "Run the Skiff control plane.")

    @Option(help: "Directory for the store, certificates and the admin kubeconfig.")
    var dataDir = "/var/lib/skiff"

    @Option(help: "Port of the HTTPS API.")
    var httpsPort = 6443

    @Option(help: "Address the API listens on.")
    var bindAddress = "0.0.0.0"

    @Option(help: "Static token file (token,user,uid,\"group1,group2\" per line) for bearer-token authentication.")
    var tokenAuthFile: String?

    @Option(help: "Extra host name or IP address for the serving certificate (repeatable).")
    var tlsSan: [String] = []

    @Flag(help: "Do not run a node agent inside the server process (the agent arrives with the kubelet).")
    var disableAgent = false

    @Option(help: "Seconds of store history kept for watches before compaction (at least 300 in production; tests use less).")
    var compactionRetention = 300.0

    @Option(help: "Seconds pods tolerate a node that is not ready (the toleration added to pods without one).")
    var defaultNotReadyTolerationSeconds = 300

    @Option(help: "Seconds pods tolerate an unreachable node (the toleration added to pods without one).")
    var defaultUnreachableTolerationSeconds = 300

    @Option(help: "Log level: trace, debug, info, notice, warning, error, critical.")
    var logLevel = "info"

    @Flag(help: "Do not run the controller manager inside the server process.")
    var disableControllerManager = false

    @Flag(help: "Do not run the scheduler inside the server process.")
    var disableScheduler = false
    @Option(help: ArgumentHelp("How many times faster than real time the controllers' clock runs (tests only).", visibility: .hidden))
    var controllerTimeScale = 1.0

    @Option(help: "How long a node may go without heartbeats before it is marked Unknown (kube-controller-manager's flag).")
    var nodeMonitorGracePeriod = GoDuration(.seconds(40), text: "40s")

    @Option(help: "How often the controller manager checks node heartbeats.")
    var nodeMonitorPeriod = GoDuration(.seconds(5), text: "5s")

    @Option(help: "The pod network, cut into one subnet per node.")
    var clusterCIDR = "10.42.0.0/16"

    func run() async throws {
        var logger = Logger(label: "skiff.server")
        logger.logLevel = Logger.Level(rawValue: logLevel) ?? .info
        try FileManager.default.createDirectory(atPath: dataDir, withIntermediateDirectories: true)

        var storeOptions = SQLiteStore.Options()
        storeOptions.logger = logger
        storeOptions.compaction = CompactionPolicy(retention: .milliseconds(Int64(compactionRetention * 1000)))
        let store = try SQLiteStore(path: dataDir + "/state.db", options: storeOptions)

        var configuration = APIServer.Configuration(dataDirectory: dataDir, bindAddress: bindAddress, port: httpsPort)
        configuration.tokenFile = tokenAuthFile
        configuration.admission = AdmissionOptions(defaultNotReadyTolerationSeconds: defaultNotReadyTolerationSeconds,
                                                   defaultUnreachableTolerationSeconds: defaultUnreachableTolerationSeconds)
        for san in tlsSan {
            if san.first?.isNumber == true || san.contains(":") {
                configuration.certificateAddresses.append(san)
            } else {
                configuration.certificateHostnames.append(san)
            }
        }
        let group = MultiThreadedEventLoopGroup(numberOfThreads: System.coreCount)
        let server = try APIServer(configuration: configuration, store: store, eventLoopGroup: group, logger: logger)
        let log = logger
        let host = bindAddress == "0.0.0.0" || bindAddress == "::" ? "127.0.0.1" : bindAddress
        let kubeconfigPath = dataDir + "/kubeconfig.yaml"

        var settings = ControllerSettings()
        settings.nodeMonitorGracePeriod = nodeMonitorGracePeriod.duration
        settings.nodeMonitorPeriod = nodeMonitorPeriod.duration
        settings.clusterCIDR = clusterCIDR
        // Published to every namespace as kube-root-ca.crt.
        settings.rootCAPEM = server.pki.caCertificatePEM
        let clock: any ClientClock = controllerTimeScale == 1 ? SystemClock() : ScaledClock(rate: controllerTimeScale)
        let components = ControlPlaneComponents(core: server.core, settings: settings, clock: clock, logger: logger)
        let runControllers = !disableControllerManager
        let runScheduler = !disableScheduler

        // Runs until a signal arrives or a long-running part ends; writing the kubeconfig is the
        // one task expected to finish early.
        try await withThrowingTaskGroup(of: Bool.self) { tasks in
            tasks.addTask { try await server.run(); return true }
            tasks.addTask {
                let port = try await server.listeningPort()
                let url = host.contains(":") ? "https://[\(host)]:\(port)" : "https://\(host):\(port)"
                try server.adminKubeconfig(serverURL: url).write(to: kubeconfigPath)
                log.info("admin kubeconfig written", metadata: ["path": "\(kubeconfigPath)", "server": "\(url)"])
                return false
            }
            if runControllers {
                tasks.addTask {
                    _ = try await server.listeningPort()
                    try await components.runControllerManager()
                    return true
                }
            }
            if runScheduler {
                tasks.addTask {
                    _ = try await server.listeningPort()
                    try await components.runScheduler()
                    return true
                }
            }
            tasks.addTask { await SignalWaiter.waitForTermination(); return true }
            while let finished = try await tasks.next(), !finished {}
            tasks.cancelAll()
        }
        await store.close()
        try await group.shutdownGracefully()
    }
}
