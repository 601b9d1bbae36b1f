/// The order structured-merge-diff sorts set items and list keys in (equality is the Patch
/// folder's `isSemanticallyEqual`, which matches upstream's).
extension JSONValue {
    /// Upstream's total order over values: numbers, then strings, booleans, lists, maps, null.
    /// Returns -1, 0 or 1.
    func structuralOrder(comparedTo other: JSONValue) -> Int {
        let (rank, otherRank) = (structuralRank, other.structuralRank)
        if rank != otherRank { return rank < otherRank ? -1 : 1 }
        switch (self, other) {
        case (.int(let a), .int(let b)): return a < b ? -1 : (a == b ? 0 : 1)
        case (.int, _), (.double, _):
            let (a, b) = (numericValue, other.numericValue)
            return a < b ? -1 : (a == b ? 0 : 1)
        case (.string(let a), .string(let b)): return compareBytes(a, b)
        case (.bool(let a), .bool(let b)): return a == b ? 0 : (a ? 1 : -1)
        case (.array(let a), .array(let b)):
            for (x, y) in zip(a, b) {
                let order = x.structuralOrder(comparedTo: y)
                if order != 0 { return order }
            }
            return a.count < b.count ? -1 : (a.count == b.count ? 0 : 1)
        case (.object(let a), .object(let b)):
            let keys = Set(a.keys).union(b.keys).sorted { compareBytes($0, $1) < 0 }
            for key in keys {
                guard let x = a[key] else { return 1 }
                guard let y = b[key] else { return -1 }
                let order = x.structuralOrder(comparedTo: y)
                if order != 0 { return order }
            }
            return 0
        default: return 0
        }
    }

    private var structuralRank: Int {
        switch self {
        case .int, .double: return 0
        case .string: return 1
        case .bool: return 2
        case .array: return 3
        case .object: return 4
        case .null: return 5
        }
    }

    private var numericValue: Double {
        switch self {
        case .int(let i): return Double(i)
        case .double(let d): return d
        default: return .nan
        }
    }

    /// Which of object/array/scalar this value is, to tell when two sides disagree on shape.
    var structuralKind: Int {
        switch self {
        case .object: return 2
        case .array: return 1
        default: return 0
        }
    }
}

/// Byte-wise string order, as Go compares strings. Returns -1, 0 or 1.
func compareBytes(_ a: String, _ b: String) -> Int {
    // Straight over the bytes when both are stored contiguously (native strings are).
    let fast = a.utf8.withContiguousStorageIfAvailable { x in
        b.utf8.withContiguousStorageIfAvailable { y -> Int in
            for index in 0..<min(x.count, y.count) where x[index] != y[index] {
                return x[index] < y[index] ? -1 : 1
            }
            return x.count == y.count ? 0 : (x.count < y.count ? -1 : 1)
        }
    }
    if let fast, let order = fast { return order }
    if a.utf8.elementsEqual(b.utf8) { return 0 }
    return a.utf8.lexicographicallyPrecedes(b.utf8) ? -1 : 1
}
