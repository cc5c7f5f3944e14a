/// A Caddy release, as `caddy version` prints it.
public struct CaddyVersion: Hashable, Sendable, Comparable, CustomStringConvertible {
    public let major: Int
    public let minor: Int
    public let patch: Int

    public init(_ major: Int, _ minor: Int, _ patch: Int) {
        self.major = major
        self.minor = minor
        self.patch = patch
    }

    /// The first line of `caddy version`: "v2.11.7 h1:yj0Y…=" (official builds), "2.6.2" (Debian's
    /// package), "v2.8.0-rc.1 h1:…" (a pre-release counts as its release). nil for what names no
    /// release, e.g. "(devel)" or an empty answer: the caller then renders for `CaddySyntax.portable`.
    public static func parse(_ output: String) -> CaddyVersion? {
        guard let word = output.split(whereSeparator: { $0 == " " || $0 == "\n" || $0 == "\t" || $0 == "\r" }).first else { return nil }
        var text = Substring(word)
        if text.first == "v" { text = text.dropFirst() }
        if let dash = text.firstIndex(where: { $0 == "-" || $0 == "+" }) { text = text[..<dash] }
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3 else { return nil }
        var numbers: [Int] = []
        for part in parts {
            guard !part.isEmpty, part.count <= 6, part.allSatisfy(\.isASCII), let number = Int(part), number >= 0 else { return nil }
            numbers.append(number)
        }
        return CaddyVersion(numbers[0], numbers[1], numbers[2])
    }

    public var description: String { "\(major).\(minor).\(patch)" }

    public static func < (lhs: CaddyVersion, rhs: CaddyVersion) -> Bool {
        (lhs.major, lhs.minor, lhs.patch) < (rhs.major, rhs.minor, rhs.patch)
    }

    /// Debian 12's package, and the oldest Caddy we test against.
    public static let debianBookworm = CaddyVersion(2, 6, 2)
    /// What `caddy:latest` ran when this was written, and the newest Caddy we test against.
    public static let latestTested = CaddyVersion(2, 11, 7)
}

/// How to write a Caddyfile for the Caddy that will read it. Every difference between the
/// versions we render for lives here, with the release that brought it.
///
/// Unknown version (the default when the serving Caddy could not be asked, or printed no
/// release): `portable`, the spellings every Caddy from 2.6.2 to 2.11.7 reads the same way.
/// `basicauth` is one of them: 2.8+ still accepts it (with a deprecation warning in its log).
///
/// Not a difference on purpose: access rules use `remote_ip` in every version. `client_ip`
/// (2.7+) follows `X-Forwarded-For` from the proxies a user trusts in the global options; the
/// LAN-only guarantee must match the connecting peer, which is what `remote_ip` (without its
/// `forwarded` option, removed in 2.7) matches.
public struct CaddySyntax: Hashable, Sendable {
    /// nil: unknown, so portable.
    public let version: CaddyVersion?

    public init(for version: CaddyVersion?) {
        self.version = version
    }

    public static let portable = CaddySyntax(for: nil)

    /// `basic_auth` from 2.8.0 (caddyserver/caddy f9e1115); `basicauth` before, and when unknown.
    public var basicAuthDirective: String {
        guard let version, version >= CaddyVersion(2, 8, 0) else { return "basicauth" }
        return "basic_auth"
    }

    /// From 2.11.7 (caddyserver/caddy#7875, after 2.11.4), a quoted "{" or "}" is an argument;
    /// before, any token whose text is a brace is block structure, so it cannot be written.
    public var quotedBracesAreArguments: Bool {
        guard let version else { return false }
        return version >= CaddyVersion(2, 11, 7)
    }

    /// For the plan: "Caddy 2.11.7", or the unknown case in words.
    public var description: String {
        guard let version else {
            return "an unknown Caddy version (portable syntax, read alike by Caddy \(CaddyVersion.debianBookworm) to \(CaddyVersion.latestTested))"
        }
        return "Caddy \(version)"
    }
}
