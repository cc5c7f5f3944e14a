/// How new Caddy config reaches the running Caddy. The content is passed, never a path: with the
/// gateway's single-file bind mount, a Caddy in a container keeps reading the old inode.
/// Implementation: `CaddyConnection` (the admin API, or Caddy's CLI in its container with the config on
/// stdin). Tests use `InMemoryCaddyDouble`.
public protocol CaddyActivating: Sendable {
    /// How it reaches Caddy, for the plan and the apply's steps ("Caddy's admin API at 127.0.0.1:2019").
    var description: String { get }
    /// Caddy reads `content` without running it. `.rejected` is the config's fault, `.unreachable` the world's.
    func validate(_ content: [UInt8]) throws(CaddyError)
    /// Caddy runs `content`. If Caddy rejects it, the old config keeps serving.
    func load(_ content: [UInt8]) throws(CaddyError)
}
