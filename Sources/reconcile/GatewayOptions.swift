import Adapters
import ArgumentParser
import Controller
import Diagnostics
import FoundationEssentials

/// Where the desired state and the live files are, and how to reach the exposure repo. Each option is a
/// setting of `SettingsFile.table`, which names it and gives its help.
struct GatewayOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Settings in YAML, each option's under its key (repo, state_dir, serve: …); options given here win.", valueName: "file"))
    var config: String?

    @Option(name: Described.name(\.repo), help: Described.help(\.repo)) var repo: String?
    @Option(name: Described.name(\.branch), help: Described.help(\.branch)) var branch: String?
    @Option(name: Described.name(\.gateway), help: Described.help(\.gateway)) var gateway: String?
    @Option(name: Described.name(\.statusBranch), help: Described.help(\.statusBranch)) var statusBranch: String?
    @Flag(name: Described.name(\.allowForcePush), help: Described.help(\.allowForcePush)) var allowForcePush = false
    @Option(name: Described.name(\.tokenFile), help: Described.help(\.tokenFile)) var tokenFile: String?
    @Option(name: Described.name(\.tokenEnv), help: Described.help(\.tokenEnv)) var tokenEnv: String?
    @Option(name: Described.name(\.sshKey), help: Described.help(\.sshKey)) var sshKey: String?
    @Option(name: Described.name(\.knownHosts), help: Described.help(\.knownHosts)) var knownHosts: String?
    @Flag(name: Described.name(\.acceptNewHostKey), help: Described.help(\.acceptNewHostKey)) var acceptNewHostKey = false
    @Option(name: Described.name(\.root), help: Described.help(\.root)) var root: String?
    @Option(name: Described.name(\.caddyfile), help: Described.help(\.caddyfile)) var caddyfile: String?
    @Option(name: Described.name(\.haConfig), help: Described.help(\.haConfig)) var haConfig: String?
    @Option(name: Described.name(\.caddyData), help: Described.help(\.caddyData)) var caddyData: String?
    @Option(name: Described.name(\.composeFile), help: Described.help(\.composeFile)) var composeFile: String?
    @Option(name: Described.name(\.stateDir), help: Described.help(\.stateDir)) var stateDir: String?

    @OptionGroup var guardrails: GuardrailOptions

    @Flag(name: Described.name(\.allowSymlinkedLivePaths), help: Described.help(\.allowSymlinkedLivePaths)) var allowSymlinkedLivePaths = false
    @Flag(name: Described.name(\.haRepairLostMasks), help: Described.help(\.haRepairLostMasks)) var haRepairLostMasks = false
    @Option(name: Described.name(\.haTokenFile), help: Described.help(\.haTokenFile)) var haTokenFile: String?
    @Flag(name: Described.name(\.adopt), help: Described.help(\.adopt)) var adopt = false
    @Option(name: Described.name(\.gitTimeout), help: Described.help(\.gitTimeout)) var gitTimeout: Double?

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
        try Described.validate(layer, SettingsFile.table)
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

    @Flag(help: "Explain in full what the plan says in one line: why Caddy or the engine was not reached, what Home Assistant will do.")
    var verbose = false

    var format: OutputFormat { OutputFormat(diff: diff, json: json, verbose: verbose) }
}

/// How a cycle's result is printed (`--diff`, `--json`, `--verbose`), whichever reader read them.
struct OutputFormat: Equatable {
    var diff = false
    var json = false
    var verbose = false
}
