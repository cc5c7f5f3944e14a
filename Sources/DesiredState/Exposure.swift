import Networks
import Diagnostics

/// Who may reach a service, and how Caddy answers them. Every field defaults to what a service that
/// declares none of them gets: public, no auth, the default security headers, live.
public struct ServiceExposure: Sendable, Hashable {
    public var access: Access = .public
    /// Where `access:` is written, for policy messages (nil when not written).
    public var accessPosition: SourcePosition?
    /// `basic_auth:` users with their bcrypt hashes, in file order.
    public var basicAuth: [BasicAuthUser] = []
    /// Per-service header overrides, in file order: a value replaces (or adds) a header, nil drops a default.
    public var headers: [HeaderOverride] = []
    /// `maintenance: true`: the site stays, Caddy answers 503 instead of proxying.
    public var maintenance = false
    /// `own_login: true`: the service asks for its own login (no warning when it is public without basic auth).
    public var ownLogin = false

    public init() {}

    /// Declares none of the fields above.
    public var isDefault: Bool { self == ServiceExposure() }

    /// Anything that keeps an anonymous client on the internet out.
    public var isRestricted: Bool { access != .public || !basicAuth.isEmpty }

    public enum Access: Sendable, Hashable {
        case `public`
        /// Private ranges only: see `LANRanges`.
        case lan
        /// Only these networks (CIDR or single addresses, as written and validated).
        case networks([String])

        public var description: String {
            switch self {
            case .public: return "public"
            case .lan: return "lan"
            case .networks(let list): return list.joined(separator: ", ")
            }
        }
    }
}

public struct BasicAuthUser: Sendable, Hashable {
    public var user: String
    /// A bcrypt hash (`$2a$…`, `$2b$…`, `$2y$…`), as `caddy hash-password` prints it.
    public var hash: String

    public init(user: String, hash: String) {
        self.user = user
        self.hash = hash
    }
}

public struct HeaderOverride: Sendable, Hashable {
    public var name: String
    /// nil: do not send this default header.
    public var value: String?

    public init(name: String, value: String?) {
        self.name = name
        self.value = value
    }
}

/// What `access: lan` means: addresses that can only be a neighbour of the gateway, never a stranger
/// on the internet. CGNAT (100.64.0.0/10) is left out on purpose: it is the ISP's shared space (and
/// Tailscale's): list it explicitly when you mean it.
public enum LANRanges {
    public static let networks = [
        "10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16",  // RFC 1918
        "127.0.0.0/8", "::1/128",                         // loopback
        "169.254.0.0/16", "fe80::/10",                    // link-local
        "fc00::/7",                                       // IPv6 unique local (ULA)
    ]

    static let parsed = networks.compactMap { try? IPNetwork.parse($0).get() }

    /// True when every address of `network` is inside one of the ranges.
    public static func contains(_ network: IPNetwork) -> Bool {
        parsed.contains { $0.contains(network) }
    }
}

/// Security headers every managed site sends unless its service overrides them. HSTS has a modest
/// max-age (one week) and no includeSubDomains/preload: a home gateway's certificate can break, and
/// other names under the domain may be plain-HTTP devices on the LAN.
public enum DefaultSecurityHeaders {
    public static let headers: [(name: String, value: String)] = [
        ("Strict-Transport-Security", "max-age=604800"),
        ("X-Content-Type-Options", "nosniff"),
        ("Referrer-Policy", "strict-origin-when-cross-origin"),
    ]
}

/// How the router forwards the internet to this gateway; it decides which ACME challenges can work.
public struct ExternalPorts: Sendable, Hashable {
    /// The external port that reaches Caddy's HTTPS listener.
    public var https: Int = 443
    /// The external port that reaches Caddy's port 80; nil when nothing is forwarded there.
    public var http: Int? = 80
    /// Where `external_ports:` is written (nil: the defaults).
    public var position: SourcePosition?

    public init(https: Int = 443, http: Int? = 80, position: SourcePosition? = nil) {
        self.https = https
        self.http = http
        self.position = position
    }
}
