/// An IPv4 or IPv6 network as Home Assistant's `ip_network` reads one: an address with an optional
/// `/prefix` (or IPv4 `/netmask`), host bits zero. `description` is Python's `str(ip_network(x))`,
/// the form `.storage/http` stores (`127.0.0.1` → `127.0.0.1/32`, `::1` → `::1/128`).
public struct IPNetwork: Sendable, Hashable, CustomStringConvertible {
    /// 4 bytes (IPv4) or 16 (IPv6), host bits zero.
    public let address: [UInt8]
    public let prefixLength: Int

    public var isIPv4: Bool { address.count == 4 }

    /// Parse `text`; on failure the error says why, in words a user can act on.
    public static func parse(_ text: String) -> Result<IPNetwork, IPNetworkError> {
        let parts = text.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false)
        let addressText = String(parts[0])
        let address: [UInt8]
        if addressText.contains(":") {
            guard let v6 = parseIPv6(addressText) else { return .failure(.malformedAddress(text)) }
            address = v6
        } else {
            guard let v4 = parseIPv4(addressText) else { return .failure(.malformedAddress(text)) }
            address = v4
        }
        let bits = address.count * 8
        var prefix = bits
        if parts.count == 2 {
            let suffix = String(parts[1])
            if let length = Int(suffix), suffix.allSatisfy(\.isASCII), suffix.first != "+", suffix.first != "-" {
                guard (0...bits).contains(length) else { return .failure(.malformedPrefix(text)) }
                prefix = length
            } else if address.count == 4, let mask = parseIPv4(suffix), let length = prefixLength(ofNetmask: mask) {
                prefix = length
            } else {
                return .failure(.malformedPrefix(text))
            }
        }
        let network = IPNetwork(masking: address, prefixLength: prefix)
        guard network.address == address else { return .failure(.hostBitsSet(text, network: network.description)) }
        return .success(network)
    }

    public init(masking address: [UInt8], prefixLength: Int) {
        var masked = address
        for index in masked.indices {
            let keep = max(0, min(8, prefixLength - index * 8))
            masked[index] &= keep == 0 ? 0 : UInt8(truncatingIfNeeded: 0xFF << (8 - keep))
        }
        self.address = masked
        self.prefixLength = prefixLength
    }

    /// True when every address of `other` is in this network (same family).
    public func contains(_ other: IPNetwork) -> Bool {
        other.address.count == address.count && other.prefixLength >= prefixLength
            && IPNetwork(masking: other.address, prefixLength: prefixLength).address == address
    }

    public var description: String {
        (isIPv4 ? address.map(String.init).joined(separator: ".") : Self.formatIPv6(address)) + "/\(prefixLength)"
    }

    // MARK: parsing

    /// Four decimal octets, no leading zeros (Python refuses them: they once meant octal).
    static func parseIPv4(_ text: String) -> [UInt8]? {
        let octets = text.split(separator: ".", omittingEmptySubsequences: false)
        guard octets.count == 4 else { return nil }
        var result: [UInt8] = []
        for octet in octets {
            guard !octet.isEmpty, octet.count <= 3, octet.allSatisfy({ $0.isASCII && $0.isNumber }),
                  octet == "0" || octet.first != "0", let value = UInt8(octet) else { return nil }
            result.append(value)
        }
        return result
    }

    /// Eight groups of 1–4 hex digits, one `::` at most, an IPv4 tail allowed; no zone (`%eth0`).
    static func parseIPv6(_ text: String) -> [UInt8]? {
        guard !text.contains("%") else { return nil }
        let halves = text.split(separator: "::", omittingEmptySubsequences: false).map(String.init)
        guard halves.count <= 2 else { return nil }
        func groups(_ part: String, allowIPv4Tail: Bool) -> [UInt16]? {
            if part.isEmpty { return [] }
            var result: [UInt16] = []
            let fields = part.split(separator: ":", omittingEmptySubsequences: false)
            for (index, field) in fields.enumerated() {
                if allowIPv4Tail, index == fields.count - 1, field.contains(".") {
                    guard let v4 = parseIPv4(String(field)) else { return nil }
                    result += [UInt16(v4[0]) << 8 | UInt16(v4[1]), UInt16(v4[2]) << 8 | UInt16(v4[3])]
                } else {
                    guard (1...4).contains(field.count), field.allSatisfy(\.isHexDigit), let value = UInt16(field, radix: 16) else { return nil }
                    result.append(value)
                }
            }
            return result
        }
        let all: [UInt16]
        if halves.count == 2 {
            guard let head = groups(halves[0], allowIPv4Tail: false), let tail = groups(halves[1], allowIPv4Tail: true),
                  head.count + tail.count <= 7 else { return nil }
            all = head + Array(repeating: 0, count: 8 - head.count - tail.count) + tail
        } else {
            guard let full = groups(halves[0], allowIPv4Tail: true), full.count == 8 else { return nil }
            all = full
        }
        return all.flatMap { [UInt8($0 >> 8), UInt8($0 & 0xFF)] }
    }

    /// A contiguous netmask (`255.255.0.0`) as a prefix length.
    static func prefixLength(ofNetmask mask: [UInt8]) -> Int? {
        let value = mask.reduce(UInt32(0)) { $0 << 8 | UInt32($1) }
        let ones = value.leadingZeroBitCount == 0 ? (~value).leadingZeroBitCount : 0
        let expected: UInt32 = ones == 0 ? 0 : ~UInt32(0) << (32 - ones)
        return value == expected ? ones : nil
    }

    /// RFC 5952 text, as Python prints it: lowercase, the longest run (2+) of zero groups as `::`.
    static func formatIPv6(_ bytes: [UInt8]) -> String {
        let groups = stride(from: 0, to: 16, by: 2).map { UInt16(bytes[$0]) << 8 | UInt16(bytes[$0 + 1]) }
        var best = (start: -1, length: 0)
        var run = (start: -1, length: 0)
        for (index, group) in groups.enumerated() {
            if group == 0 {
                run = run.start < 0 ? (index, 1) : (run.start, run.length + 1)
                if run.length > best.length { best = run }
            } else {
                run = (-1, 0)
            }
        }
        let hex = groups.map { String($0, radix: 16) }
        guard best.length >= 2 else { return hex.joined(separator: ":") }
        let head = hex[..<best.start].joined(separator: ":")
        let tail = hex[(best.start + best.length)...].joined(separator: ":")
        return head + "::" + tail
    }
}

public enum IPNetworkError: Error, Sendable, Hashable, CustomStringConvertible {
    case malformedAddress(String)
    case malformedPrefix(String)
    case hostBitsSet(String, network: String)

    public var description: String {
        switch self {
        case .malformedAddress(let text): return "'\(text)' is not an IPv4 or IPv6 address or network"
        case .malformedPrefix(let text): return "'\(text)' has an invalid prefix length"
        case .hostBitsSet(let text, let network): return "'\(text)' has host bits set (the network is \(network))"
        }
    }
}
