import Testing
@testable import KubeStore

@Suite("Key ranges")
struct KeyRangeTests {
    @Test("prefix ranges contain exactly the keys with the prefix", arguments: [
        ("/a/", "/a/x", true), ("/a/", "/a/", true), ("/a/", "/a", false), ("/a/", "/a0", false), ("/a/", "/b/", false),
        ("", "anything", true), ("", "\u{10FFFF}", true), ("/é/", "/é/x", true), ("/é/", "/f/", false),
    ])
    func prefix(prefix: String, key: String, contained: Bool) {
        #expect(KeyRange(prefix: prefix).contains(key) == contained)
    }

    @Test("startAfter excludes the key itself and everything before it")
    func startAfter() {
        let range = KeyRange(prefix: "/a/", startAfter: "/a/m")
        #expect(!range.contains("/a/b"))
        #expect(!range.contains("/a/m"))
        #expect(range.contains("/a/m\u{0}"))
        #expect(range.contains("/a/ma"))
        #expect(range.contains("/a/z"))
        #expect(KeyRange(prefix: "/a/", startAfter: "/0").contains("/a/"))
    }
}
