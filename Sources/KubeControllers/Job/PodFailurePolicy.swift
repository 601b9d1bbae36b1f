import KubeModel

/// What a Job's podFailurePolicy makes of one failed pod: the first rule whose exit codes or
/// pod conditions match decides (upstream's matchPodFailurePolicy).
struct PodFailureVerdict: Equatable {
    /// The matching rule's action; nil when no rule matched (the failure counts as usual).
    var action: String?
    /// Whether the failure counts toward backoffLimit (false for Ignore).
    var countsAsFailure: Bool
    /// The Job failure message of a FailJob rule.
    var failJobMessage: String?

    static let noMatch = PodFailureVerdict(action: nil, countsAsFailure: true, failJobMessage: nil)

    init(action: String?, countsAsFailure: Bool, failJobMessage: String?) {
        self.action = action
        self.countsAsFailure = countsAsFailure
        self.failJobMessage = failJobMessage
    }

    init(policy: BatchV1.PodFailurePolicy?, pod: CoreV1.Pod) {
        self = .noMatch
        guard let policy else { return }
        let namespacedName = "\(pod.metadata.namespace ?? "")/\(pod.metadata.name ?? "")"
        for (index, rule) in policy.rules.enumerated() {
            var failJobMessage: String
            if let requirement = rule.onExitCodes {
                guard let container = Self.containerMatching(requirement, in: pod.status) else { continue }
                let code = container.state?.terminated?.exitCode ?? 0
                failJobMessage = "Container \(container.name) for pod \(namespacedName) failed with exit code \(code) "
                    + "matching \(rule.action) rule at index \(index)"
            } else if let patterns = rule.onPodConditions {
                guard let condition = Self.conditionMatching(patterns, in: pod.status) else { continue }
                failJobMessage = "Pod \(namespacedName) has condition \(condition.type) matching \(rule.action) rule at index \(index)"
            } else {
                continue
            }
            switch rule.action {
            case "Ignore": self = PodFailureVerdict(action: "Ignore", countsAsFailure: false, failJobMessage: nil)
            case "FailIndex": self = PodFailureVerdict(action: "FailIndex", countsAsFailure: true, failJobMessage: nil)
            case "Count": self = PodFailureVerdict(action: "Count", countsAsFailure: true, failJobMessage: nil)
            case "FailJob": self = PodFailureVerdict(action: "FailJob", countsAsFailure: true, failJobMessage: failJobMessage)
            default: continue
            }
            return
        }
    }

    /// A terminated container (app containers first, then init containers) with a non-zero
    /// exit code the requirement selects.
    static func containerMatching(_ requirement: BatchV1.PodFailurePolicyOnExitCodesRequirement,
                                  in status: CoreV1.PodStatus) -> CoreV1.ContainerStatus? {
        for statuses in [status.containerStatuses ?? [], status.initContainerStatuses ?? []] {
            for container in statuses {
                guard let terminated = container.state?.terminated, terminated.exitCode != 0 else { continue }
                if let name = requirement.containerName, name != container.name { continue }
                let listed = requirement.values.contains(terminated.exitCode)
                switch requirement.operator {
                case "In" where listed, "NotIn" where !listed: return container
                default: continue
                }
            }
        }
        return nil
    }

    static func conditionMatching(_ patterns: [BatchV1.PodFailurePolicyOnPodConditionsPattern],
                                  in status: CoreV1.PodStatus) -> CoreV1.PodCondition? {
        for condition in status.conditions ?? [] {
            if patterns.contains(where: { $0.type == condition.type && ($0.status ?? "True") == condition.status }) {
                return condition
            }
        }
        return nil
    }
}
