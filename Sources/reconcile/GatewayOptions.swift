import Adapters
import ArgumentParser
import Controller

/// Where the desired state and the live files are.
struct GatewayOptions: ParsableArguments {
    @Option(help: "The exposure repo: a local checkout holding exposure.yaml.")
    var repo: String = "."

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

    var settings: ReconcileSettings {
        var paths = GatewayPaths.defaults(root: root)
        if let caddyfile { paths.caddyfile = caddyfile }
        if let haConfig { paths.homeAssistantDir = haConfig }
        if let composeFile { paths.composeFile = composeFile }
        if let stateDir { paths.stateDir = stateDir }
        return ReconcileSettings(repo: repo, paths: paths)
    }
}

struct OutputOptions: ParsableArguments {
    @Flag(help: "Show a unified diff of every file the plan writes.")
    var diff = false

    @Flag(help: "Print the plan as JSON.")
    var json = false
}
