import Foundation
import KubeClient
import KubeModel
import Logging

/// Creates a Job for each activation of a CronJob's schedule (upstream's CronJob controller
/// v2): one Job per scheduled minute named `<cronjob>-<minutes since the epoch>`, honouring
/// startingDeadlineSeconds, concurrencyPolicy and suspend; tracks the Jobs it started in
/// `status.active`, `lastScheduleTime` and `lastSuccessfulTime`; deletes finished Jobs beyond
/// the history limits. Each CronJob is requeued for its next activation instead of polled.
public final class CronJobController: Controller {
    public let name = "cronjob"
    let loop: ReconcileLoop
    let cronJobs: Informer<BatchV1.CronJob>
    let jobs: Informer<BatchV1.Job>
    let client: APIClient
    let events: EventRecorder
    let clock: any ClientClock
    let local: TimeZone
    let logger: Logger

    public init(context: ControllerContext) {
        loop = ReconcileLoop(name: name, context: context)
        cronJobs = context.informers.informer(BatchV1.CronJob.self)
        jobs = context.informers.informer(BatchV1.Job.self)
        (client, events, clock) = (context.client, context.events, context.clock)
        local = context.settings.localTimeZone
        logger = context.logger(for: name)

        cronJobs.addEventHandler(InformerEventHandler(
            onAdd: { [weak self] cronJob in self?.loop.enqueue(cronJob) },
            onUpdate: { [weak self] old, new in self?.cronJobUpdated(old: old, new: new) },
            onDelete: { [weak self] cronJob in self?.loop.enqueue(cronJob) }))
        jobs.addEventHandler(InformerEventHandler(
            onAdd: { [weak self] job in self?.enqueueOwner(of: job) },
            onUpdate: { [weak self] old, new in self?.jobUpdated(old: old, new: new) },
            onDelete: { [weak self] job in self?.enqueueOwner(of: job) }))
    }

    public func run() async throws {
        await loop.run { [self] key in try await sync(key) }
    }

    // MARK: - Events

    func resolve(_ reference: MetaV1.OwnerReference?, namespace: String?) -> BatchV1.CronJob? {
        guard let reference, reference.kind == "CronJob",
              let cronJob = cronJobs.store.get(namespace: namespace, name: reference.name), cronJob.metadata.uid == reference.uid
        else { return nil }
        return cronJob
    }

    func enqueueOwner(of job: BatchV1.Job) {
        if let cronJob = resolve(job.controllerReference, namespace: job.metadata.namespace) { loop.enqueue(cronJob) }
    }

    func jobUpdated(old: BatchV1.Job, new: BatchV1.Job) {
        if old.metadata.resourceVersion == new.metadata.resourceVersion { return }
        if old.controllerReference != new.controllerReference { enqueueOwner(of: old) }
        enqueueOwner(of: new)
    }

    /// A new schedule or zone moves the next sync to the next activation; any other change
    /// syncs now.
    func cronJobUpdated(old: BatchV1.CronJob, new: BatchV1.CronJob) {
        guard old.spec.schedule != new.spec.schedule || old.spec.timeZone != new.spec.timeZone else {
            loop.enqueue(new)
            return
        }
        guard let schedule = try? CronSchedule.parse(CronJobSchedule.text(of: new)) else {
            events.record(new, type: .warning, reason: "UnParseableCronJobSchedule",
                          message: "unparseable schedule for cronjob: \(new.spec.schedule)")
            return
        }
        let delay = CronJobSchedule(schedule: schedule, local: local).delayUntilNext(for: new, now: clock.now()) ?? 0
        loop.enqueue(ObjectKey.of(new), after: Self.duration(delay))
    }

    static func duration(_ seconds: TimeInterval) -> Duration {
        .milliseconds(Int64((max(0, seconds) * 1000).rounded(.up)))
    }

    // MARK: - Sync

    func sync(_ key: String) async throws {
        guard let cached = cronJobs.store.get(key) else { return }
        // Every Job naming this CronJob as controller, even if its labels changed.
        let children = jobs.store.list(namespace: cached.metadata.namespace ?? "").filter {
            $0.controllerReference?.name == cached.metadata.name
        }
        var cronJob = cached
        let cleaned = await removeJobsBeyondHistoryLimits(&cronJob, children: children)
        let (requeueAfter, changed, syncError) = await syncCronJob(&cronJob, children: children)
        if cleaned || changed {
            do {
                _ = try await client.resource(BatchV1.CronJob.self, namespace: cronJob.metadata.namespace).updateStatus(cronJob)
            } catch let error as APIStatusError where error.isNotFound {
                return
            }
        }
        if let requeueAfter {
            loop.enqueue(key, after: Self.duration(requeueAfter))
            return
        }
        if let syncError { throw syncError }
    }

