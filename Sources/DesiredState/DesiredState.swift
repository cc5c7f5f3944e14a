import Diagnostics

/// What the exposure repo declares: the domain and the services published through Caddy.
public struct DesiredState: Sendable, Hashable {
    /// The file it was read from, as shown in messages.
    public var file: String
    public var domain: String
    public var services: [ServiceSpec]
    /// Networks Home Assistant must trust as proxies; nil means the default for the gateway's layout.
    public var trustedProxies: [String]?
    /// `external_ports:` how the router forwards to Caddy (default 443 and 80).
    public var externalPorts = ExternalPorts()

    public init(file: String, domain: String, services: [ServiceSpec], trustedProxies: [String]? = nil) {
        self.file = file
        self.domain = domain
        self.services = services
        self.trustedProxies = trustedProxies
    }

    /// Loopback and the Docker range Caddy's bridge network comes from on the gateway.
    public static let defaultTrustedProxies = ["127.0.0.1", "::1", "172.16.0.0/12"]

    public var homeAssistant: ServiceSpec? { services.first { $0.isHomeAssistant } }
}

/// One exposed service.
public struct ServiceSpec: Sendable, Hashable {
    public var name: String
    /// `@` for the apex, or a label, as written.
    public var host: String
    /// The full host name Caddy serves.
    public var fqdn: String
    public var upstream: Upstream
    /// The docker-compose service that runs it, if it runs in the gateway's compose project.
    public var composeService: String?
    public var isHomeAssistant: Bool
    /// Where the service is declared (its key), for messages.
    public var position: SourcePosition
    /// `access`, `basic_auth`, `headers`, `maintenance`, `own_login` (see `ServiceExposure`).
    public var exposure = ServiceExposure()

    /// It asks for a login of its own: declared with `own_login`, or Home Assistant, which always does.
    public var hasOwnLogin: Bool { exposure.ownLogin || isHomeAssistant }

    public init(name: String, host: String, fqdn: String, upstream: Upstream, composeService: String?,
                isHomeAssistant: Bool, position: SourcePosition) {
        self.name = name
        self.host = host
        self.fqdn = fqdn
        self.upstream = upstream
        self.composeService = composeService
        self.isHomeAssistant = isHomeAssistant
        self.position = position
    }
}

/// `host:port` of the service as Caddy dials it.
public struct Upstream: Sendable, Hashable, CustomStringConvertible {
    public var host: String
    public var port: Int

    public init(host: String, port: Int) {
        self.host = host
        self.port = port
    }

    public var description: String { "\(host):\(port)" }
}
