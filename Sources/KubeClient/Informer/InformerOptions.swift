/// How an informer lists, watches and retries.
public struct InformerOptions: Sendable {
    /// Every cached object is delivered again as an update this often (nil: never).
    public var resyncPeriod: Duration?
    /// Page size of the initial list.
    public var pageSize = 500
    /// Start with a watch-list (initial state streamed as events) instead of a list; falls back
    /// to list+watch when the server rejects it.
    public var useWatchList = true
    /// Watches ask the server to end them after this long, plus a random fraction up to as much
    /// again, so reconnects spread out.
    public var watchTimeout: Duration = .seconds(300)
    /// Back-off after a failed list or watch.
    public var initialBackoff: Duration = .milliseconds(800)
    public var maximumBackoff: Duration = .seconds(30)

    public init(resyncPeriod: Duration? = nil, pageSize: Int = 500, useWatchList: Bool = true,
                watchTimeout: Duration = .seconds(300), initialBackoff: Duration = .milliseconds(800),
                maximumBackoff: Duration = .seconds(30)) {
        self.resyncPeriod = resyncPeriod
        self.pageSize = pageSize
        self.useWatchList = useWatchList
        self.watchTimeout = watchTimeout
        self.initialBackoff = initialBackoff
        self.maximumBackoff = maximumBackoff
    }
}
