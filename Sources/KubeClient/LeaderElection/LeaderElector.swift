import Foundation
import KubeModel
import Logging
import Synchronization

/// Leader election on a coordination.k8s.io/v1 Lease, as client-go's leaderelection: campaign
/// until the lease is free or expired, then renew it; step down when renewing fails for the
/// renew deadline; release it when stopped.
public final class LeaderElector: Sendable {
    public let configuration: LeaderElectionConfiguration
    private let leases: ResourceClient<CoordinationV1.Lease>
    private let clock: any ClientClock
    private let logger: Logger
    private let state = Mutex(Observed())

    /// The lease as last seen, and when we saw it change: expiry is judged by our own clock
    /// from that moment, never by comparing clocks across machines.
    private struct Observed {
        var spec: CoordinationV1.LeaseSpec?
        var changedAt = Date.distantPast
        var isLeader = false
        var reportedLeader: String?
    }

    public init(client: APIClient, configuration: LeaderElectionConfiguration, clock: any ClientClock = SystemClock(),
                logger: Logger = Logger(label: "skiff.leader-election")) {
        self.configuration = configuration
        leases = client.resource(CoordinationV1.Lease.self, namespace: configuration.leaseNamespace)
        self.clock = clock
        var logger = logger
        logger[metadataKey: "lease"] = "\(configuration.leaseNamespace)/\(configuration.leaseName)"
        logger[metadataKey: "identity"] = "\(configuration.identity)"
        self.logger = logger
    }

    public var isLeader: Bool { state.withLock { $0.isLeader } }

    /// The holder of the lease as last observed.
    public var currentLeader: String? { state.withLock { $0.spec?.holderIdentity } }

    /// Campaigns, then runs `whileLeading` as long as leadership lasts. Ends when `whileLeading`
    /// returns (or throws), when the task is cancelled (both release the lease), or by throwing
    /// `LeaderElectionError.leadershipLost` when renewing failed (`whileLeading` is cancelled).
    public func run(callbacks: LeaderElectionCallbacks = LeaderElectionCallbacks(),
                    whileLeading: @escaping @Sendable () async throws -> Void) async throws {
        guard await acquire(callbacks) else { return }
        callbacks.onStartedLeading()
        defer {
            state.withLock { $0.isLeader = false }
            callbacks.onStoppedLeading()
        }
        enum Outcome { case finished, lost, cancelled }
        let outcome: Outcome = try await withThrowingTaskGroup(of: Outcome.self) { group in
            group.addTask {
                do {
                    try await whileLeading()
                    return .finished
                } catch where Task.isCancelled {
                    return .cancelled  // stopped, by the caller or by losing the lease
                }
            }
            group.addTask { await self.renew(callbacks) ? .cancelled : .lost }
            let first = try await group.next() ?? .cancelled
            group.cancelAll()
            return first
        }
        switch outcome {
        case .lost:
            logger.warning("lost leadership")
            throw LeaderElectionError.leadershipLost
        case .finished, .cancelled:
            if configuration.releaseOnCancel { await release() }
        }
    }

    /// Tries until this candidate holds the lease; false when cancelled first.
    private func acquire(_ callbacks: LeaderElectionCallbacks) async -> Bool {
        logger.debug("campaigning for the lease")
        while !Task.isCancelled {
            if await attempt(until: clock.now().addingTimeInterval(configuration.renewDeadline.timeInterval), callbacks) {
                logger.info("became leader")
                return true
            }
            do { try await clock.sleep(for: jittered(configuration.retryPeriod)) } catch { return false }
        }
        return false
    }

    /// Renews every retry period; returns false when renewal failed for the renew deadline,
    /// true when cancelled.
    private func renew(_ callbacks: LeaderElectionCallbacks) async -> Bool {
        while true {
            do { try await clock.sleep(for: configuration.retryPeriod) } catch { return true }
            let deadline = clock.now().addingTimeInterval(configuration.renewDeadline.timeInterval)
            var renewed = false
            while !renewed, clock.now() < deadline {
                renewed = await attempt(until: deadline, callbacks)
                if Task.isCancelled { return true }
                if !renewed {
                    do { try await clock.sleep(for: configuration.retryPeriod) } catch { return true }
                }
            }
            if !renewed { return false }
        }
    }

