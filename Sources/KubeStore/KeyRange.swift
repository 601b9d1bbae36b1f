/// A half-open range of keys in UTF-8 byte order, which is how SQLite's BINARY collation and etcd order keys.
///
/// Built from a prefix and an optional exclusive start key so both backends select exactly the same keys.
struct KeyRange: Sendable, Equatable {
    /// Inclusive lower bound.
    var lower: [UInt8]
    /// Exclusive upper bound. Never empty: for the empty prefix it is [0xFF], a byte that valid UTF-8 never
    /// contains, so it sorts above every key.
    var upper: [UInt8]

    init(prefix: String, startAfter: String? = nil) {
        let prefixBytes = Array(prefix.utf8)
        var lower = prefixBytes
        if let startAfter {
            // The smallest key strictly after `startAfter` is `startAfter` followed by a NUL byte.
            let successor = Array(startAfter.utf8) + [0]
            if lower.lexicographicallyPrecedes(successor) { lower = successor }
        }
        self.lower = lower
        self.upper = Self.prefixEnd(prefixBytes)
    }

    /// The smallest byte string greater than every string starting with `prefix`.
    private static func prefixEnd(_ prefix: [UInt8]) -> [UInt8] {
        // UTF-8 never contains 0xFF, so the last byte of a non-empty prefix can always be incremented.
        guard let last = prefix.last else { return [0xFF] }
        var end = prefix
        end[end.count - 1] = last + 1
        return end
    }

    func contains(_ key: String) -> Bool {
        !key.utf8.lexicographicallyPrecedes(lower) && key.utf8.lexicographicallyPrecedes(upper)
    }
}

extension String {
    /// Key order: UTF-8 bytes, not Swift's Unicode-aware `<`.
    func precedesInKeyOrder(_ other: String) -> Bool {
        utf8.lexicographicallyPrecedes(other.utf8)
    }
}