    /// Reconciles the active list with the Jobs, then starts the due Job if any. Returns when
    /// to look again, whether the status changed, and the failure to retry on.
    func syncCronJob(_ cronJob: inout BatchV1.CronJob, children: [BatchV1.Job]) async -> (TimeInterval?, Bool, (any Error)?) {
        let now = clock.now()
        var changed = false
        let jobClient = client.resource(BatchV1.Job.self, namespace: cronJob.metadata.namespace)
        for job in children {
            let uid = job.metadata.uid ?? ""
            let listed = Self.isActive(uid, in: cronJob)
            if !listed && !job.isFinished {
                // Perhaps our own status update is not in the cache yet: ask the server.
                do {
                    let fresh = try await client.resource(BatchV1.CronJob.self, namespace: cronJob.metadata.namespace)
                        .get(cronJob.metadata.name ?? "")
                    if Self.isActive(uid, in: fresh) {
                        cronJob = fresh
                        continue
                    }
                } catch {
                    return (nil, changed, error)
                }
                events.record(cronJob, type: .warning, reason: "UnexpectedJob",
                              message: "Saw a job that the controller did not create or forgot: \(job.metadata.name ?? "")")
            } else if let finished = job.finishedCondition {
                if listed {
                    Self.removeFromActive(uid, in: &cronJob)
                    events.record(cronJob, type: .normal, reason: "SawCompletedJob",
                                  message: "Saw completed job: \(job.metadata.name ?? ""), condition: \(finished.type)")
                    changed = true
                }
                if job.isSucceeded, let completed = job.status.completionTime {
                    if cronJob.status.lastSuccessfulTime.map({ completed > $0 }) ?? true {
                        cronJob.status.lastSuccessfulTime = completed
                        changed = true
                    }
                }
            }
        }
        // An active Job that no longer exists must not hold the CronJob back forever.
        let childUIDs = Set(children.compactMap(\.metadata.uid))
        for reference in cronJob.status.active ?? [] where !childUIDs.contains(reference.uid ?? "") {
            do {
                _ = try await jobClient.get(reference.name ?? "")
            } catch let error as APIStatusError where error.isNotFound {
                events.record(cronJob, type: .normal, reason: "MissingJob", message: "Active job went missing: \(reference.name ?? "")")
                Self.removeFromActive(reference.uid ?? "", in: &cronJob)
                changed = true
            } catch {
                return (nil, changed, error)
            }
        }

        if cronJob.isBeingDeleted { return (nil, changed, nil) }
        if let zone = cronJob.spec.timeZone, TimeZone(identifier: zone) == nil {
            events.record(cronJob, type: .warning, reason: "UnknownTimeZone", message: "invalid timeZone: \"\(zone)\": unknown time zone \(zone)")
            return (nil, changed, nil)
        }
        if cronJob.spec.suspend == true { return (nil, changed, nil) }
        let text = CronJobSchedule.text(of: cronJob)
        if text == cronJob.spec.schedule, text.contains("TZ") {
            events.record(cronJob, type: .warning, reason: "UnsupportedSchedule",
                          message: "CRON_TZ or TZ used in schedule \"\(text)\" is not officially supported, "
                              + "see https://kubernetes.io/docs/concepts/workloads/controllers/cron-jobs/ for more details")
        }
        let parsed: CronSchedule
        do {
            parsed = try CronSchedule.parse(text)
        } catch {
            events.record(cronJob, type: .warning, reason: "UnparseableSchedule",
                          message: "unparseable schedule: \"\(cronJob.spec.schedule)\" : \(error.message)")
            return (nil, changed, nil)
        }
        let schedule = CronJobSchedule(schedule: parsed, local: local)
        let recent = schedule.mostRecent(for: cronJob, now: now, includeStartingDeadline: true)
        if let error = recent.error {
            events.record(cronJob, type: .warning, reason: "InvalidSchedule", message: "invalid schedule: \(cronJob.spec.schedule) : \(error)")
            return (nil, changed, nil)
        }
        let next = schedule.delayUntilNext(for: cronJob, now: now)
        guard let scheduledTime = recent.mostRecent, scheduledTime <= now else {
            // Nothing due (the queue woke us early, or the controller restarted).
            return (next, changed, nil)
        }
        if recent.missed == .many {
            events.record(cronJob, type: .warning, reason: "TooManyMissedTimes",
                          message: "too many missed start times. Set or decrease .spec.startingDeadlineSeconds or check clock skew")
            logger.info("too many missed times", metadata: ["cronjob": "\(ObjectKey.of(cronJob))"])
        }
        if let deadline = cronJob.spec.startingDeadlineSeconds, scheduledTime.addingTimeInterval(Double(deadline)) < now {
            events.record(cronJob, type: .warning, reason: "MissSchedule",
                          message: "Missed scheduled time to start a job: \(Self.rfc1123(scheduledTime))")
            return (next, changed, nil)
        }
        let jobName = Self.jobName(cronJob, scheduledTime: scheduledTime)
        if (cronJob.status.active ?? []).contains(where: { $0.name == jobName && $0.namespace == cronJob.metadata.namespace })
            || cronJob.status.lastScheduleTime?.date == scheduledTime {
            // Already started.
            return (next, changed, nil)
        }
        if cronJob.spec.concurrencyPolicy == "Forbid", !(cronJob.status.active ?? []).isEmpty {
            events.record(cronJob, type: .normal, reason: "JobAlreadyActive",
                          message: "Not starting job because prior execution is running and concurrency policy is Forbid")
            return (next, changed, nil)
        }
        if cronJob.spec.concurrencyPolicy == "Replace" {
            for reference in cronJob.status.active ?? [] {
                let job: BatchV1.Job
                do {
                    job = try await jobClient.get(reference.name ?? "")
                } catch {
                    events.record(cronJob, type: .warning, reason: "FailedGet", message: "Get job: \(error)")
                    return (nil, changed, error)
                }
                guard await deleteJob(job, of: &cronJob) else {
                    return (nil, changed, CronJobError.replaceFailed("\(job.metadata.namespace ?? "")/\(job.metadata.name ?? "")"))
                }
                changed = true
            }
        }

        let request = Self.job(for: cronJob, scheduledTime: scheduledTime)
        let job: BatchV1.Job
        do {
            job = try await jobClient.create(request)
            events.record(cronJob, type: .normal, reason: "SuccessfulCreate", message: "Created job \(job.metadata.name ?? "")")
        } catch let error as APIStatusError where error.isAlreadyExists {
            // Created by an earlier sync whose status update was lost, or by someone else.
            do {
                job = try await jobClient.get(jobName)
            } catch {
                return (nil, changed, error)
            }
            guard job.isControlled(by: cronJob), !Self.isActive(job.metadata.uid ?? "", in: cronJob) else { return (nil, changed, nil) }
            logger.info("job already exists", metadata: ["cronjob": "\(ObjectKey.of(cronJob))", "job": "\(jobName)"])
        } catch {
            if error.isNamespaceTerminating {
                return (nil, changed, error)
            }
            events.record(cronJob, type: .warning, reason: "FailedCreate", message: "Error creating job: \(error)")
            return (nil, changed, error)
        }
        var active = cronJob.status.active ?? []
        active.append(CoreV1.ObjectReference(apiVersion: "batch/v1", kind: "Job", name: job.metadata.name, namespace: job.metadata.namespace,
                                             resourceVersion: job.metadata.resourceVersion, uid: job.metadata.uid))
        cronJob.status.active = active
        cronJob.status.lastScheduleTime = Time(scheduledTime)
        return (schedule.delayUntilNext(for: cronJob, now: now), true, nil)
    }

