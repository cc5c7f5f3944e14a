#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// An IP address or CIDR network as written in the desired state (`127.0.0.1`, `172.16.0.0/12`, `::1`).
public struct IPNetwork: Sendable, Hashable, CustomStringConvertible {
    public var address: String
    public var prefixLength: Int
    public var isIPv6: Bool

    /// Parses `address` or `address/prefix`; nil when either part is malformed.
    public init?(_ text: String) {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard (1...2).contains(parts.count) else { return nil }
        let address = String(parts[0])
        var buffer = [UInt8](repeating: 0, count: 16)
        if inet_pton(AF_INET, address, &buffer) == 1 {
            isIPv6 = false
        } else if inet_pton(AF_INET6, address, &buffer) == 1 {
            isIPv6 = true
        } else {
            return nil
        }
        let maxPrefix = isIPv6 ? 128 : 32
        if parts.count == 2 {
            guard let prefix = Int(parts[1]), (0...maxPrefix).contains(prefix), parts[1].allSatisfy(\.isNumber) else { return nil }
            prefixLength = prefix
        } else {
            prefixLength = maxPrefix
        }
        self.address = address
    }

    /// True for `0.0.0.0/0` and `::/0`-like networks: trusting them trusts the whole internet.
    public var coversEverything: Bool { prefixLength == 0 }

    public var description: String {
        prefixLength == (isIPv6 ? 128 : 32) ? address : "\(address)/\(prefixLength)"
    }
}
