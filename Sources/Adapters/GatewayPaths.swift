/// Where the gateway's live files are. Defaults follow the gateway's layout; `root` prefixes them
/// (a test tree, or the bundled example).
public struct GatewayPaths: Sendable, Hashable {
    public var caddyfile: String
    public var homeAssistantDir: String
    public var composeFile: String
    /// The reconciler's own state: backups, the ledger of what it added, the lock.
    public var stateDir: String
    /// Caddy's data directory (its `/data`): the certificates it obtained. Read, never written.
    public var caddyDataDir: String
    /// A live file that is a symbolic link is refused unless this is set; then its target is edited
    /// (`--allow-symlinked-live-paths`, `allow_symlinked_live_paths`; see `LivePathGuard`).
    public var allowSymlinkedLivePaths = false

    public init(caddyfile: String, homeAssistantDir: String, composeFile: String, stateDir: String,
                caddyDataDir: String = "/usr/local/caddy/caddy_data") {
        self.caddyfile = caddyfile
        self.homeAssistantDir = homeAssistantDir
        self.composeFile = composeFile
        self.stateDir = stateDir
        self.caddyDataDir = caddyDataDir
    }

    public static func defaults(root: String? = nil) -> GatewayPaths {
        let prefix = root.map { $0.hasSuffix("/") ? String($0.dropLast()) : $0 } ?? ""
        return GatewayPaths(caddyfile: prefix + "/usr/local/caddy/Caddyfile",
                            homeAssistantDir: prefix + "/usr/local/homeassistant",
                            composeFile: prefix + "/home/root/mapio/docker-compose.yml",
                            stateDir: prefix + "/var/lib/reconcile",
                            caddyDataDir: prefix + "/usr/local/caddy/caddy_data")
    }
}