    // MARK: - History

    /// Deletes the oldest finished Jobs beyond successfulJobsHistoryLimit and
    /// failedJobsHistoryLimit; returns whether the active list changed.
    func removeJobsBeyondHistoryLimits(_ cronJob: inout BatchV1.CronJob, children: [BatchV1.Job]) async -> Bool {
        var changed = false
        let limits = [(JobConditionType.complete, cronJob.spec.successfulJobsHistoryLimit),
                      (JobConditionType.failed, cronJob.spec.failedJobsHistoryLimit)]
        for case let (type, limit?) in limits {
            let finished = children.filter { $0.finishedCondition?.type == type }.sorted(by: Self.startedEarlier)
            for job in finished.prefix(max(0, finished.count - limit)) {
                if await deleteJob(job, of: &cronJob) { changed = true }
            }
        }
        return changed
    }

    /// Started earlier first; Jobs that never started last; then by name.
    static func startedEarlier(_ a: BatchV1.Job, _ b: BatchV1.Job) -> Bool {
        switch (a.status.startTime, b.status.startTime) {
        case (nil, nil): return (a.metadata.name ?? "") < (b.metadata.name ?? "")
        case (nil, _): return false
        case (_, nil): return true
        case (let first?, let second?):
            return first == second ? (a.metadata.name ?? "") < (b.metadata.name ?? "") : first < second
        }
    }

