/// The way to the Caddy that serves, chosen once per apply and used for everything: validating the new
/// Caddyfile, loading it, and loading the old one again on rollback. Both ways pass content, never a path.
public enum CaddyConnection: Sendable {
    /// Caddy's admin API: POST /adapt validates, POST /load loads.
    case adminAPI(CaddyAdmin)
    /// Caddy's CLI in its container: `caddy adapt --validate`, `caddy reload`, config on stdin.
    case container(CaddyContainerCLI)

    public func validate(caddyfile: [UInt8]) throws(CaddyError) {
        switch self {
        case .adminAPI(let admin): _ = try admin.adapt(caddyfile: caddyfile)
        case .container(let cli): try cli.validate(caddyfile: caddyfile)
        }
    }

    public func load(caddyfile: [UInt8]) throws(CaddyError) {
        switch self {
        case .adminAPI(let admin): try admin.load(caddyfile: caddyfile)
        case .container(let cli): try cli.reload(caddyfile: caddyfile)
        }
    }

    /// Where it leads, for steps and messages.
    public var description: String {
        switch self {
        case .adminAPI(let admin): return "its admin API at \(admin.endpoint)"
        case .container(let cli): return "`caddy reload` in its container \(cli.name)"
        }
    }

    /// The way `auto` takes: the admin API when it answers (one quick request), else Caddy's CLI in the
    /// container that mounts the live Caddyfile. On failure, the error says what each way answered.
    public static func automatic(admin: CaddyAdmin, container: CaddyContainerLocator) throws(CaddyError) -> (CaddyConnection, adminProblem: String?) {
        var quick = admin
        quick.timeout = min(admin.timeout, 3)
        do {
            _ = try quick.config()
            return (.adminAPI(admin), nil)
        } catch let adminError {
            do {
                return (.container(try container.locate()), adminError.description)
            } catch {
                throw .unreachable("Caddy could not be reached either way: \(adminError.description); and \(error.description)")
            }
        }
    }
}

/// The connection is the seam's real implementation: the admin API or the container's CLI.
extension CaddyConnection: CaddyActivating {
    public func validate(_ content: [UInt8]) throws(CaddyError) { try validate(caddyfile: content) }
    public func load(_ content: [UInt8]) throws(CaddyError) { try load(caddyfile: content) }
}
