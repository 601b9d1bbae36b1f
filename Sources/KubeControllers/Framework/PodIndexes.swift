import KubeClient
import KubeModel

/// Indexes controllers add to the shared pod informer.
public enum PodIndex {
    /// Pods by `spec.nodeName` (unbound pods under "").
    public static let nodeName = "spec.nodeName"

    /// Adds the node-name index (idempotent: every caller adds the same function).
    public static func indexByNode(_ pods: Informer<CoreV1.Pod>) {
        pods.store.addIndexers([nodeName: { [$0.spec.nodeName ?? ""] }])
    }

    /// The cached pods bound to `node`.
    public static func pods(on node: String, in pods: Informer<CoreV1.Pod>) -> [CoreV1.Pod] {
        pods.store.byIndex(nodeName, node)
    }
}
