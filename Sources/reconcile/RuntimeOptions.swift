import ArgumentParser
import Controller

/// How `apply` reaches the running gateway: Caddy's admin API, Compose, Home Assistant's restart, probes.
struct RuntimeOptions: ParsableArguments {
    @Flag(name: .customLong("no-runtime"), help: "Write the planned files (after a backup) and touch no process, container or Caddy.")
    var noRuntime = false

    @Flag(name: .customLong("ha-stopped"), help: "Storage mode (Home Assistant 2026.8+): you stopped Home Assistant yourself, so reconcile may write .storage/http although it cannot stop it (--no-runtime, --ha-restart none). Start Home Assistant afterwards.")
    var haStopped = false

    @Option(help: ArgumentHelp("How the new Caddyfile reaches Caddy: auto (the admin API when it answers, else Caddy's CLI in the container that mounts the Caddyfile), admin-api (--caddy-admin), container (`caddy adapt --validate` and `caddy reload` in that container, through the engine, config on stdin), or none (you reload Caddy) (default: auto).", valueName: "way"))
    var caddy: CaddyWay?

    @Option(name: .customLong("caddy-admin"), help: ArgumentHelp("Caddy's admin API, which validates (/adapt) and loads (/load) the new Caddyfile with --caddy auto or admin-api (default: 127.0.0.1:2019; 'none' is --caddy none).", valueName: "host:port"))
    var caddyAdmin: String?

    @Option(help: ArgumentHelp("The Compose client: auto, v1 (docker-compose), v2 (docker compose), or none (default: auto).", valueName: "client"))
    var compose: ComposeClientSetting?

    @Option(name: .customLong("ha-restart"), help: ArgumentHelp("How Home Assistant restarts for new http settings: compose (its compose service) or none (default: compose).", valueName: "how"))
    var haRestart: HomeAssistantRestartWay?

    @Option(name: .customLong("ha-url"), help: ArgumentHelp("Where Home Assistant answers once it is up (default: http://127.0.0.1:8123/manifest.json).", valueName: "url"))
    var haURL: String?

    @Option(name: .customLong("probe"), help: ArgumentHelp("Where to reach Caddy to probe each host afterwards: https://ADDRESS:PORT, http://ADDRESS:PORT, or none (default: https://127.0.0.1:443).", valueName: "url"))
    var probe: String?

    @Option(name: .customLong("probe-attempts"), help: "Attempts per host before a probe fails, one a second (default: 10).")
    var probeAttempts: Int?

    @Option(name: .customLong("probe-timeout"), help: "Seconds one probe request may take (default: 5).")
    var probeTimeout: Double?

    /// These options as a layer of settings (see `GatewayOptions.layer`); `--no-runtime` and `--ha-stopped`
    /// are not settings but what this run does.
    var layer: SettingsFile {
        var layer = SettingsFile()
        (layer.caddy, layer.caddyAdmin, layer.compose, layer.haRestart) = (caddy, caddyAdmin, compose, haRestart)
        (layer.haURL, layer.probe, layer.probeAttempts, layer.probeTimeout) = (haURL, probe, probeAttempts, probeTimeout)
        return layer
    }

    var engine: ResolvedSettings.Engine { noRuntime ? .filesOnly : .apply }

    func validate() throws {
        if let probeTimeout, !(probeTimeout > 0) { throw ValidationError("--probe-timeout must be more than 0 seconds") }
        try CaddyWay.validate(caddy, admin: caddyAdmin)
    }
}

func problem(_ option: String, _ message: String, hint: String? = nil) -> ReconcileError {
    .setting(option, message, hint: hint)
}
