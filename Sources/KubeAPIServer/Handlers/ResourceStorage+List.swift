import Foundation
import KubeModel
import KubeStore

extension ResourceStorage {
    func list(_ scope: RequestScope) async throws -> APIResponse {
        let query = scope.http.query
        let selection = try ListSelection.parse(query, strategy: strategy)
        let limit = try query["limit"].map { text -> Int in
            guard let value = Int(text), value >= 0 else { throw APIError.badRequest("invalid limit: \(text)") }
            return value
        } ?? 0
        let prefix = keys.listPrefix(namespace: scope.namespace)

        // Which revision to read: a continue token pins the first page's revision; Exact pins
        // the requested one; otherwise the latest state.
        var revision: Int64?
        var startAfter: String?
        if let token = query["continue"], !token.isEmpty {
            let decoded = try ContinueToken.decode(token)
            revision = decoded.revision
            startAfter = prefix + decoded.lastKey
        } else if let requested = query["resourceVersion"], !requested.isEmpty, requested != "0" {
            guard let value = Int64(requested) else {
                throw APIError.badRequest("invalid resourceVersion: \(requested)")
            }
            let current = try await store.currentRevision()
            if value > current {
                throw APIError(code: 504, reason: "Timeout", message: "Timeout: Too large resource version: \(value), current: \(current)",
                               details: MetaV1.StatusDetails(causes: [MetaV1.StatusCause(message: "Too large resource version: \(value), current: \(current)", reason: "ResourceVersionTooLarge")], retryAfterSeconds: 1))
            }
            if query["resourceVersionMatch"] == "Exact" { revision = value }
        } else if query["resourceVersionMatch"] == "Exact" {
            throw APIError(code: 422, reason: "Invalid", message: "resourceVersionMatch: Forbidden: resourceVersionMatch \"exact\" is forbidden for resourceVersion \"\"")
        }

        var items: [KeyValue] = []
        var listRevision: Int64 = 0
        var hasMore = false
        var lastKey: String?
        var remaining: Int64?
        // Without selectors a page is exactly `limit` keys; with them, read larger batches and
        // filter until the page is full or the keys run out (as upstream does).
        let pageSize = limit > 0 ? (selection.isEverything ? limit : max(limit, 500)) : nil
        do {
            pages: while true {
                let batch = try await store.list(prefix: prefix, startAfter: startAfter, limit: pageSize, atRevision: revision)
                listRevision = batch.revision
                revision = batch.revision
                for (index, kv) in batch.items.enumerated() {
                    lastKey = kv.key
                    if try selection.matches(stored: kv.value, decode: decodeTyped) {
                        items.append(kv)
                    }
                    if limit > 0, items.count == limit {
                        let unread = Int64(batch.items.count - 1 - index)
                        hasMore = unread > 0 || batch.hasMore
                        if hasMore, selection.isEverything { remaining = unread + (batch.remainingCount ?? 0) }
                        break pages
                    }
                }
                guard batch.hasMore, let last = batch.items.last else { break }
                startAfter = last.key
            }
        } catch StoreError.compacted {
            if query["continue"] != nil {
                throw APIError.gone("The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter.")
            }
            throw APIError.gone("The resourceVersion for the provided list is too old.")
        }

        var listMetadata: JSONObject = ["resourceVersion": .string(String(listRevision))]
        if hasMore, let lastKey {
            listMetadata["continue"] = .string(ContinueToken(revision: listRevision, lastKey: String(lastKey.dropFirst(prefix.count))).encoded())
            if let remaining, remaining > 0 { listMetadata["remainingItemCount"] = .int(remaining) }
        }

        let format = try OutputFormat.negotiate(accept: scope.http.headers.first(name: "accept"), query: query)
        switch format {
        case .json:
            return .json(listBytes(items, metadata: listMetadata))
        case .table(let include):
            let builder = TableBuilder(printer: context.tables.printer(group: descriptor.group, plural: descriptor.plural),
                                       includeObject: include, now: context.now())
            let objects = try items.map(StoredObject.decode)
            return .json(JSONWriter.bytes(builder.table(objects: objects, listMetadata: listMetadata)))
        }
    }

    /// The list document, assembled from stored bytes without re-encoding the items.
    func listBytes(_ items: [KeyValue], metadata: JSONObject) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(items.reduce(128) { $0 + $1.value.count + 32 })
        out.append(contentsOf: "{\"kind\":\"\(gvk.kind)List\",\"apiVersion\":\"\(gvk.apiVersion)\",\"metadata\":".utf8)
        JSONWriter.write(.object(metadata), into: &out)
        out.append(contentsOf: ",\"items\":[".utf8)
        for (index, kv) in items.enumerated() {
            if index > 0 { out.append(UInt8(ascii: ",")) }
            out.append(contentsOf: StoredObject.responseBytes(kv))
        }
        out.append(contentsOf: "]}".utf8)
        return out
    }
}
