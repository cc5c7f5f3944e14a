/// How an apply reaches the Caddy that serves, found before planning: the plan shows it, the apply and
/// its rollback use it, and the Caddy version it learned is there for rendering what that Caddy reads.
public struct CaddyRoute: Sendable, Codable, Hashable {
    public enum Way: String, Sendable, Codable, Hashable {
        /// Caddy's admin API (POST /adapt, POST /load).
        case adminAPI = "admin_api"
        /// Caddy's CLI in its container through the engine (`caddy adapt --validate`, `caddy reload`, config on stdin).
        case container
        /// Nothing: the file is written, the user reloads Caddy.
        case none
    }

    /// The way taken; nil when none could be (then `problem` says why, and an apply that must load stops).
    public var way: Way?
    /// The admin endpoint, or the container's name.
    public var target: String?
    /// The compose service, for the container way.
    public var service: String?
    /// What `caddy version` said (`v2.11.7`), when known.
    public var version: String?
    /// Why this way: the setting, or what `auto` found.
    public var reason: String
    /// Why no way could be taken.
    public var problem: String?

    public init(way: Way?, target: String? = nil, service: String? = nil, version: String? = nil, reason: String, problem: String? = nil) {
        self.way = way
        self.target = target
        self.service = service
        self.version = version
        self.reason = reason
        self.problem = problem
    }

    /// One line for the plan's text: the way and the Caddy; `explanation` says how and why.
    public var line: String {
        let versionText = version.map { " (Caddy \($0))" } ?? ""
        switch way {
        case .adminAPI?: return "loaded through its admin API at \(target ?? "?")\(versionText)"
        case .container?: return "loaded by Caddy in its container \(target ?? "?")\(versionText)"
        case .none?: return "not loaded: reload it yourself"
        case nil: return "not reached; the plan covers the file"
        }
    }

    /// The whole of it, for `--verbose`.
    public var explanation: String {
        let versionText = version.map { " (Caddy \($0))" } ?? ""
        switch way {
        case .adminAPI?:
            return "validated and loaded through Caddy's admin API at \(target ?? "?")\(versionText); \(reason)"
        case .container?:
            return "validated (`caddy adapt --validate`) and loaded (`caddy reload`) by Caddy in its container \(target ?? "?")"
                + "\(service.map { ", service \($0)" } ?? "")\(versionText), config on stdin; \(reason)"
        case .none?:
            return "not loaded: the file is written and Caddy is left as it runs (reload it yourself); \(reason)"
        case nil:
            return "not reached: \(problem ?? reason)"
        }
    }
}
