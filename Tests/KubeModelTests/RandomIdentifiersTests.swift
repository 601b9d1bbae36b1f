import Testing
@testable import KubeModel

@Suite("Random identifiers")
struct RandomIdentifiersTests {
    @Test("UIDs are lowercase version 4 UUIDs and do not repeat")
    func uidShape() {
        let uids = (0..<1000).map { _ in RandomIdentifiers.uid() }
        #expect(Set(uids).count == uids.count)
        for uid in uids.prefix(50) {
            let groups = uid.split(separator: "-").map(String.init)
            #expect(groups.map(\.count) == [8, 4, 4, 4, 12])
            #expect(uid.allSatisfy { "0123456789abcdef-".contains($0) })
            #expect(groups[2].first == "4")
            #expect("89ab".contains(groups[3].first!))
        }
    }

    @Test("generated names keep a prefix of at most 58 characters and add five from the alphabet",
          arguments: ["web-", String(repeating: "a", count: 70)])
    func generatedName(prefix: String) {
        let name = RandomIdentifiers.name(prefix: prefix)
        let kept = String(prefix.prefix(58))
        #expect(name.hasPrefix(kept))
        #expect(name.count == kept.count + 5)
        #expect(name.suffix(5).allSatisfy { RandomIdentifiers.nameAlphabet.contains($0) })
    }
}
