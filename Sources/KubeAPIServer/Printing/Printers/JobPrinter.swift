import Foundation
import KubeModel

/// `kubectl get jobs`: what the job came to, completions and how long it ran.
struct JobPrinter: TypedTablePrinter {
    static let columnDefinitions: [TableColumn] = [
        .objectName,
        TableColumn("Status", description: "Status of the job."),
        TableColumn("Completions", description: FieldDoc.api("batch.v1.JobStatus", "succeeded")),
        TableColumn("Duration", description: "Time required to complete the job."),
        .age,
        .containerNames(),
        .containerImages(),
        .selector("batch.v1.JobSpec"),
    ]

    func cells(of job: BatchV1.Job, now: Date) -> [JSONValue] {
        let containers = CellText.containers(job.spec.template.spec?.containers)
        return [
            CellText.name(job.metadata),
            .string(status(job)),
            .string(completions(job)),
            .string(duration(job, now: now)),
            CellText.age(job.metadata, now: now),
            containers.names,
            containers.images,
            .string(CellText.selector(job.spec.selector)),
        ]
    }

    /// Finished states first, then deletion, then the transient conditions.
    private func status(_ job: BatchV1.Job) -> String {
        func holds(_ type: String) -> Bool {
            job.status.conditions?.first { $0.type == type }?.status == "True"
        }
        if holds("Complete") { return "Complete" }
        if holds("Failed") { return "Failed" }
        if job.metadata.deletionTimestamp != nil { return "Terminating" }
        if holds("Suspended") { return "Suspended" }
        if holds("FailureTarget") { return "FailureTarget" }
        return "Running"
    }

    /// "succeeded/completions"; a job without completions needs one success ("of N" workers).
    private func completions(_ job: BatchV1.Job) -> String {
        let succeeded = job.status.succeeded ?? 0
        if let completions = job.spec.completions { return "\(succeeded)/\(completions)" }
        let parallelism = job.spec.parallelism ?? 0
        return parallelism > 1 ? "\(succeeded)/1 of \(parallelism)" : "\(succeeded)/1"
    }

    /// Start to completion, or start to now while running; empty before it starts.
    private func duration(_ job: BatchV1.Job, now: Date) -> String {
        guard let start = job.status.startTime?.date else { return "" }
        let end = job.status.completionTime?.date ?? now
        return HumanDuration.string(end.timeIntervalSince(start))
    }
}
