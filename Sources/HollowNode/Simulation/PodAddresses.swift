/// An IPv4 network in CIDR notation ("10.42.3.0/24").
public struct IPv4Network: Sendable, Hashable, CustomStringConvertible {
    /// The network address (host bits cleared).
    public var base: UInt32
    public var prefixLength: Int

    public init?(_ text: String) {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, let prefix = Int(parts[1]), (0...32).contains(prefix),
              let address = IPv4Network.parseAddress(String(parts[0])) else { return nil }
        prefixLength = prefix
        base = address & IPv4Network.mask(prefix)
    }

    public init(base: UInt32, prefixLength: Int) {
        self.prefixLength = prefixLength
        self.base = base & IPv4Network.mask(prefixLength)
    }

    public var size: UInt64 { UInt64(1) << UInt64(32 - prefixLength) }
    public var description: String { IPv4Network.format(base) + "/\(prefixLength)" }

    /// The address `offset` places after the network address.
    public func address(at offset: UInt32) -> String { IPv4Network.format(base &+ offset) }

    /// The `index`-th subnet of `prefixLength` inside this network, nil past the end.
    public func subnet(_ index: Int, prefixLength length: Int) -> IPv4Network? {
        guard length >= prefixLength, length <= 32, index >= 0,
              UInt64(index) < UInt64(1) << UInt64(length - prefixLength) else { return nil }
        return IPv4Network(base: base &+ UInt32(UInt64(index) << UInt64(32 - length)), prefixLength: length)
    }

    /// How many subnets of `prefixLength` this network holds (0 when they would be larger).
    public func subnetCount(prefixLength length: Int) -> Int {
        guard length >= prefixLength, length <= 32 else { return 0 }
        return Int(min(UInt64(1) << UInt64(length - prefixLength), UInt64(Int.max)))
    }

    public func contains(_ address: UInt32) -> Bool { address & IPv4Network.mask(prefixLength) == base }

    static func mask(_ prefix: Int) -> UInt32 { prefix == 0 ? 0 : UInt32.max << UInt32(32 - prefix) }

    public static func parseAddress(_ text: String) -> UInt32? {
        let octets = text.split(separator: ".", omittingEmptySubsequences: false)
        guard octets.count == 4 else { return nil }
        var value: UInt32 = 0
        for octet in octets {
            guard !octet.isEmpty, octet.count <= 3, octet.allSatisfy(\.isASCII), let byte = UInt8(octet) else { return nil }
            value = value << 8 | UInt32(byte)
        }
        return value
    }

    public static func format(_ address: UInt32) -> String {
        "\(address >> 24).\(address >> 16 & 0xFF).\(address >> 8 & 0xFF).\(address & 0xFF)"
    }
}

/// Pod addresses of one node, handed out from its podCIDR as the host-local IPAM plugin does:
/// the first address is the bridge's gateway, the last the broadcast address; the others go to
/// pods, the next free one after the last handed out, wrapping around.
struct PodAddressPool: Sendable {
    let network: IPv4Network
    private var used: Set<UInt32> = []
    private var cursor: UInt32

    init(network: IPv4Network) {
        self.network = network
        cursor = 1
    }

    /// Offsets usable by pods: 2 … size-2 (1 is the gateway).
    private var firstOffset: UInt32 { 2 }
    private var lastOffset: UInt32 { UInt32(min(network.size, UInt64(UInt32.max))) &- 2 }

    var capacity: Int { lastOffset >= firstOffset ? Int(lastOffset - firstOffset + 1) : 0 }
    var inUse: Int { used.count }

    /// The next free address, nil when the range is exhausted.
    mutating func allocate() -> String? {
        guard capacity > 0, used.count < capacity else { return nil }
        var offset = cursor
        repeat {
            offset = offset >= lastOffset || offset < firstOffset ? firstOffset : offset + 1
            if !used.contains(offset) {
                used.insert(offset)
                cursor = offset
                return network.address(at: offset)
            }
        } while offset != cursor
        return nil
    }

    /// Marks an address as taken (a pod that already had it); false when it is not in the range.
    @discardableResult
    mutating func reserve(_ address: String) -> Bool {
        guard let value = IPv4Network.parseAddress(address), network.contains(value) else { return false }
        let offset = value &- network.base
        guard offset >= firstOffset, offset <= lastOffset else { return false }
        used.insert(offset)
        return true
    }

    mutating func release(_ address: String) {
        guard let value = IPv4Network.parseAddress(address), network.contains(value) else { return }
        used.remove(value &- network.base)
    }
}
