import Foundation
import KubeModel

/// An IPv4 or IPv6 address parsed the way Go's net package (in its "sloppy" legacy form that
/// upstream validation uses) reads one: dotted quads (leading zeros tolerated) and RFC 4291
/// IPv6 text, including an embedded dotted quad. IPv4-mapped IPv6 addresses count as IPv4.
struct IPAddress: Hashable, Sendable {
    /// 4 bytes for IPv4, 16 for IPv6.
    let bytes: [UInt8]

    init?(_ text: String) {
        if text.contains(":") {
            guard let parsed = Self.parseIPv6(text) else { return nil }
            let mappedPrefix: [UInt8] = Array(repeating: 0, count: 10) + [0xFF, 0xFF]
            bytes = Array(parsed.prefix(12)) == mappedPrefix ? Array(parsed.suffix(4)) : parsed
        } else {
            guard let parsed = Self.parseIPv4(text) else { return nil }
            bytes = parsed
        }
    }

    var isIPv4: Bool { bytes.count == 4 }
    var isUnspecified: Bool { bytes.allSatisfy { $0 == 0 } }
    var isLoopback: Bool { isIPv4 ? bytes[0] == 127 : bytes == Array(repeating: 0, count: 15) + [1] }
    var isLinkLocalUnicast: Bool {
        isIPv4 ? bytes[0] == 169 && bytes[1] == 254 : bytes[0] == 0xFE && bytes[1] & 0xC0 == 0x80
    }
    var isLinkLocalMulticast: Bool {
        isIPv4 ? bytes[0] == 224 && bytes[1] == 0 && bytes[2] == 0 : bytes[0] == 0xFF && bytes[1] & 0x0F == 0x02
    }

    static func parseIPv4(_ text: Substring) -> [UInt8]? {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 4 else { return nil }
        var result: [UInt8] = []
        for part in parts {
            guard !part.isEmpty, part.count <= 3, part.utf8.allSatisfy({ $0 >= 48 && $0 <= 57 }),
                let value = Int(part), value <= 255
            else { return nil }
            result.append(UInt8(value))
        }
        return result
    }

    static func parseIPv4(_ text: String) -> [UInt8]? { parseIPv4(text[...]) }

    static func parseIPv6(_ text: String) -> [UInt8]? {
        let halves = text.components(separatedBy: "::")
        guard halves.count <= 2 else { return nil }
        func groups(_ part: String, allowIPv4Tail: Bool) -> [UInt8]? {
            if part.isEmpty { return [] }
            var result: [UInt8] = []
            let pieces = part.split(separator: ":", omittingEmptySubsequences: false)
            for (index, piece) in pieces.enumerated() {
                if allowIPv4Tail, index == pieces.count - 1, piece.contains(".") {
                    guard let tail = parseIPv4(piece) else { return nil }
                    result += tail
                    continue
                }
                guard !piece.isEmpty, piece.count <= 4, let value = UInt16(piece, radix: 16) else { return nil }
                result += [UInt8(value >> 8), UInt8(value & 0xFF)]
            }
            return result
        }
        if halves.count == 1 {
            guard let all = groups(halves[0], allowIPv4Tail: true), all.count == 16 else { return nil }
            return all
        }
        guard let head = groups(halves[0], allowIPv4Tail: false), let tail = groups(halves[1], allowIPv4Tail: true),
            head.count + tail.count <= 14
        else { return nil }
        return head + Array(repeating: 0, count: 16 - head.count - tail.count) + tail
    }

    /// A CIDR (`10.42.0.0/16`, `2001:db8::/64`): its address and prefix length.
    static func parseCIDR(_ text: String) -> (address: IPAddress, prefix: Int)? {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, let address = IPAddress(String(parts[0])),
            parts[1].utf8.allSatisfy({ $0 >= 48 && $0 <= 57 }), let prefix = Int(parts[1]),
            prefix <= (text.contains(":") ? 128 : 32)
        else { return nil }
        return (address, prefix)
    }
}

/// Upstream's IP checks on API fields (IsValidIPForLegacyField, ValidateNonSpecialIP,
/// IsValidCIDRForLegacyField) with its wording.
enum IPChecks {
    static let invalidIP = "must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)"
    static let invalidCIDR = "must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)"

    static func ip(_ value: String, _ path: FieldPath) -> [FieldError] {
        IPAddress(value) == nil ? [.invalid(path, .string(value), invalidIP)] : []
    }

    static func cidr(_ value: String, _ path: FieldPath) -> [FieldError] {
        IPAddress.parseCIDR(value) == nil ? [.invalid(path, .string(value), invalidCIDR)] : []
    }

    /// Addresses an endpoint may not have: unspecified, loopback, link-local.
    static func nonSpecial(_ value: String, _ path: FieldPath) -> [FieldError] {
        guard let address = IPAddress(value) else { return [.invalid(path, .string(value), "must be a valid IP address")] }
        var errors: [FieldError] = []
        if address.isUnspecified { errors.append(.invalid(path, .string(value), "may not be unspecified (\(value))")) }
        if address.isLoopback {
            errors.append(.invalid(path, .string(value), "may not be in the loopback range (127.0.0.0/8, ::1/128)"))
        }
        if address.isLinkLocalUnicast {
            errors.append(.invalid(path, .string(value), "may not be in the link-local range (169.254.0.0/16, fe80::/10)"))
        }
        if address.isLinkLocalMulticast {
            errors.append(.invalid(path, .string(value), "may not be in the link-local multicast range (224.0.0.0/24, ff02::/10)"))
        }
        return errors
    }
}
