import Foundation
import KubeModel
import KubeStore

extension ResourceStorage {
    /// A watch: line-delimited JSON events (`{"type":"ADDED","object":{…}}`), optionally as
    /// one-row Tables, with bookmarks, initial events and 410 for compacted revisions.
    func watch(_ scope: RequestScope) async throws -> APIResponse {
        let query = scope.http.query
        let selection = try ListSelection.parse(query, strategy: strategy, extraName: scope.resource.name)
        let format = try OutputFormat.negotiate(accept: scope.http.headers.first(name: "accept"), query: query)
        let allowBookmarks = query.bool("allowWatchBookmarks") ?? false
        let sendInitialEvents = query.bool("sendInitialEvents")
        if sendInitialEvents == true, !allowBookmarks || query["resourceVersionMatch"] != "NotOlderThan" {
            throw APIError(code: 422, reason: "Invalid",
                           message: "sendInitialEvents is forbidden for watch unless resourceVersionMatch is \"NotOlderThan\" and allowWatchBookmarks is true")
        }
        let timeout = query["timeoutSeconds"].flatMap(Int.init).map { Duration.seconds($0) } ?? .seconds(1800)
        let requestedVersion = query["resourceVersion"] ?? ""
        let startFromState = requestedVersion.isEmpty || requestedVersion == "0" || sendInitialEvents == true
        guard startFromState || Int64(requestedVersion) != nil else {
            throw APIError.badRequest("invalid resourceVersion: \(requestedVersion)")
        }

        let prefix = keys.listPrefix(namespace: scope.namespace)
        let encoder = WatchEventEncoder(
            kind: gvk, format: format,
            printer: context.tables.printer(group: descriptor.group, plural: descriptor.plural), now: context.now)
        var headers = [("Content-Type", "application/json")]
        if case .table = format { headers = [("Content-Type", "application/json;as=Table;v=v1;g=meta.k8s.io")] }

        // Initial state, read before the response starts so errors are ordinary responses.
        var initial: [KeyValue] = []
        var startRevision: Int64
        if startFromState {
            let state = try await store.list(prefix: prefix, startAfter: nil, limit: nil, atRevision: nil)
            initial = state.items
            startRevision = state.revision
            if let requested = Int64(requestedVersion), requested > startRevision { startRevision = requested }
        } else {
            startRevision = Int64(requestedVersion)!
        }

        let store = self.store
        let initialItems = initial
        let watchFrom = startRevision
        let bookmarkInterval = context.bookmarkInterval
        let decode = self.decodeTyped
        var response = APIResponse(status: .ok, body: .stream { writer in
            var sent: Int64 = watchFrom
            for kv in initialItems where try selection.matches(stored: kv.value, decode: decode) {
                try await writer.write(encoder.event("ADDED", kv.value, revision: kv.modRevision))
            }
            if sendInitialEvents == true {
                try await writer.write(encoder.bookmark(revision: watchFrom, initialEventsEnd: true))
            }
            let inputs = WatchInputs.merge(
                store.watch(prefix: prefix, afterRevision: watchFrom),
                bookmarkEvery: allowBookmarks ? bookmarkInterval : nil, timeout: timeout)
            do {
                for try await input in inputs {
                    switch input {
                    case .event(let event):
                        if let frame = try encoder.frame(for: event, selection: selection, decode: decode) {
                            try await writer.write(frame)
                        }
                        sent = event.revision
                    case .bookmark:
                        try await writer.write(encoder.bookmark(revision: sent, initialEventsEnd: false))
                    case .timeout:
                        return
                    }
                }
            } catch StoreError.compacted(let requested, let compacted) {
                try await writer.write(encoder.error(APIError.gone("too old resource version: \(requested) (\(compacted))")))
            }
        })
        for (name, value) in headers { response.headers.add(name: name, value: value) }
        return response
    }
}

/// What drives a watch loop: store events, bookmark ticks and the end of the timeout.
enum WatchInputs {
    enum Input: Sendable {
        case event(StoreWatchEvent)
        case bookmark
        case timeout
    }

