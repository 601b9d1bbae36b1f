import Foundation
import KubeModel
import KubeStore

/// What every resource handler shares: the store, the clock, admission, table printing and
/// limits. Passed in, never global, so tests can inject fakes.
public struct ServerContext: Sendable {
    public var store: any Store
    public var now: @Sendable () -> Date
    public var admission: AdmissionChain
    public var tables: TablePrinters
    /// Largest object the store accepts (upstream's etcd limit is 1.5 MiB).
    public var maximumObjectBytes: Int
    /// How often an idle watch that asked for bookmarks gets one.
    public var bookmarkInterval: Duration

    public init(store: any Store, now: @escaping @Sendable () -> Date = { Date() }, admission: AdmissionChain = AdmissionChain(),
                tables: TablePrinters = TablePrinters(), maximumObjectBytes: Int = 1_572_864,
                bookmarkInterval: Duration = .seconds(60)) {
        self.store = store
        self.now = now
        self.admission = admission
        self.tables = tables
        self.maximumObjectBytes = maximumObjectBytes
        self.bookmarkInterval = bookmarkInterval
    }
}

/// The parts of one request every verb needs.
public struct RequestScope: Sendable {
    public var http: APIRequest
    public var resource: ResourceRequest
    public var user: UserInfo?

    public var namespace: String? { resource.namespace }
    public var isDryRun: Bool { http.query.all("dryRun").contains("All") }
    public var fieldManager: String? { http.query["fieldManager"] }
}
