import Adapters
import ArgumentParser
import Controller

/// Where the desired state and the live files are.
struct GatewayOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Settings in YAML (repo, root, caddyfile, ha_config, compose_file, state_dir); options given here win.", valueName: "file"))
    var config: String?

    @Option(help: "The exposure repo: a local checkout holding exposure.yaml (default: the current directory).")
    var repo: String?

    @Option(help: ArgumentHelp("Prefix for the gateway's default paths (a test tree, or the bundled example).", valueName: "dir"))
    var root: String?

    @Option(help: ArgumentHelp("The live Caddyfile (default: ROOT/usr/local/caddy/Caddyfile).", valueName: "file"))
    var caddyfile: String?

    @Option(name: .customLong("ha-config"), help: ArgumentHelp("Home Assistant's config dir (default: ROOT/usr/local/homeassistant).", valueName: "dir"))
    var haConfig: String?

    @Option(name: .customLong("compose-file"), help: ArgumentHelp("The docker-compose file (default: ROOT/home/root/mapio/docker-compose.yml).", valueName: "file"))
    var composeFile: String?

    @Option(name: .customLong("state-dir"), help: ArgumentHelp("Backups, lock and records of what reconcile added (default: ROOT/var/lib/reconcile).", valueName: "dir"))
    var stateDir: String?

    /// The settings file, then the options on top of it.
    func settings() throws(ReconcileError) -> ReconcileSettings {
        let file = try config.map { path throws(ReconcileError) in try SettingsFile.load(path) } ?? SettingsFile()
        var paths = GatewayPaths.defaults(root: root ?? file.root)
        if let path = caddyfile ?? file.caddyfile { paths.caddyfile = path }
        if let path = haConfig ?? file.haConfig { paths.homeAssistantDir = path }
        if let path = composeFile ?? file.composeFile { paths.composeFile = path }
        if let path = stateDir ?? file.stateDir { paths.stateDir = path }
        return ReconcileSettings(repo: repo ?? file.repo ?? ".", paths: paths)
    }
}

struct OutputOptions: ParsableArguments {
    @Flag(help: "Show a unified diff of every file the plan writes.")
    var diff = false

    @Flag(help: "Print the plan as JSON.")
    var json = false
}
