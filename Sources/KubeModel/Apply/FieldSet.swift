/// A set of field paths, stored as a tree as upstream's `fieldpath.Set` is: `members` are the
/// elements that are themselves in the set, `children` the subsets under an element. An element
/// can be both (a list item owned as a whole, `.`, and some of its fields).
public struct FieldSet: Sendable, Equatable, CustomStringConvertible {
    public internal(set) var members: Set<FieldSetPathElement>
    /// Never holds an empty subset.
    public internal(set) var children: [FieldSetPathElement: FieldSet]

    public init() {
        members = []
        children = [:]
    }

    public init(_ paths: some Sequence<FieldSetPath>) {
        self.init()
        for path in paths { insert(path) }
    }

    public var isEmpty: Bool { members.isEmpty && children.isEmpty }

    public mutating func insert(_ path: FieldSetPath) {
        insert(path.elements[...])
    }

    private mutating func insert(_ elements: ArraySlice<FieldSetPathElement>) {
        guard let first = elements.first else { return }
        if elements.count == 1 {
            members.insert(first)
        } else {
            children[first, default: FieldSet()].insert(elements.dropFirst())
        }
    }

    public func contains(_ path: FieldSetPath) -> Bool {
        var current = self
        for (position, element) in path.elements.enumerated() {
            if position == path.elements.count - 1 { return current.members.contains(element) }
            guard let next = current.children[element] else { return false }
            current = next
        }
        return false
    }

    /// The subset under one element, with that element taken off each path (upstream's `WithPrefix`).
    public func child(_ element: FieldSetPathElement) -> FieldSet { children[element] ?? FieldSet() }

    public func union(_ other: FieldSet) -> FieldSet {
        var result = self
        result.members.formUnion(other.members)
        for (element, subset) in other.children {
            result.children[element] = result.children[element].map { $0.union(subset) } ?? subset
        }
        return result
    }

    public func intersection(_ other: FieldSet) -> FieldSet {
        var result = FieldSet()
        result.members = members.intersection(other.members)
        for (element, subset) in children {
            guard let otherSubset = other.children[element] else { continue }
            result.setChild(element, subset.intersection(otherSubset))
        }
        return result
    }

    /// The paths of this set that are not in `other`; paths under a path of `other` stay.
    public func subtracting(_ other: FieldSet) -> FieldSet {
        var result = self
        result.members.subtract(other.members)
        for (element, otherSubset) in other.children {
            guard let subset = children[element] else { continue }
            result.setChild(element, subset.subtracting(otherSubset))
        }
        return result
    }

    /// The paths of this set that are neither in `other` nor under one of its paths (upstream's
    /// `RecursiveDifference`, used to ignore whole subtrees such as `status`).
    public func subtractingRecursively(_ other: FieldSet) -> FieldSet {
        var result = self
        result.members.subtract(other.members)
        for (element, subset) in children {
            if other.members.contains(element) {
                result.children[element] = nil
            } else if let otherSubset = other.children[element] {
                result.setChild(element, subset.subtractingRecursively(otherSubset))
            }
        }
        return result
    }

    private mutating func setChild(_ element: FieldSetPathElement, _ subset: FieldSet) {
        children[element] = subset.isEmpty ? nil : subset
    }

    /// Every path of the set in upstream's iteration order: members first, then each child's
    /// paths, both sorted.
    public var paths: [FieldSetPath] {
        var result: [FieldSetPath] = []
        collectPaths(prefix: [], into: &result)
        return result
    }

    private func collectPaths(prefix: [FieldSetPathElement], into result: inout [FieldSetPath]) {
        for member in members.sorted() { result.append(FieldSetPath(prefix + [member])) }
        for element in children.keys.sorted() {
            children[element]!.collectPaths(prefix: prefix + [element], into: &result)
        }
    }

    public var description: String { paths.map(\.description).joined(separator: "\n") }
}
