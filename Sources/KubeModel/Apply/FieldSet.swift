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

    /// Adds `subset` under `element` (merging with what is there), and `element` itself when
    /// `isMember`: how the walks over objects build a level from the levels below it.
    mutating func add(_ subset: FieldSet, under element: FieldSetPathElement, isMember: Bool) {
        if isMember { members.insert(element) }
        guard !subset.isEmpty else { return }
        if let index = children.index(forKey: element) {
            children.values[index].formUnion(subset)
        } else {
            children[element] = subset
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
        if other.isEmpty { return self }
        if isEmpty { return other }
        var result = self
        result.formUnion(other)
        return result
    }

    mutating func formUnion(_ other: FieldSet) {
        if other.isEmpty { return }
        if isEmpty {
            self = other
            return
        }
        members.formUnion(other.members)
        for (element, subset) in other.children {
            if let index = children.index(forKey: element) {
                children.values[index].formUnion(subset)
            } else {
                children[element] = subset
            }
        }
    }

    public func intersection(_ other: FieldSet) -> FieldSet {
        if isEmpty || other.isEmpty { return FieldSet() }
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
        result.subtract(other)
        return result
    }

    /// Removes the paths of `other` (as `subtracting`); returns whether anything went, so callers
    /// can keep what they derived from the set when nothing did.
    @discardableResult
    mutating func subtract(_ other: FieldSet) -> Bool {
        if isEmpty || other.isEmpty { return false }
        var changed = false
        if removeMembers(other.members) { changed = true }
        if !children.isEmpty {
            for (element, otherSubset) in other.children {
                guard let index = children.index(forKey: element) else { continue }
                if children.values[index].subtract(otherSubset) {
                    changed = true
                    if children.values[index].isEmpty { children.remove(at: index) }
                }
            }
        }
        return changed
    }

    /// The paths of this set that are neither in `other` nor under one of its paths (upstream's
    /// `RecursiveDifference`, used to ignore whole subtrees such as `status`).
    public func subtractingRecursively(_ other: FieldSet) -> FieldSet {
        if isEmpty || other.isEmpty { return self }
        var result = self
        result.removeMembers(other.members)
        guard !children.isEmpty else { return result }
        // Walks `other`, usually the smaller (a few ignored fields).
        for element in other.members where children[element] != nil {
            result.children[element] = nil
        }
        for (element, otherSubset) in other.children where !other.members.contains(element) {
            guard let subset = children[element] else { continue }
            result.setChild(element, subset.subtractingRecursively(otherSubset))
        }
        return result
    }

    /// Removes `elements` from `members`; returns whether any was there. Looks up the smaller
    /// set's elements in the larger, and copies storage only when something goes.
    @discardableResult
    private mutating func removeMembers(_ elements: Set<FieldSetPathElement>) -> Bool {
        guard !members.isEmpty, !elements.isEmpty else { return false }
        if elements.count <= members.count {
            var removed = false
            for element in elements where members.remove(element) != nil { removed = true }
            return removed
        }
        var gone: [FieldSetPathElement] = []
        for element in members where elements.contains(element) { gone.append(element) }
        for element in gone { members.remove(element) }
        return !gone.isEmpty
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
