import FoundationEssentials

/// An OpenSSH known_hosts file, read the way `ssh` reads it: plain and hashed (`|1|salt|hash`) host patterns,
/// `[host]:port` for ports other than 22, wildcards, negations, and `@revoked`. `@cert-authority` lines are
/// not supported and never match.
public struct KnownHosts: Sendable {
    struct Entry: Sendable {
        var marker: String?
        var patterns: String
        var key: [UInt8]
    }

    public enum Verdict: Sendable, Equatable {
        case trusted
        /// No line names this host.
        case unknown
        /// Lines name this host, with other keys: possibly a man in the middle.
        case mismatch
        case revoked
    }

    var entries: [Entry]

    public init(text: String) {
        entries = text.split(whereSeparator: \.isNewline).compactMap { line in
            var fields = line.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
            guard let first = fields.first, !first.hasPrefix("#") else { return nil }
            var marker: String?
            if first.hasPrefix("@") {
                marker = first
                fields.removeFirst()
            }
            guard fields.count >= 3, let key = Data(base64Encoded: fields[2]) else { return nil }
            return Entry(marker: marker, patterns: fields[0], key: Array(key))
        }
    }

    /// How a host name appears in known_hosts: `host`, or `[host]:port` off port 22.
    public static func hostName(_ host: String, port: Int?) -> String {
        guard let port, port != 22 else { return host }
        return "[\(host)]:\(port)"
    }

    public func verify(host: String, port: Int?, key: [UInt8]) -> Verdict {
        let name = KnownHosts.hostName(host, port: port)
        let matching = entries.filter { KnownHosts.matches(name, patterns: $0.patterns) }
        if matching.contains(where: { $0.marker == "@revoked" && $0.key == key }) { return .revoked }
        let plain = matching.filter { $0.marker == nil }
        if plain.contains(where: { $0.key == key }) { return .trusted }
        return plain.isEmpty ? .unknown : .mismatch
    }

    /// The line that records `key` for a host (trust on first use).
    public static func line(host: String, port: Int?, key: [UInt8]) -> String {
        "\(hostName(host, port: port)) \(keyType(key) ?? "ssh-unknown") \(Data(key).base64EncodedString())"
    }

    /// The algorithm name at the start of an SSH public key blob (`ssh-ed25519`, `ssh-rsa`, …).
    static func keyType(_ blob: [UInt8]) -> String? {
        guard blob.count >= 4 else { return nil }
        let length = Int(blob[0]) << 24 | Int(blob[1]) << 16 | Int(blob[2]) << 8 | Int(blob[3])
        guard length > 0, length < 64, blob.count >= 4 + length else { return nil }
        return String(decoding: blob[4..<(4 + length)], as: UTF8.self)
    }

    /// A comma-separated pattern list: any positive match, and no negated one.
    static func matches(_ name: String, patterns: String) -> Bool {
        if patterns.hasPrefix("|1|") { return matchesHashed(name, patterns) }
        var matched = false
        for pattern in patterns.split(separator: ",") {
            if pattern.hasPrefix("!") {
                if glob(Array(pattern.dropFirst().lowercased()), Array(name.lowercased())) { return false }
            } else if glob(Array(pattern.lowercased()), Array(name.lowercased())) {
                matched = true
            }
        }
        return matched
    }

    static func matchesHashed(_ name: String, _ field: String) -> Bool {
        let parts = field.split(separator: "|", omittingEmptySubsequences: true)
        guard parts.count == 3, let salt = Data(base64Encoded: String(parts[1])), let hash = Data(base64Encoded: String(parts[2])) else {
            return false
        }
        return SHA1.hmac(key: Array(salt), message: Array(name.utf8)) == Array(hash)
    }

    /// `*` and `?` wildcards, as in ssh's match_pattern.
    static func glob(_ pattern: [Character], _ text: [Character]) -> Bool {
        var p = 0, t = 0, star = -1, mark = 0
        while t < text.count {
            if p < pattern.count && (pattern[p] == "?" || pattern[p] == text[t]) {
                p += 1; t += 1
            } else if p < pattern.count && pattern[p] == "*" {
                star = p; mark = t; p += 1
            } else if star >= 0 {
                p = star + 1; mark += 1; t = mark
            } else {
                return false
            }
        }
        while p < pattern.count && pattern[p] == "*" { p += 1 }
        return p == pattern.count
    }
}
