/// Amounts by resource name ("pods", "requests.cpu"), with upstream's quota helpers
/// (k8s.io/apiserver/pkg/quota/v1): sums, masks, comparisons and the `name=value` print.
public typealias ResourceList = [String: Quantity]

public enum QuotaResourceList {
    /// Every name of either list; amounts of both add up.
    public static func add(_ a: ResourceList, _ b: ResourceList) -> ResourceList {
        a.merging(b) { $0 + $1 }
    }

    /// `a - b` for the names of `a`; a name only in `b` or a negative result becomes zero.
    public static func subtractNonNegative(_ a: ResourceList, _ b: ResourceList) -> ResourceList {
        var result: ResourceList = [:]
        for (name, amount) in a {
            let difference = amount - (b[name] ?? .zero)
            result[name] = difference > .zero ? difference : .zero
        }
        for name in b.keys where result[name] == nil { result[name] = .zero }
        return result
    }

    /// Only the given names.
    public static func mask(_ list: ResourceList, _ names: some Sequence<String>) -> ResourceList {
        var result: ResourceList = [:]
        for name in names { if let amount = list[name] { result[name] = amount } }
        return result
    }

    /// The names whose amount in `a` exceeds the one in `b` (names missing from either pass).
    public static func exceeding(_ a: ResourceList, _ b: ResourceList) -> [String] {
        b.compactMap { name, limit in a[name].map { $0 > limit } == true ? name : nil }.sorted()
    }

    public static func removingZeros(_ list: ResourceList) -> ResourceList {
        list.filter { !$0.value.isZero }
    }

    public static func negativeNames(_ list: ResourceList) -> [String] {
        list.filter { $0.value < .zero }.keys.sorted()
    }

    /// `cpu=1,pods=2`, sorted by name (upstream's prettyPrint).
    public static func text(_ list: ResourceList) -> String {
        list.keys.sorted().map { "\($0)=\(list[$0]!)" }.joined(separator: ",")
    }

    public static func json(_ list: ResourceList) -> JSONValue {
        .object(JSONObject(uniqueKeysWithValues: list.keys.sorted().map { ($0, list[$0]!.toJSON()) }))
    }

    /// A list from JSON; entries that are not quantities are left out.
    public static func parse(_ json: JSONValue?) -> ResourceList {
        var result: ResourceList = [:]
        for (name, value) in json?.objectValue ?? [:] {
            if let amount = try? Quantity(json: value) { result[name] = amount }
        }
        return result
    }
}
