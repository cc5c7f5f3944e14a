import Adapters
import ArgumentParser
import Controller

/// How `apply` reaches the running gateway: Caddy's admin API, Compose, Home Assistant's restart, probes.
struct RuntimeOptions: ParsableArguments {
    @Flag(name: .customLong("no-runtime"), help: "Write the planned files (after a backup) and touch no process, container or Caddy.")
    var noRuntime = false

    @Flag(name: .customLong("ha-stopped"), help: "Storage mode (Home Assistant 2026.8+): you stopped Home Assistant yourself, so reconcile may write .storage/http although it cannot stop it (--no-runtime, --ha-restart none). Start Home Assistant afterwards.")
    var haStopped = false

    @Option(help: ArgumentHelp("How the new Caddyfile reaches Caddy: auto (the admin API when it answers, else Caddy's CLI in the container that mounts the Caddyfile), admin-api (--caddy-admin), container (`caddy adapt --validate` and `caddy reload` in that container, through the engine, config on stdin), or none (you reload Caddy) (default: auto).", valueName: "way"))
    var caddy: String?

    @Option(name: .customLong("caddy-admin"), help: ArgumentHelp("Caddy's admin API, which validates (/adapt) and loads (/load) the new Caddyfile with --caddy auto or admin-api (default: 127.0.0.1:2019; 'none' is --caddy none).", valueName: "host:port"))
    var caddyAdmin: String?

    @Option(help: ArgumentHelp("The Compose client: auto, v1 (docker-compose), v2 (docker compose), or none (default: auto).", valueName: "client"))
    var compose: String?

    @Option(name: .customLong("ha-restart"), help: ArgumentHelp("How Home Assistant restarts for new http settings: compose (its compose service) or none (default: compose).", valueName: "how"))
    var haRestart: String?

    @Option(name: .customLong("ha-url"), help: ArgumentHelp("Where Home Assistant answers once it is up (default: http://127.0.0.1:8123/manifest.json).", valueName: "url"))
    var haURL: String?

    @Option(name: .customLong("probe"), help: ArgumentHelp("Where to reach Caddy to probe each host afterwards: https://ADDRESS:PORT, http://ADDRESS:PORT, or none (default: https://127.0.0.1:443).", valueName: "url"))
    var probe: String?

    @Option(name: .customLong("probe-attempts"), help: "Attempts per host before a probe fails, one a second (default: 10).")
    var probeAttempts: Int?

    @Option(name: .customLong("probe-timeout"), help: "Seconds one probe request may take (default: 5).")
    var probeTimeout: Double?

    static func composeSettings(_ text: String, option: String) throws(ReconcileError) -> ComposeSettings? {
        switch text {
        case "auto": return ComposeSettings(choice: .automatic)
        case "v1": return ComposeSettings(choice: .v1(path: nil))
        case "v2": return ComposeSettings(choice: .v2(dockerPath: nil))
        case "none": return nil
        default: throw problem(option, "'\(text)' is not auto, v1, v2 or none")
        }
    }

    /// `--caddy WAY` with `--caddy-admin HOST:PORT`. An endpoint given alone keeps its old meaning (that admin API,
    /// or `none`); with neither, `auto`.
    static func caddyActivation(way: String?, admin: String?) throws(ReconcileError) -> CaddyActivation {
        let endpoint = admin ?? CaddyActivation.defaultAdminEndpoint
        switch way {
        case nil:
            guard let admin else { return .automatic(adminEndpoint: endpoint) }
            return admin == "none" ? .none : .adminAPI(endpoint: admin)
        case "auto"?, "admin-api"?:
            guard endpoint != "none" else { throw problem("--caddy-admin", "'none' goes with --caddy none, not --caddy \(way!)") }
            return way == "auto" ? .automatic(adminEndpoint: endpoint) : .adminAPI(endpoint: endpoint)
        case "container"?: return .container
        case "none"?: return .none
        case let other?: throw problem("--caddy", "'\(other)' is not auto, admin-api, container or none")
        }
    }

    /// nil is `--no-runtime`.
    func runtime(_ file: SettingsFile) throws(ReconcileError) -> RuntimeSettings? {
        guard !noRuntime else { return nil }
        var settings = RuntimeSettings()
        settings.caddy = try RuntimeOptions.caddyActivation(way: caddy ?? file.caddy, admin: caddyAdmin ?? file.caddyAdmin)
        settings.compose = try RuntimeOptions.composeSettings(compose ?? file.compose ?? "auto", option: "--compose")
        let readiness = try HomeAssistantURL.readiness(haURL ?? file.haURL)
        if let commands = file.haCommands {
            settings.homeAssistant = .commands(HomeAssistantControl(stop: commands.stop, start: commands.start, restart: commands.restart,
                                                                    readiness: readiness))
        } else {
            switch haRestart ?? "compose" {
            case "compose": settings.homeAssistant = .compose(client: settings.compose?.choice.commandPrefix ?? ["docker-compose"], readiness: readiness)
            case "none": settings.homeAssistant = .none
            case let other: throw problem("--ha-restart", "'\(other)' is not compose or none")
            }
        }
        settings.probes = try ProbeURL.settings(probe ?? file.probe ?? "https://127.0.0.1:443")
        if let attempts = probeAttempts ?? file.probeAttempts { settings.probes?.attempts = max(1, attempts) }
        if let timeout = probeTimeout ?? file.probeTimeout {
            guard timeout > 0 else { throw problem("--probe-timeout", "must be more than 0 seconds") }
            settings.probes?.timeout = timeout
        }
        return settings
    }
}

func problem(_ option: String, _ message: String, hint: String? = nil) -> ReconcileError {
    .invalidInput(.init([.init(file: option, position: nil, message: message, hint: hint)]), reason: .invalidSettings)
}
