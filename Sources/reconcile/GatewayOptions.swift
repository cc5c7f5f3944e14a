import Adapters
import ArgumentParser
import Controller
import Diagnostics
import FoundationEssentials

/// Where the desired state and the live files are, and how to reach the exposure repo.
struct GatewayOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Settings in YAML (repo, root, caddyfile, ha_config, caddy_data, compose_file, state_dir); options given here win.", valueName: "file"))
    var config: String?

    @Option(help: ArgumentHelp("The exposure repo: a local folder holding exposure.yaml (default: the current directory), or a git remote (https://…, ssh://…, user@host:path, file://…, or a bare repository's path), followed through a clone in the state dir.", valueName: "path-or-url"))
    var repo: String?

    @Option(help: ArgumentHelp("Remote repo: the branch to follow (default: the remote's default branch).", valueName: "name"))
    var branch: String?

    @Option(help: ArgumentHelp("This gateway's name: it reads gateways/NAME.yaml when the repo has one, and reports to status/NAME/ (default: the host name).", valueName: "name"))
    var gateway: String?

    @Option(name: .customLong("status-branch"), help: ArgumentHelp("Remote repo: the branch status reports are committed to (default: \(StatusBranch.defaultName)); never the followed branch.", valueName: "name"))
    var statusBranch: String?

    @Flag(name: .customLong("allow-force-push"), help: "Remote repo: follow the branch even when its history was rewritten and no longer holds the applied commit.")
    var allowForcePush = false

    @Option(name: .customLong("token-file"), help: ArgumentHelp("HTTPS: a file (mode 0600) whose first line is the access token; never sent over http:// nor to another host.", valueName: "file"))
    var tokenFile: String?

    @Option(name: .customLong("token-env"), help: ArgumentHelp("HTTPS: the environment variable holding the access token (default: RECONCILE_GIT_TOKEN, when set).", valueName: "name"))
    var tokenEnv: String?

    @Option(name: .customLong("ssh-key"), help: ArgumentHelp("SSH: a private key file (mode 0600) without passphrase (its .pub beside it is used when present).", valueName: "file"))
    var sshKey: String?

    @Option(name: .customLong("known-hosts"), help: ArgumentHelp("SSH: the known_hosts file the server's host key must be in.", valueName: "file"))
    var knownHosts: String?

    @Flag(name: .customLong("accept-new-host-key"), help: "SSH: trust a server missing from --known-hosts on first connect, and record its key there (a changed key is always refused).")
    var acceptNewHostKey = false

    @Option(help: ArgumentHelp("Prefix for the gateway's default paths (a test tree, or the bundled example).", valueName: "dir"))
    var root: String?

    @Option(help: ArgumentHelp("The live Caddyfile (default: ROOT/usr/local/caddy/Caddyfile).", valueName: "file"))
    var caddyfile: String?

    @Option(name: .customLong("ha-config"), help: ArgumentHelp("Home Assistant's config dir (default: ROOT/usr/local/homeassistant).", valueName: "dir"))
    var haConfig: String?
    @Option(name: .customLong("caddy-data"), help: ArgumentHelp("Caddy's data dir, where it keeps its certificates; read, never written (default: ROOT/usr/local/caddy/caddy_data).", valueName: "dir"))
    var caddyData: String?

    @Option(name: .customLong("compose-file"), help: ArgumentHelp("The docker-compose file (default: ROOT/home/root/mapio/docker-compose.yml).", valueName: "file"))
    var composeFile: String?

    @Option(name: .customLong("state-dir"), help: ArgumentHelp("Backups, lock, records of what reconcile added, the working clone and the last status (default: ROOT/var/lib/reconcile).", valueName: "dir"))
    var stateDir: String?

    @OptionGroup var guardrails: GuardrailOptions

    @Flag(name: .customLong("allow-symlinked-live-paths"), help: "Edit the target of a live file that is a symbolic link (by default such a file is refused: a rename would replace the link).")
    var allowSymlinkedLivePaths = false

    @Flag(name: .customLong("ha-repair-lost-masks"), help: "Storage mode: also repair your own .storage/http entries whose network mask Home Assistant's 2026.8 migration lost (core#182040), not only reconcile's.")
    var haRepairLostMasks = false

    @Option(name: .customLong("ha-token-file"), help: ArgumentHelp("Storage mode: a file (mode 0600) whose first line is a Home Assistant access token (an administrator's long-lived token). reconcile then uses Home Assistant's own trial (configure, probe through Caddy, promote) instead of stopping it to write .storage/http.", valueName: "file"))
    var haTokenFile: String?
    @Flag(name: .customLong("adopt"), help: "Take over what a gateway set up by hand already has (a hand-written site block that serves exactly one declared host with one reverse_proxy to its upstream, a depends_on on the proxy, Home Assistant's http: trust settings): the plan shows each as `@ adopt`, and prune will later remove them. Also `adopt: true` in the settings file.")
    var adopt = false

    @Option(name: .customLong("git-timeout"), help: ArgumentHelp("Remote repo: seconds one fetch or push may take before the run gives up (default: \(Int(GitNetworkDeadline.defaultSeconds))).", valueName: "seconds"))
    var gitTimeout: Double?

    /// These options as a layer of settings, to lay over the settings file (`SettingsFile.over`).
    var layer: SettingsFile {
        var layer = SettingsFile()
        (layer.repo, layer.branch, layer.gateway, layer.statusBranch) = (repo, branch, gateway, statusBranch)
        (layer.tokenFile, layer.tokenEnv, layer.sshKey, layer.knownHosts) = (tokenFile, tokenEnv, sshKey, knownHosts)
        (layer.root, layer.caddyfile, layer.haConfig, layer.composeFile, layer.stateDir) = (root, caddyfile, haConfig, composeFile, stateDir)
        layer.caddyData = caddyData
        (layer.policy, layer.allowedSigners, layer.gpgKeyring) = (guardrails.policy, guardrails.allowedSigners, guardrails.gpgKeyring)
        (layer.haTokenFile, layer.gitTimeout) = (haTokenFile, gitTimeout)
        // A flag not given says nothing: the file's value stays.
        layer.allowForcePush = allowForcePush ? true : nil
        layer.acceptNewHostKey = acceptNewHostKey ? true : nil
        layer.allowSymlinkedLivePaths = allowSymlinkedLivePaths ? true : nil
        layer.haRepairLostMasks = haRepairLostMasks ? true : nil
        layer.adopt = adopt ? true : nil
        return layer
    }

    func validate() throws {
        try Self.validate(gitTimeout: gitTimeout)
    }

    static func validate(gitTimeout: Double?) throws {
        if let gitTimeout, !(gitTimeout > 0) { throw ValidationError("--git-timeout must be more than 0 seconds") }
    }

    /// The one resolution of a command's settings: `command` (its own options) and these, over the settings
    /// file, over the defaults.
    func resolve(_ command: SettingsFile = SettingsFile(), engine: ResolvedSettings.Engine) throws(ReconcileError) -> ResolvedSettings {
        try Self.resolve(command, over: layer, config: config, engine: engine)
    }

    /// `command` over `gateway` over the settings file at `config` (read once) over the defaults.
    static func resolve(_ command: SettingsFile, over gateway: SettingsFile, config: String?, engine: ResolvedSettings.Engine) throws(ReconcileError) -> ResolvedSettings {
        let file = try config.map { path throws(ReconcileError) in try SettingsFile.load(path) } ?? SettingsFile()
        return try ResolvedSettings.resolve(command.over(gateway).over(file), engine: engine)
    }
}

struct OutputOptions: ParsableArguments {
    @Flag(help: "Show a unified diff of every file the plan writes.")
    var diff = false

    @Flag(help: "Print the plan as JSON (status: the report's status.json).")
    var json = false

    var format: OutputFormat { OutputFormat(diff: diff, json: json) }
}

/// How a cycle's result is printed (`--diff`, `--json`), whichever reader read them.
struct OutputFormat: Equatable {
    var diff = false
    var json = false
}
