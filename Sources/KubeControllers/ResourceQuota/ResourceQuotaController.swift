import Foundation
import KubeClient
import KubeModel
import Logging

/// Keeps `status` of every ResourceQuota (upstream's resource quota controller): `status.hard`
/// copies `spec.hard`, `status.used` is recomputed from what the namespace holds. Quota
/// admission adds to `used` as objects are created; this controller gives back what deletions
/// and finished pods free (replenishment) and corrects any drift, on changes and on a full
/// resync every `resourceQuotaSyncPeriod`.
public final class ResourceQuotaController: Controller {
    public let name = "resourcequota"

    let loop: ReconcileLoop
    let quotas: Informer<CoreV1.ResourceQuota>
    let pods: Informer<CoreV1.Pod>
    let services: Informer<CoreV1.Service>
    let claims: Informer<CoreV1.PersistentVolumeClaim>
    let configMaps: Informer<CoreV1.ConfigMap>
    let secrets: Informer<CoreV1.Secret>
    let client: APIClient
    let clock: any ClientClock
    let resyncPeriod: Duration
    let calculator: QuotaUsageCalculator
    let logger: Logger

    public init(context: ControllerContext) {
        loop = ReconcileLoop(name: name, context: context)
        quotas = context.informers.informer(CoreV1.ResourceQuota.self)
        pods = context.informers.informer(CoreV1.Pod.self)
        services = context.informers.informer(CoreV1.Service.self)
        claims = context.informers.informer(CoreV1.PersistentVolumeClaim.self)
        configMaps = context.informers.informer(CoreV1.ConfigMap.self)
        secrets = context.informers.informer(CoreV1.Secret.self)
        client = context.client
        clock = context.clock
        resyncPeriod = context.settings.resourceQuotaSyncPeriod
        logger = context.logger(for: name)
        calculator = Self.calculator(client: context.client, pods: pods, services: services, claims: claims,
                                     configMaps: configMaps, secrets: secrets)
        let loop = self.loop
        quotas.addEventHandler(InformerEventHandler(
            onAdd: { loop.enqueue($0) },
            onUpdate: { old, new in
                if old.spec != new.spec || new.status.hard != new.spec.hard || new.status.used == nil { loop.enqueue(new) }
            }))
        // Replenishment: what frees quota (deletions, pods finishing, services and claims changing).
        let replenish: @Sendable (String?) -> Void = { [weak self] namespace in self?.enqueueQuotas(in: namespace) }
        pods.addEventHandler(InformerEventHandler(
            onUpdate: { old, new in
                if old.isTerminal != new.isTerminal || old.isTerminating != new.isTerminating || old.spec != new.spec {
                    replenish(new.metadata.namespace)
                }
            },
            onDelete: { replenish($0.metadata.namespace) }))
        services.addEventHandler(InformerEventHandler(
            onUpdate: { old, new in if old.spec != new.spec { replenish(new.metadata.namespace) } },
            onDelete: { replenish($0.metadata.namespace) }))
        claims.addEventHandler(InformerEventHandler(
            onUpdate: { old, new in if old.spec != new.spec || old.status != new.status { replenish(new.metadata.namespace) } },
            onDelete: { replenish($0.metadata.namespace) }))
        configMaps.addEventHandler(InformerEventHandler(onDelete: { replenish($0.metadata.namespace) }))
        secrets.addEventHandler(InformerEventHandler(onDelete: { replenish($0.metadata.namespace) }))
    }

    /// Reads the kinds the controller watches from their caches, anything else from the server.
    static func calculator(client: APIClient, pods: Informer<CoreV1.Pod>, services: Informer<CoreV1.Service>,
                           claims: Informer<CoreV1.PersistentVolumeClaim>, configMaps: Informer<CoreV1.ConfigMap>,
                           secrets: Informer<CoreV1.Secret>) -> QuotaUsageCalculator {
        QuotaUsageCalculator(
            list: { group, plural, namespace in
                switch (group, plural) {
                case ("", "pods"): return pods.store.list(namespace: namespace).map { $0.toJSON() }
                case ("", "services"): return services.store.list(namespace: namespace).map { $0.toJSON() }
                case ("", "persistentvolumeclaims"): return claims.store.list(namespace: namespace).map { $0.toJSON() }
                case ("", "configmaps"): return configMaps.store.list(namespace: namespace).map { $0.toJSON() }
                case ("", "secrets"): return secrets.store.list(namespace: namespace).map { $0.toJSON() }
                default:
                    guard let resource = try await ResourceDiscovery(client: client).preferredResources().resources
                        .first(where: { $0.group == group && $0.resource.plural == plural }) else { return [] }
                    return try await client.dynamic(resource.resource, namespace: namespace).listAll().items
                }
            },
            isServed: { group, plural in
                if group.isEmpty, ["pods", "services", "persistentvolumeclaims", "configmaps", "secrets"].contains(plural) { return true }
                let discovered = try? await ResourceDiscovery(client: client).preferredResources()
                return discovered?.resources.contains { $0.group == group && $0.resource.plural == plural && $0.verbs.contains("list") } ?? false
            })
    }

    public func run() async throws {
        await withDiscardingTaskGroup { group in
            group.addTask { await self.loop.run { key in try await self.sync(key) } }
            group.addTask { await self.resyncPeriodically() }
        }
    }

    private func resyncPeriodically() async {
        while true {
            do { try await clock.sleep(for: resyncPeriod) } catch { return }
            for quota in quotas.store.list() { loop.enqueue(quota) }
        }
    }

    func enqueueQuotas(in namespace: String?) {
        for quota in quotas.store.list(namespace: namespace ?? "") { loop.enqueue(quota) }
    }

    func sync(_ key: String) async throws {
        guard let quota = quotas.store.get(key) else { return }
        let hard = quota.spec.hard ?? [:]
        var used = QuotaResourceList.add([:], quota.status.used ?? [:])
        let calculated = try await calculator.usage(of: quota, hard: hard, now: clock.now())
        for (name, amount) in calculated { used[name] = amount }
        used = QuotaResourceList.mask(used, hard.keys)
        guard quota.status.hard != hard || !Self.equal(quota.status.used ?? [:], used) else { return }
        var updated = quota
        updated.status = CoreV1.ResourceQuotaStatus(hard: hard, used: used)
        do {
            _ = try await client.resource(CoreV1.ResourceQuota.self, namespace: quota.metadata.namespace).updateStatus(updated)
        } catch let error as APIStatusError where error.isNotFound {
            return
        }
    }

    /// Same names, equal amounts (formats may differ).
    static func equal(_ a: ResourceList, _ b: ResourceList) -> Bool {
        a.count == b.count && a.allSatisfy { b[$0.key] == $0.value }
    }
}
