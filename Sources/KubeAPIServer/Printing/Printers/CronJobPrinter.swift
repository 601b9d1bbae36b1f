import Foundation
import KubeModel

/// `kubectl get cronjobs`: schedule, time zone, suspension, active jobs and the last run.
struct CronJobPrinter: TypedTablePrinter {
    static let columnDefinitions: [TableColumn] = [
        .objectName,
        TableColumn("Schedule", description: FieldDoc.api("batch.v1.CronJobSpec", "schedule")),
        TableColumn("Timezone", description: FieldDoc.api("batch.v1.CronJobSpec", "timeZone")),
        // Declared boolean upstream, though the cell is the text "True", "False" or "<unset>".
        TableColumn("Suspend", type: "boolean", description: FieldDoc.api("batch.v1.CronJobSpec", "suspend")),
        TableColumn("Active", type: "integer", description: FieldDoc.api("batch.v1.CronJobStatus", "active")),
        TableColumn("Last Schedule", description: FieldDoc.api("batch.v1.CronJobStatus", "lastScheduleTime")),
        .age,
        .containerNames(),
        .containerImages(),
        .selector("batch.v1.JobSpec"),
    ]

    func cells(of cronJob: BatchV1.CronJob, now: Date) -> [JSONValue] {
        let jobSpec = cronJob.spec.jobTemplate.spec
        let containers = CellText.containers(jobSpec?.template.spec?.containers)
        let lastSchedule = cronJob.status.lastScheduleTime.map { HumanDuration.since($0.date, now: now) } ?? "<none>"
        return [
            CellText.name(cronJob.metadata),
            .string(cronJob.spec.schedule),
            .string(cronJob.spec.timeZone ?? "<none>"),
            .string(CellText.bool(cronJob.spec.suspend)),
            .int(Int64(cronJob.status.active?.count ?? 0)),
            .string(lastSchedule),
            CellText.age(cronJob.metadata, now: now),
            containers.names,
            containers.images,
            .string(CellText.selector(jobSpec?.selector)),
        ]
    }
}
