import Testing
@testable import KubeStore

@Suite("Store list and count")
struct StoreListTests {
    static let pods = ["/registry/pods/default/a", "/registry/pods/default/b", "/registry/pods/default/c",
                       "/registry/pods/kube-system/dns", "/registry/pods/kube-system/proxy"]
    static let others = ["/registry/pods", "/registry/podsecurity/x", "/registry/services/default/web", "/registry/pods0"]

    /// Creates the fixture keys in a scrambled order; their values are their keys.
    static func fill(_ store: any Store) async throws {
        for key in (pods + others).shuffled() {
            _ = try await store.create(key, value: bytes(key))
        }
    }

    struct Case: Sendable, CustomTestStringConvertible {
        var prefix: String
        var startAfter: String?
        var limit: Int?
        var expected: [String]
        var hasMore = false
        var remaining: Int64?
        var testDescription: String { "\(prefix) after \(startAfter ?? "-") limit \(limit.map(String.init) ?? "-")" }
    }

    static let cases: [Case] = [
        Case(prefix: "/registry/pods/", limit: nil, expected: pods),
        Case(prefix: "/registry/pods/", limit: 0, expected: pods),
        Case(prefix: "/registry/pods/default/", limit: nil, expected: Array(pods[0...2])),
        Case(prefix: "/registry/pods/", limit: 2, expected: Array(pods[0...1]), hasMore: true, remaining: 3),
        Case(prefix: "/registry/pods/", startAfter: pods[1], limit: 2, expected: Array(pods[2...3]), hasMore: true, remaining: 1),
        Case(prefix: "/registry/pods/", startAfter: pods[2], limit: 3, expected: Array(pods[3...4])),
        Case(prefix: "/registry/pods/", startAfter: pods[4], limit: nil, expected: []),
        Case(prefix: "/registry/pods/", startAfter: "/registry/a", limit: 1, expected: [pods[0]], hasMore: true, remaining: 4),
        Case(prefix: "/registry/pods/", startAfter: "/registry/pods/default/b0", limit: nil, expected: Array(pods[2...4])),
        Case(prefix: "/registry/nodes/", limit: nil, expected: []),
        Case(prefix: "", limit: nil, expected: (pods + others).sorted()),
        Case(prefix: "/registry/pods", limit: nil, expected: (pods + ["/registry/pods", "/registry/pods0", "/registry/podsecurity/x"]).sorted()),
    ]

    @Test("list selects by prefix, startAfter and limit", arguments: Backend.allCases, cases)
    func list(backend: Backend, listCase: Case) async throws {
        try await withStore(backend) { store in
            try await Self.fill(store)
            let result = try await store.list(prefix: listCase.prefix, startAfter: listCase.startAfter, limit: listCase.limit, atRevision: nil)
            #expect(result.items.map(\.key) == listCase.expected)
            #expect(result.items.allSatisfy { $0.value == bytes($0.key) })
            #expect(result.hasMore == listCase.hasMore)
            #expect(result.remainingCount == listCase.remaining)
            #expect(result.revision == (try await store.currentRevision()))
        }
    }

    @Test("paging with startAfter visits every key once", arguments: Backend.allCases, [1, 2, 3, 100])
    func pagination(backend: Backend, pageSize: Int) async throws {
        try await withStore(backend) { store in
            try await Self.fill(store)
            let revision = try await store.currentRevision()
            var seen: [String] = []
            var startAfter: String?
            while true {
                let page = try await store.list(prefix: "/registry/", startAfter: startAfter, limit: pageSize, atRevision: revision)
                #expect(page.revision == revision)
                seen += page.items.map(\.key)
                if !page.hasMore { break }
                #expect(page.remainingCount == Int64((Self.pods + Self.others).count - seen.count))
                startAfter = page.items.last?.key
            }
            #expect(seen == (Self.pods + Self.others).sorted())
        }
    }

    @Test("list at a past revision sees the keys and versions of that time", arguments: Backend.allCases)
    func listAtRevision(backend: Backend) async throws {
        try await withStore(backend) { store in
            let a1 = try await store.create("/p/a", value: bytes("a1"))
            let b1 = try await store.create("/p/b", value: bytes("b1"))
            let before = try await store.currentRevision()
            _ = try await store.update("/p/a", value: bytes("a2"))
            _ = try await store.delete("/p/b")
            let c1 = try await store.create("/p/c", value: bytes("c1"))

            let past = try await store.list(prefix: "/p/", startAfter: nil, limit: nil, atRevision: before)
            #expect(past.items == [a1, b1])
            #expect(past.revision == before)

            let pastPage = try await store.list(prefix: "/p/", startAfter: nil, limit: 1, atRevision: before)
            #expect(pastPage.items == [a1])
            #expect(pastPage.hasMore && pastPage.remainingCount == 1)

            let now = try await store.list(prefix: "/p/", startAfter: nil, limit: nil, atRevision: nil)
            #expect(now.items.map(\.key) == ["/p/a", "/p/c"])
            #expect(now.items.last == c1)

            await #expect(throws: StoreError.futureRevision(requested: c1.modRevision + 1, current: c1.modRevision)) {
                try await store.list(prefix: "/p/", startAfter: nil, limit: nil, atRevision: c1.modRevision + 1)
            }
        }
    }

    @Test("count counts live keys with the prefix", arguments: Backend.allCases)
    func count(backend: Backend) async throws {
        try await withStore(backend) { store in
            try await Self.fill(store)
            #expect(try await store.count(prefix: "/registry/pods/") == 5)
            #expect(try await store.count(prefix: "/registry/pods/kube-system/") == 2)
            #expect(try await store.count(prefix: "") == Int64(Self.pods.count + Self.others.count))
            _ = try await store.delete("/registry/pods/default/a")
            #expect(try await store.count(prefix: "/registry/pods/") == 4)
            #expect(try await store.count(prefix: "/nothing/") == 0)
        }
    }
}
