import Foundation
import KubeModel
import Logging

/// Keeps a store in step with the server (client-go's reflector): a full sync (watch-list, or
/// a paginated list), then a watch resumed from the last resourceVersion seen; a full sync again
/// when that version has expired (410 Gone); back-off on other failures.
struct Reflector<Object: KubeObject>: Sendable {
    let listWatch: ListWatch<Object>
    let options: InformerOptions
    let clock: any ClientClock
    let logger: Logger
    /// The complete state at a resourceVersion.
    let replace: @Sendable ([Object], _ resourceVersion: String) -> Void
    /// One ADDED, MODIFIED or DELETED event.
    let apply: @Sendable (WatchEvent<Object>) -> Void

    enum Failure: Error, CustomStringConvertible {
        case watchListIncomplete
        case shortWatch

        var description: String {
            switch self {
            case .watchListIncomplete: return "watch-list ended before its initial events were complete"
            case .shortWatch: return "watch ended at once without any event"
            }
        }
    }

    /// Runs until the task is cancelled.
    func run() async {
        var backoff = Backoff(initial: options.initialBackoff, maximum: options.maximumBackoff)
        // The version the store is in step with; nil until a full sync, and after one expires.
        var resourceVersion: String?
        var useWatchList = options.useWatchList
        while !Task.isCancelled {
            do {
                if resourceVersion == nil, useWatchList {
                    do {
                        try await watchList(&resourceVersion)
                    } catch let error as APIStatusError where Self.rejectsWatchList(error) {
                        logger.info("server rejected watch-list; using list and watch", metadata: ["error": "\(error)"])
                        useWatchList = false
                        continue
                    }
                } else {
                    if resourceVersion == nil { resourceVersion = try await list() }
                    try await watch(&resourceVersion)
                }
                backoff.reset()
            } catch let error as APIStatusError where error.isResourceExpired {
                logger.info("resource version expired; listing again", metadata: ["error": "\(error)"])
                resourceVersion = nil
            } catch {
                if Task.isCancelled { return }
                let delay = backoff.next()
                logger.warning("list/watch failed; retrying", metadata: ["error": "\(error)", "delay": "\(delay)"])
                do { try await clock.sleep(for: delay) } catch { return }
            }
        }
    }

    /// A server that does not support watch-list answers the request with a client error.
    static func rejectsWatchList(_ error: APIStatusError) -> Bool {
        (!error.isResourceExpired && !error.isTooManyRequests && (400..<500).contains(error.code)) || error.code == 501
    }

    /// Lists every page; returns the list's resourceVersion.
    private func list() async throws -> String {
        var options = ListOptions(limit: self.options.pageSize)
        var items: [Object] = []
        while true {
            let page = try await listWatch.list(options)
            items += page.items
            guard let token = page.continueToken else {
                replace(items, page.resourceVersion)
                return page.resourceVersion
            }
            options.continueToken = token
        }
    }

    /// Watch-list: collects the initial ADDED events until the bookmark that ends them, replaces
    /// the store, then goes on as an ordinary watch on the same stream, keeping `resourceVersion`
    /// current from there on.
    private func watchList(_ resourceVersion: inout String?) async throws {
        let stream = try await listWatch.watch(ListOptions(
            resourceVersionMatch: "NotOlderThan", timeoutSeconds: watchTimeoutSeconds(), allowWatchBookmarks: true,
            sendInitialEvents: true))
        var initial: [String: Object] = [:]
        for try await event in stream {
            if let version = resourceVersion {
                resourceVersion = try handle(event, resourceVersion: version)
                continue
            }
            switch event {
            case .added(let object), .modified(let object): initial[ObjectKey.of(object)] = object
            case .deleted(let object): initial[ObjectKey.of(object)] = nil
            case .bookmark(let bookmark) where bookmark.isInitialEventsEnd:
                replace(Array(initial.values), bookmark.resourceVersion)
                resourceVersion = bookmark.resourceVersion
            case .bookmark: break
            case .error(let status): throw status
            }
        }
        if resourceVersion == nil { throw Failure.watchListIncomplete }
    }

    /// Watches from `resourceVersion` until the server ends the watch, keeping it current.
    private func watch(_ resourceVersion: inout String?) async throws {
        guard let start = resourceVersion else { return }
        let started = ContinuousClock.now
        let stream = try await listWatch.watch(ListOptions(
            resourceVersion: start, timeoutSeconds: watchTimeoutSeconds(), allowWatchBookmarks: true))
        var events = 0
        for try await event in stream {
            events += 1
            resourceVersion = try handle(event, resourceVersion: resourceVersion ?? start)
        }
        // A watch the server ends at once, with nothing in it, would otherwise be retried in a
        // tight loop.
        if events == 0, ContinuousClock.now - started < .seconds(1) { throw Failure.shortWatch }
    }

    private func handle(_ event: WatchEvent<Object>, resourceVersion: String) throws -> String {
        switch event {
        case .added(let object), .modified(let object), .deleted(let object):
            apply(event)
            return object.metadata.resourceVersion ?? resourceVersion
        case .bookmark(let bookmark):
            return bookmark.resourceVersion.isEmpty ? resourceVersion : bookmark.resourceVersion
        case .error(let status):
            throw status
        }
    }

    private func watchTimeoutSeconds() -> Int {
        let base = max(1, options.watchTimeout.timeInterval)
        return Int((base * Double.random(in: 1...2)).rounded(.down))
    }
}
