/// Which Lease to hold and how (client-go's LeaderElectionConfig). A leader renews every
/// `retryPeriod`; if it cannot renew within `renewDeadline` it steps down; other candidates
/// take over once the lease has not been renewed for `leaseDuration`.
public struct LeaderElectionConfiguration: Sendable {
    public var leaseName: String
    public var leaseNamespace: String
    /// Unique per candidate (hostname plus a random suffix, typically).
    public var identity: String
    /// Whole seconds; written to the Lease as leaseDurationSeconds.
    public var leaseDuration: Duration = .seconds(15)
    public var renewDeadline: Duration = .seconds(10)
    public var retryPeriod: Duration = .seconds(2)
    /// Give up the lease when stopped, so another candidate takes over at once.
    public var releaseOnCancel = true

    public init(leaseName: String, leaseNamespace: String = "kube-system", identity: String,
                leaseDuration: Duration = .seconds(15), renewDeadline: Duration = .seconds(10),
                retryPeriod: Duration = .seconds(2), releaseOnCancel: Bool = true) {
        self.leaseName = leaseName
        self.leaseNamespace = leaseNamespace
        self.identity = identity
        self.leaseDuration = leaseDuration
        self.renewDeadline = renewDeadline
        self.retryPeriod = retryPeriod
        self.releaseOnCancel = releaseOnCancel
    }

    var leaseDurationSeconds: Int { max(1, Int(leaseDuration.timeInterval.rounded(.up))) }
}

/// Notifications of a leader election; they run on the elector's task and must not block.
public struct LeaderElectionCallbacks: Sendable {
    public var onStartedLeading: @Sendable () -> Void
    public var onStoppedLeading: @Sendable () -> Void
    /// The holder of the lease changed (including to this candidate).
    public var onNewLeader: @Sendable (_ identity: String) -> Void

    public init(onStartedLeading: @escaping @Sendable () -> Void = {}, onStoppedLeading: @escaping @Sendable () -> Void = {},
                onNewLeader: @escaping @Sendable (_ identity: String) -> Void = { _ in }) {
        self.onStartedLeading = onStartedLeading
        self.onStoppedLeading = onStoppedLeading
        self.onNewLeader = onNewLeader
    }
}

public enum LeaderElectionError: Error, Sendable, Equatable {
    /// The lease could not be renewed within the renew deadline.
    case leadershipLost
}