    static func merge(_ events: AsyncThrowingStream<StoreWatchEvent, Error>, bookmarkEvery: Duration?,
                      timeout: Duration) -> AsyncThrowingStream<Input, Error> {
        AsyncThrowingStream { continuation in
            let task = Task {
                await withTaskGroup(of: Void.self) { group in
                    group.addTask {
                        do {
                            for try await event in events { continuation.yield(.event(event)) }
                            continuation.finish()
                        } catch {
                            continuation.finish(throwing: error)
                        }
                    }
                    if let bookmarkEvery {
                        group.addTask {
                            while !Task.isCancelled {
                                try? await Task.sleep(for: bookmarkEvery)
                                continuation.yield(.bookmark)
                            }
                        }
                    }
                    group.addTask {
                        try? await Task.sleep(for: timeout)
                        continuation.yield(.timeout)
                        continuation.finish()
                    }
                    await group.next()
                    group.cancelAll()
                }
            }
            continuation.onTermination = { _ in task.cancel() }
        }
    }
}

/// Frames watch events for the wire.
struct WatchEventEncoder: Sendable {
    let kind: GroupVersionKind
    let format: OutputFormat
    let printer: any TablePrinter
    let now: @Sendable () -> Date

    /// The frame for one store event after selector filtering; an object that stops matching
    /// is reported DELETED and one that starts matching ADDED, as upstream's watch cache does.
    func frame<S: ResourceStrategy>(for event: StoreWatchEvent, selection: ListSelection<S>,
                                    decode: (JSONValue) throws -> S.Object) throws -> [UInt8]? {
        let matchesNow: Bool
        let matchedBefore: Bool
        if selection.isEverything {
            matchesNow = event.type == .put
            matchedBefore = event.prevKV != nil
        } else {
            matchesNow = try event.type == .put && selection.matches(stored: event.kv.value, decode: decode)
            matchedBefore = try event.prevKV.map { try selection.matches(stored: $0.value, decode: decode) } ?? false
        }
        switch event.type {
        case .put:
            if matchesNow { return self.event(matchedBefore && !event.isCreate ? "MODIFIED" : "ADDED", event.kv.value, revision: event.revision) }
            if matchedBefore, let previous = event.prevKV { return self.event("DELETED", previous.value, revision: event.revision) }
            return nil
        case .delete:
            let value = event.prevKV?.value ?? event.kv.value
            if try selection.matches(stored: value, decode: decode) {
                return self.event("DELETED", value, revision: event.revision)
            }
            return nil
        }
    }

    func event(_ type: String, _ storedValue: [UInt8], revision: Int64) -> [UInt8] {
        let objectBytes = StoredObject.responseBytes(storedValue, resourceVersion: revision)
        switch format {
        case .json:
            var out = Array("{\"type\":\"\(type)\",\"object\":".utf8)
            out.reserveCapacity(objectBytes.count + 32)
            out.append(contentsOf: objectBytes)
            out.append(contentsOf: "}\n".utf8)
            return out
        case .table(let include):
            let object = (try? JSONParser.parse(objectBytes)) ?? .null
            let table = TableBuilder(printer: printer, includeObject: include, now: now())
                .table(objects: [object], listMetadata: ["resourceVersion": .string(String(revision))])
            return line(["type": .string(type), "object": table])
        }
    }

    func bookmark(revision: Int64, initialEventsEnd: Bool) -> [UInt8] {
        var metadata: JSONObject = ["resourceVersion": .string(String(revision))]
        if initialEventsEnd { metadata["annotations"] = ["k8s.io/initial-events-end": "true"] }
        let object: JSONValue = ["kind": .string(kind.kind), "apiVersion": .string(kind.apiVersion), "metadata": .object(metadata)]
        return line(["type": "BOOKMARK", "object": object])
    }

    func error(_ error: APIError) -> [UInt8] {
        line(["type": "ERROR", "object": error.status.toJSON()])
    }

    private func line(_ value: JSONValue) -> [UInt8] {
        var bytes = JSONWriter.bytes(value)
        bytes.append(UInt8(ascii: "\n"))
        return bytes
    }
}
