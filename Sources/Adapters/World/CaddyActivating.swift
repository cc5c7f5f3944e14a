/// How new Caddy config reaches the running Caddy. The content is passed, never a path: with the
/// gateway's single-file bind mount, a Caddy in a container keeps reading the old inode.
/// Implementations: `CaddyAdminActivation` (the admin API); a container implementation (Caddy's CLI in
/// its container, config on stdin) plugs in here too. Tests use `InMemoryCaddyDouble`.
public protocol CaddyActivating: Sendable {
    /// How it reaches Caddy, for the plan and the apply's steps ("Caddy's admin API at 127.0.0.1:2019").
    var description: String { get }
    /// Caddy reads `content` without running it. `.rejected` is the config's fault, `.unreachable` the world's.
    func validate(_ content: [UInt8]) throws(CaddyError)
    /// Caddy runs `content`. If Caddy rejects it, the old config keeps serving.
    func load(_ content: [UInt8]) throws(CaddyError)
}

/// Caddy's admin API: `POST /adapt` validates, `POST /load` loads.
public struct CaddyAdminActivation: CaddyActivating {
    public let admin: CaddyAdmin

    public init(endpoint: String) { admin = CaddyAdmin(endpoint: endpoint) }

    public var description: String { "Caddy's admin API at \(admin.endpoint)" }

    public func validate(_ content: [UInt8]) throws(CaddyError) { _ = try admin.adapt(caddyfile: content) }
    public func load(_ content: [UInt8]) throws(CaddyError) { try admin.load(caddyfile: content) }
}
