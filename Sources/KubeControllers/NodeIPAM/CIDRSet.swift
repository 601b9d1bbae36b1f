/// The /N subnets of an IPv4 cluster CIDR and which are in use (upstream's cidrset): allocation
/// goes round from the last one handed out, so a released subnet is not reused soon after.
struct CIDRSet: Sendable {
    let base: UInt32
    let clusterPrefix: Int
    let subnetPrefix: Int
    private var used: [Bool]
    private var next = 0

    enum Failure: Error, Equatable { case invalidCIDR(String), invalidMaskSize(Int) }

    init(cidr: String, subnetPrefix: Int) throws {
        let parts = cidr.split(separator: "/")
        guard parts.count == 2, let prefix = Int(parts[1]), (0...32).contains(prefix), let address = Self.parse(String(parts[0])) else {
            throw Failure.invalidCIDR(cidr)
        }
        guard subnetPrefix >= prefix, subnetPrefix <= 32, subnetPrefix - prefix <= 16 else { throw Failure.invalidMaskSize(subnetPrefix) }
        let mask: UInt32 = prefix == 0 ? 0 : ~UInt32(0) << UInt32(32 - prefix)
        base = address & mask
        clusterPrefix = prefix
        self.subnetPrefix = subnetPrefix
        used = Array(repeating: false, count: 1 << (subnetPrefix - prefix))
    }

    var capacity: Int { used.count }

    func cidr(_ index: Int) -> String {
        let address = base + UInt32(index) << UInt32(32 - subnetPrefix)
        return "\(address >> 24).\((address >> 16) & 0xff).\((address >> 8) & 0xff).\(address & 0xff)/\(subnetPrefix)"
    }

    /// The index of a subnet of this set, nil when `cidr` is not one.
    func index(of cidr: String) -> Int? {
        let parts = cidr.split(separator: "/")
        guard parts.count == 2, Int(parts[1]) == subnetPrefix, let address = Self.parse(String(parts[0])) else { return nil }
        let offset = address &- base
        guard address >= base, offset >> UInt32(32 - subnetPrefix) < UInt32(used.count),
              offset & ((1 << UInt32(32 - subnetPrefix)) - 1) == 0 else { return nil }
        return Int(offset >> UInt32(32 - subnetPrefix))
    }

    /// Takes the next free subnet; nil when all are in use.
    mutating func allocate() -> Int? {
        for step in 0..<used.count {
            let candidate = (next + step) % used.count
            if !used[candidate] {
                used[candidate] = true
                next = (candidate + 1) % used.count
                return candidate
            }
        }
        return nil
    }

    mutating func occupy(_ index: Int) { used[index] = true }

    mutating func release(_ index: Int) { used[index] = false }

    func isUsed(_ index: Int) -> Bool { used[index] }

    static func parse(_ text: String) -> UInt32? {
        let octets = text.split(separator: ".", omittingEmptySubsequences: false)
        guard octets.count == 4 else { return nil }
        var value: UInt32 = 0
        for octet in octets {
            guard let number = UInt8(octet) else { return nil }
            value = value << 8 | UInt32(number)
        }
        return value
    }
}
