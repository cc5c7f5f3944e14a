import Adapters
import Compose

/// How an apply reaches the running world. `nil` pieces are not touched (and the apply says what
/// the user must do by hand instead).
public struct RuntimeSettings: Sendable {
    /// How new Caddy config reaches Caddy.
    public var caddy: CaddyWay
    /// The compose runtime; nil skips validating with Compose and bringing services up.
    public var compose: ComposeSettings?
    /// How Home Assistant is stopped, started, restarted.
    public var homeAssistant: HomeAssistantRestart
    /// How exposed hosts are probed through Caddy after activation; nil skips probing.
    public var probes: ProbeSettings?

    public init(caddy: CaddyWay = .automatic(adminEndpoint: CaddyWay.defaultAdminEndpoint), compose: ComposeSettings? = ComposeSettings(),
                homeAssistant: HomeAssistantRestart = .none, probes: ProbeSettings? = ProbeSettings()) {
        self.caddy = caddy
        self.compose = compose
        self.homeAssistant = homeAssistant
        self.probes = probes
    }
}

public struct ComposeSettings: Sendable {
    public var choice: ComposeClientChoice
    public var settings: ComposeRuntime.Settings

    public init(choice: ComposeClientChoice = .automatic, settings: ComposeRuntime.Settings = .init()) {
        self.choice = choice
        self.settings = settings
    }
}

/// Ways to hand a Caddyfile to a running Caddy. All of them pass the content, not a path: with the
/// gateway's single-file bind mount, a Caddy in a container would keep reading the old inode.
public enum CaddyWay: Sendable, Hashable {
    /// The admin API when it answers, else Caddy's CLI in its container: the default, which works on the
    /// stock gateway (whose admin API listens inside the container only) and on a host-run Caddy alike.
    case automatic(adminEndpoint: String)
    /// POST /load to the admin API (validation through POST /adapt).
    case adminAPI(endpoint: String)
    /// Caddy's CLI in the container of the compose service that bind-mounts the live Caddyfile, through
    /// the engine: `caddy adapt --validate` and `caddy reload`, the config on stdin.
    case container
    /// Nothing: the file is written; the user reloads Caddy.
    case none

    public static let defaultAdminEndpoint = "127.0.0.1:2019"
}

/// How Home Assistant restarts for new http settings.
public enum HomeAssistantRestart: Sendable, Hashable {
    /// Left to the user: the apply says what to do.
    case none
    /// As a service of the compose file (the gateway's layout); the service name comes from the desired state.
    case compose(client: [String], readiness: HomeAssistantReadiness)
    /// Explicit commands (systemd, a script).
    case commands(HomeAssistantControl)

    /// The control for the compose service `service` of `composeFile`, if any; `detected` is the Compose
    /// client the apply found (it wins over the configured spelling, so `auto` restarts with what exists).
    func control(service: String, composeFile: String, detected: [String]? = nil) -> HomeAssistantControl? {
        switch self {
        case .none: return nil
        case .compose(let client, let readiness):
            return .compose(file: composeFile, service: service, compose: detected ?? client, readiness: readiness)
        case .commands(let control): return control
        }
    }
}
