import KubeModel

/// A set of completion indexes as sorted, disjoint, non-adjacent closed ranges — the form
/// `status.completedIndexes` and `status.failedIndexes` are written in: "1,3-5,7" (two
/// adjacent indexes are listed, three or more become a range).
struct IndexIntervals: Sendable, Equatable, CustomStringConvertible {
    private(set) var ranges: [ClosedRange<Int>] = []

    init() {}

    init(_ indexes: some Sequence<Int>) {
        self = IndexIntervals().adding(indexes)
    }

    /// Parses the status form, ignoring malformed pieces and clipping to `0..<completions`.
    init(parsing text: String, completions: Int) {
        guard !text.isEmpty else { return }
        for piece in text.split(separator: ",", omittingEmptySubsequences: false) {
            let limits = piece.split(separator: "-", omittingEmptySubsequences: false)
            guard let first = Int(limits[0]) else { continue }
            if first >= completions { break }
            var last = first
            if limits.count > 1 {
                guard let parsed = Int(limits[1]) else { continue }
                last = min(parsed, completions - 1)
            }
            guard first <= last else { continue }
            if let previous = ranges.last, previous.upperBound == first - 1 {
                ranges[ranges.count - 1] = previous.lowerBound...last
            } else {
                ranges.append(first...last)
            }
        }
    }

    var total: Int { ranges.reduce(0) { $0 + $1.count } }

    var isEmpty: Bool { ranges.isEmpty }

    func contains(_ index: Int) -> Bool {
        var low = 0
        var high = ranges.count
        while low < high {
            let middle = (low + high) / 2
            if ranges[middle].upperBound >= index { high = middle } else { low = middle + 1 }
        }
        return high < ranges.count && ranges[high].lowerBound <= index
    }

    /// These intervals and `indexes` together.
    func adding(_ indexes: some Sequence<Int>) -> IndexIntervals {
        merging(IndexIntervals(ranges: Set(indexes).sorted().map { $0...$0 }))
    }

    func merging(_ other: IndexIntervals) -> IndexIntervals {
        let all = (ranges + other.ranges).sorted { $0.lowerBound < $1.lowerBound }
        var merged: [ClosedRange<Int>] = []
        for range in all {
            if let last = merged.last, range.lowerBound <= last.upperBound + 1 {
                merged[merged.count - 1] = last.lowerBound...max(last.upperBound, range.upperBound)
            } else {
                merged.append(range)
            }
        }
        return IndexIntervals(ranges: merged)
    }

    /// How many of `other`'s indexes are also in these intervals.
    func overlapCount(with other: IndexIntervals) -> Int {
        var count = 0
        for range in ranges {
            for candidate in other.ranges where candidate.overlaps(range) {
                count += min(range.upperBound, candidate.upperBound) - max(range.lowerBound, candidate.lowerBound) + 1
            }
        }
        return count
    }

    /// The first `count` indexes below `completions` not in these intervals.
    func firstMissing(_ count: Int, below completions: Int) -> [Int] {
        var result: [Int] = []
        var candidate = 0
        for range in ranges {
            while candidate < completions, result.count < count, candidate < range.lowerBound {
                result.append(candidate)
                candidate += 1
            }
            candidate = max(candidate, range.upperBound + 1)
        }
        while candidate < completions, result.count < count {
            result.append(candidate)
            candidate += 1
        }
        return result
    }

    var description: String {
        ranges.map { range in
            switch range.count {
            case 1: return "\(range.lowerBound)"
            case 2: return "\(range.lowerBound),\(range.upperBound)"
            default: return "\(range.lowerBound)-\(range.upperBound)"
            }
        }.joined(separator: ",")
    }

    private init(ranges: [ClosedRange<Int>]) {
        self.ranges = ranges
    }
}

extension CoreV1.Pod {
    /// The completion index annotation as a non-negative number, if valid.
    var completionIndex: Int? {
        guard let text = metadata.annotations?[JobKeys.completionIndex], let index = Int(text), index >= 0 else { return nil }
        return index
    }

    var hasJobTrackingFinalizer: Bool { metadata.finalizers?.contains(JobKeys.trackingFinalizer) ?? false }

    /// Failures of this pod's index so far, from its annotation (0 when absent or invalid).
    var indexFailureCount: Int { Self.count(metadata.annotations?[JobKeys.indexFailureCount]) }

    var indexIgnoredFailureCount: Int { Self.count(metadata.annotations?[JobKeys.indexIgnoredFailureCount]) }

    private static func count(_ text: String?) -> Int {
        guard let text, let value = Int(text), value >= 0, value <= Int(Int32.max) else { return 0 }
        return value
    }
}

extension Array where Element == CoreV1.Pod {
    /// The completion indexes these pods carry.
    var completionIndexes: Set<Int> { Set(compactMap(\.completionIndex)) }
}
