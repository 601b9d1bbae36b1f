import KubeClient
import KubeModel
import Logging

/// Makes sure every active namespace has the `default` ServiceAccount, recreating it when it
/// is deleted (upstream's serviceaccounts controller).
public final class ServiceAccountsController: Controller {
    public let name = "serviceaccount"
    static let accounts = ["default"]

    let loop: ReconcileLoop
    let namespaces: Informer<CoreV1.Namespace>
    let serviceAccounts: Informer<CoreV1.ServiceAccount>
    let client: APIClient
    let logger: Logger

    public init(context: ControllerContext) {
        loop = ReconcileLoop(name: name, context: context)
        namespaces = context.informers.informer(CoreV1.Namespace.self)
        serviceAccounts = context.informers.informer(CoreV1.ServiceAccount.self)
        client = context.client
        logger = context.logger(for: name)
        let loop = self.loop
        namespaces.addEventHandler(InformerEventHandler(
            onAdd: { loop.enqueue($0) }, onUpdate: { _, new in loop.enqueue(new) }))
        serviceAccounts.addEventHandler(InformerEventHandler(onDelete: { account in
            guard let namespace = account.metadata.namespace, Self.accounts.contains(account.metadata.name ?? "") else { return }
            loop.enqueue(namespace)
        }))
    }

    public func run() async throws {
        await loop.run { [self] key in try await sync(key) }
    }

    func sync(_ name: String) async throws {
        guard let namespace = namespaces.store.get(name), namespace.status.phase == "Active" || namespace.status.phase == nil,
              !namespace.isBeingDeleted else { return }
        for account in Self.accounts where serviceAccounts.store.get(namespace: name, name: account) == nil {
            var serviceAccount = CoreV1.ServiceAccount()
            serviceAccount.metadata.name = account
            serviceAccount.metadata.namespace = name
            do {
                _ = try await client.resource(CoreV1.ServiceAccount.self, namespace: name).create(serviceAccount)
            } catch let error as APIStatusError where error.isAlreadyExists || error.isNotFound || error.isForbidden {
                // Exists already, or the namespace is gone or terminating.
            }
        }
    }
}
