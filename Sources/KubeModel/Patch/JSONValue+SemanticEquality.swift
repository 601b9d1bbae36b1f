extension JSONValue {
    /// Equality as JSON means it: numbers compare by value however they were written (1 == 1.0)
    /// and object members compare regardless of order. Patches compare documents this way, since
    /// `==` also compares member order and number spelling.
    func isSemanticallyEqual(to other: JSONValue) -> Bool {
        switch (self, other) {
        case (.int(let integer), .double(let double)), (.double(let double), .int(let integer)):
            return Int64(exactly: double) == integer
        case (.array(let left), .array(let right)):
            return left.count == right.count && zip(left, right).allSatisfy { $0.isSemanticallyEqual(to: $1) }
        case (.object(let left), .object(let right)):
            return left.count == right.count
                && left.allSatisfy { key, value in right[key].map(value.isSemanticallyEqual(to:)) ?? false }
        default:
            return self == other
        }
    }
}

extension Array where Element == JSONValue {
    func containsSemantically(_ value: JSONValue) -> Bool {
        contains { $0.isSemanticallyEqual(to: value) }
    }

    func firstIndexSemantically(of value: JSONValue) -> Int? {
        firstIndex { $0.isSemanticallyEqual(to: value) }
    }

    /// The values in their order, each kept at its first appearance only.
    func removingSemanticDuplicates() -> [JSONValue] {
        var unique: [JSONValue] = []
        for value in self where !unique.containsSemantically(value) {
            unique.append(value)
        }
        return unique
    }
}
