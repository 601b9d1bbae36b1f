import Foundation

/// A binary min-heap of queued pods keyed by pod key, so a pod can be found, replaced or
/// removed in O(log n). Order: lower `rank` first, then earlier `time`.
struct PodHeap: Sendable {
    struct Entry: Sendable {
        var rank: Int
        var time: Date
        var info: QueuedPodInfo
        var key: String { info.podInfo.key }
    }

    private var entries: [Entry] = []
    private var positions: [String: Int] = [:]

    var count: Int { entries.count }
    var isEmpty: Bool { entries.isEmpty }
    var first: Entry? { entries.first }

    func contains(_ key: String) -> Bool { positions[key] != nil }
    func get(_ key: String) -> QueuedPodInfo? { positions[key].map { entries[$0].info } }
    var all: [QueuedPodInfo] { entries.map(\.info) }

    /// Adds or replaces the entry for the pod's key.
    mutating func upsert(_ entry: Entry) {
        if let index = positions[entry.key] {
            entries[index] = entry
            siftUp(siftDown(index))
        } else {
            entries.append(entry)
            positions[entry.key] = entries.count - 1
            siftUp(entries.count - 1)
        }
    }

    @discardableResult
    mutating func remove(_ key: String) -> QueuedPodInfo? {
        guard let index = positions[key] else { return nil }
        let removed = entries[index]
        let last = entries.count - 1
        if index != last {
            swapAt(index, last)
        }
        entries.removeLast()
        positions[key] = nil
        if index < entries.count { siftUp(siftDown(index)) }
        return removed.info
    }

    mutating func popFirst() -> QueuedPodInfo? {
        guard let first = entries.first else { return nil }
        return remove(first.key)
    }

    private func less(_ a: Int, _ b: Int) -> Bool {
        let left = entries[a]
        let right = entries[b]
        return left.rank != right.rank ? left.rank < right.rank : left.time < right.time
    }

    private mutating func swapAt(_ a: Int, _ b: Int) {
        entries.swapAt(a, b)
        positions[entries[a].key] = a
        positions[entries[b].key] = b
    }

    private mutating func siftUp(_ start: Int) {
        var child = start
        while child > 0 {
            let parent = (child - 1) / 2
            guard less(child, parent) else { return }
            swapAt(child, parent)
            child = parent
        }
    }

    /// Returns where the element ended up.
    private mutating func siftDown(_ start: Int) -> Int {
        var parent = start
        while true {
            let left = 2 * parent + 1
            let right = left + 1
            var smallest = parent
            if left < entries.count && less(left, smallest) { smallest = left }
            if right < entries.count && less(right, smallest) { smallest = right }
            if smallest == parent { return parent }
            swapAt(parent, smallest)
            parent = smallest
        }
    }
}