    /// Deletes a Job in the background (its pods follow through the garbage collector) and
    /// drops it from the active list.
    func deleteJob(_ job: BatchV1.Job, of cronJob: inout BatchV1.CronJob) async -> Bool {
        do {
            try await client.resource(BatchV1.Job.self, namespace: job.metadata.namespace)
                .delete(job.metadata.name ?? "", options: MetaV1.DeleteOptions(propagationPolicy: PropagationPolicy.background))
        } catch {
            events.record(cronJob, type: .warning, reason: "FailedDelete", message: "Deleted job: \(error)")
            return false
        }
        Self.removeFromActive(job.metadata.uid ?? "", in: &cronJob)
        events.record(cronJob, type: .normal, reason: "SuccessfulDelete", message: "Deleted job \(job.metadata.name ?? "")")
        return true
    }

    // MARK: - Helpers

    static func isActive(_ uid: String, in cronJob: BatchV1.CronJob) -> Bool {
        (cronJob.status.active ?? []).contains { $0.uid == uid }
    }

    static func removeFromActive(_ uid: String, in cronJob: inout BatchV1.CronJob) {
        cronJob.status.active = (cronJob.status.active ?? []).filter { $0.uid != uid }
    }

    /// `<cronjob>-<scheduled time in minutes since the epoch>`: one name per activation, so a
    /// Job is never started twice for the same time.
    static func jobName(_ cronJob: BatchV1.CronJob, scheduledTime: Date) -> String {
        "\(cronJob.metadata.name ?? "")-\(Int64(scheduledTime.timeIntervalSince1970.rounded(.down)) / 60)"
    }

    /// The Job for one activation: the template's labels, annotations and spec, the scheduled
    /// time annotation (in the CronJob's zone, UTC without one), controlled by the CronJob.
    static func job(for cronJob: BatchV1.CronJob, scheduledTime: Date) -> BatchV1.Job {
        var job = BatchV1.Job()
        let template = cronJob.spec.jobTemplate
        job.metadata.name = jobName(cronJob, scheduledTime: scheduledTime)
        job.metadata.namespace = cronJob.metadata.namespace
        job.metadata.labels = template.metadata.labels
        let zone = cronJob.spec.timeZone.flatMap(TimeZone.init(identifier:)) ?? TimeZone(identifier: "UTC")!
        var annotations = template.metadata.annotations ?? [:]
        annotations[JobKeys.cronJobScheduledTimestamp] = rfc3339(scheduledTime, in: zone)
        job.metadata.annotations = annotations
        job.metadata.ownerReferences = [cronJob.makeControllerReference()]
        job.spec = template.spec ?? BatchV1.JobSpec()
        return job
    }

    /// Go's time.RFC3339 in a zone: "2024-01-01T19:00:00+09:00", "…Z" for UTC.
    static func rfc3339(_ date: Date, in zone: TimeZone) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = zone
        formatter.dateFormat = "yyyy-MM-dd'T'HH:mm:ssXXXXX"
        return formatter.string(from: date)
    }

    /// Go's time.RFC1123Z in UTC: "Mon, 02 Jan 2006 15:04:05 +0000".
    static func rfc1123(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss Z"
        return formatter.string(from: date)
    }
}

enum CronJobError: Error, CustomStringConvertible {
    case replaceFailed(String)

    var description: String {
        switch self {
        case .replaceFailed(let job): return "could not replace job \(job)"
        }
    }
}
