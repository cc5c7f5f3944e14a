import ArgumentParser
import Controller

/// How `apply` reaches the running gateway: Caddy's admin API, Compose, Home Assistant's restart, probes.
struct RuntimeOptions: ParsableArguments {
    @Flag(name: .customLong("no-runtime"), help: "Write the planned files (after a backup) and touch no process, container or Caddy.")
    var noRuntime = false

    @Flag(name: .customLong("ha-stopped"), help: "Storage mode (Home Assistant 2026.8+): you stopped Home Assistant yourself, so reconcile may write .storage/http although it cannot stop it (--no-runtime, --ha-restart none). Start Home Assistant afterwards.")
    var haStopped = false

    @Option(name: Described.name(\.caddy), help: Described.help(\.caddy)) var caddy: CaddyWaySetting?
    @Option(name: Described.name(\.caddyAdmin), help: Described.help(\.caddyAdmin)) var caddyAdmin: String?
    @Option(name: Described.name(\.compose), help: Described.help(\.compose)) var compose: ComposeClientSetting?
    @Option(name: Described.name(\.haRestart), help: Described.help(\.haRestart)) var haRestart: HomeAssistantRestartWay?
    @Option(name: Described.name(\.haURL), help: Described.help(\.haURL)) var haURL: String?
    @Option(name: Described.name(\.probe), help: Described.help(\.probe)) var probe: String?
    @Option(name: Described.name(\.probeAttempts), help: Described.help(\.probeAttempts)) var probeAttempts: Int?
    @Option(name: Described.name(\.probeTimeout), help: Described.help(\.probeTimeout)) var probeTimeout: Double?

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
        try Described.validate(layer, SettingsFile.table)
        try CaddyWaySetting.validate(caddy, admin: caddyAdmin)
    }
}
