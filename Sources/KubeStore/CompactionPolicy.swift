/// When to compact automatically: keep `retention` worth of history, checking every `interval`.
public struct CompactionPolicy: Sendable, Equatable {
    public var retention: Duration
    public var interval: Duration

    /// `interval` defaults to a tenth of `retention` (at least 10 ms), as etcd's periodic compactor does.
    public init(retention: Duration, interval: Duration? = nil) {
        self.retention = retention
        self.interval = interval ?? max(retention / 10, .milliseconds(10))
    }

    /// Five minutes of history, as the Kubernetes API server asks of etcd.
    public static let `default` = CompactionPolicy(retention: .seconds(300))
}