    /// One try at acquiring or renewing, abandoned at `deadline`.
    private func attempt(until deadline: Date, _ callbacks: LeaderElectionCallbacks) async -> Bool {
        let succeeded = await withTaskGroup(of: Bool?.self) { group in
            group.addTask {
                do { return try await self.tryAcquireOrRenew() } catch {
                    if !(error is CancellationError) { self.logger.info("lease update failed", metadata: ["error": "\(error)"]) }
                    return false
                }
            }
            group.addTask {
                do { try await self.clock.sleep(until: deadline) } catch { return nil }
                return false
            }
            var result = false
            while let next = await group.next() {
                guard let next else { continue }
                result = next
                break
            }
            group.cancelAll()
            return result
        }
        reportLeader(callbacks)
        return succeeded
    }

    private func tryAcquireOrRenew() async throws -> Bool {
        let now = clock.now()
        var lease: CoordinationV1.Lease
        do {
            lease = try await leases.get(configuration.leaseName)
        } catch let error as APIStatusError where error.isNotFound {
            var created = CoordinationV1.Lease()
            created.metadata.name = configuration.leaseName
            created.metadata.namespace = configuration.leaseNamespace
            created.spec = CoordinationV1.LeaseSpec(
                acquireTime: MicroTime(now), holderIdentity: configuration.identity,
                leaseDurationSeconds: configuration.leaseDurationSeconds, leaseTransitions: 0, renewTime: MicroTime(now))
            do {
                let stored = try await leases.create(created)
                observe(stored.spec, at: now, leading: true)
                return true
            } catch let error as APIStatusError where error.isAlreadyExists {
                return false
            }
        }

        let record = lease.spec
        let observedChange = state.withLock { observed -> Date in
            if observed.spec != record {
                observed.spec = record
                observed.changedAt = now
            }
            return observed.changedAt
        }
        let holder = record.holderIdentity ?? ""
        let leaseSeconds = Double(record.leaseDurationSeconds ?? configuration.leaseDurationSeconds)
        if !holder.isEmpty, holder != configuration.identity, observedChange.addingTimeInterval(leaseSeconds) > now {
            return false  // someone else holds an unexpired lease
        }

        var spec = record
        if holder != configuration.identity {
            spec.acquireTime = MicroTime(now)
            spec.leaseTransitions = (record.leaseTransitions ?? 0) + 1
        }
        spec.holderIdentity = configuration.identity
        spec.leaseDurationSeconds = configuration.leaseDurationSeconds
        spec.renewTime = MicroTime(now)
        lease.spec = spec
        do {
            let stored = try await leases.update(lease)  // conflicts if someone else wrote since our read
            observe(stored.spec, at: now, leading: true)
            return true
        } catch let error as APIStatusError where error.isConflict {
            return false
        }
    }

    /// Gives the lease up so the next candidate need not wait for it to expire.
    private func release() async {
        let configuration = configuration
        let leases = leases
        let now = clock.now()
        // The calling task may be cancelled; the release request must still go out.
        let released = await Task {
            do {
                var lease = try await leases.get(configuration.leaseName)
                guard lease.spec.holderIdentity == configuration.identity else { return false }
                lease.spec.holderIdentity = nil
                lease.spec.leaseDurationSeconds = 1
                lease.spec.acquireTime = MicroTime(now)
                lease.spec.renewTime = MicroTime(now)
                _ = try await leases.update(lease)
                return true
            } catch {
                return false
            }
        }.value
        if released {
            observe(nil, at: now, leading: false)
            logger.info("released the lease")
        }
    }

    private func observe(_ spec: CoordinationV1.LeaseSpec?, at time: Date, leading: Bool) {
        state.withLock { observed in
            observed.spec = spec
            observed.changedAt = time
            observed.isLeader = leading
        }
    }

    private func reportLeader(_ callbacks: LeaderElectionCallbacks) {
        let changed: String? = state.withLock { observed in
            guard let holder = observed.spec?.holderIdentity, !holder.isEmpty, holder != observed.reportedLeader else { return nil }
            observed.reportedLeader = holder
            return holder
        }
        if let changed { callbacks.onNewLeader(changed) }
    }

    /// Campaign retries spread out by up to 120%, as upstream's JitterUntil with factor 1.2.
    private func jittered(_ period: Duration) -> Duration {
        period + .seconds(period.timeInterval * Double.random(in: 0...1.2))
    }
}
