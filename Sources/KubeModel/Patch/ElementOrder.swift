/// The order of a merged list, as upstream's strategic merge patch settles it: the order the patch
/// asks for (its `$setElementOrder` list, else the order of the patch list itself) beats the
/// order on the server. Items the patch names come in the patch's order; items only the server
/// has keep their server order; and the two runs interleave so that a server-only item stays in
/// front of the patch items it preceded on the server. Items new to the server therefore land
/// where the patch puts them relative to the items it names, and ahead of any server-only item
/// that follows them (a patch naming only new containers puts them first, as upstream does).
enum ElementOrder {
    static func arrange(
        _ merged: [JSONValue],
        patchOrder: [JSONValue],
        serverOrder: [JSONValue],
        identity: (JSONValue) -> JSONValue?
    ) -> [JSONValue] {
        let patchKeys = patchOrder.compactMap(identity)
        let serverKeys = serverOrder.compactMap(identity)
        func position(of item: JSONValue, in keys: [JSONValue]) -> Int? {
            identity(item).flatMap(keys.firstIndexSemantically(of:))
        }

        var named: [(item: JSONValue, rank: Int)] = []
        var serverOnly: [JSONValue] = []
        for item in merged {
            if let rank = position(of: item, in: patchKeys) {
                named.append((item, rank))
            } else {
                serverOnly.append(item)
            }
        }
        // Stable: equal ranks (duplicates) keep the order they had.
        let patchRun = named.enumerated()
            .sorted { ($0.element.rank, $0.offset) < ($1.element.rank, $1.offset) }
            .map(\.element.item)

        var result: [JSONValue] = []
        result.reserveCapacity(merged.count)
        var serverIndex = 0
        var patchIndex = 0
        while serverIndex < serverOnly.count || patchIndex < patchRun.count {
            let takeServerItem: Bool
            if patchIndex == patchRun.count {
                takeServerItem = true
            } else if serverIndex == serverOnly.count {
                takeServerItem = false
            } else if let serverRank = position(of: serverOnly[serverIndex], in: serverKeys),
                      let patchRank = position(of: patchRun[patchIndex], in: serverKeys) {
                takeServerItem = serverRank < patchRank
            } else {
                takeServerItem = false
            }
            if takeServerItem {
                result.append(serverOnly[serverIndex])
                serverIndex += 1
            } else {
                result.append(patchRun[patchIndex])
                patchIndex += 1
            }
        }
        return result
    }
}
