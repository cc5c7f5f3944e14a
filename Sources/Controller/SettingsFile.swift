import Adapters
import Diagnostics
import YAMLEdit

/// `--config FILE`: the same settings as the command-line options, in YAML, for a gateway that
/// runs reconcile from a timer or a unit file. Options given on the command line win: the CLI writes its
/// options into a value of this same type and lays it over the file's (`over(_:)`), then
/// `ResolvedSettings` adds the defaults. A nil field is "not said here".
public struct SettingsFile: Sendable, Hashable {
    public var repo: String?
    public var root: String?
    public var caddyfile: String?
    public var haConfig: String?
    public var caddyData: String?
    public var composeFile: String?
    public var stateDir: String?
    // Following a remote repo (see `reconcile apply --help`).
    public var branch: String?
    public var gateway: String?
    public var statusBranch: String?
    public var tokenFile: String?
    public var tokenEnv: String?
    public var sshKey: String?
    public var knownHosts: String?
    // How apply reaches the running gateway (see `reconcile apply --help`).
    public var caddyAdmin: String?
    /// How the Caddyfile reaches Caddy: auto, admin-api, container, none.
    public var caddy: CaddyWay?
    public var compose: ComposeClientSetting?
    public var haURL: String?
    public var probe: String?
    public var probeAttempts: Int?
    public var probeTimeout: Double?
    // Guardrails set on the gateway (see `reconcile apply --help`).
    public var policy: String?
    public var allowedSigners: String?
    public var gpgKeyring: String?
    /// Explicit argv commands for Home Assistant, instead of its compose service.
    public var haCommands: HomeAssistantCommands?
    /// `reconcile serve`'s own settings (see `ServeFileSettings`).
    public var serve: ServeFileSettings?
    /// Edit the target of a live file that is a symbolic link, instead of refusing it.
    public var allowSymlinkedLivePaths: Bool?
    /// `ha_repair_lost_masks`: repair the user's own lost-mask entries in `.storage/http` too (core#182040).
    public var haRepairLostMasks: Bool?
    /// `ha_token_file`: a file holding a Home Assistant access token (storage mode uses Home Assistant's own trial).
    public var haTokenFile: String?
    /// Seconds one git network operation may take (`GitNetworkDeadline`).
    public var gitTimeout: Double?
    /// `adopt: true`: the standing opt-in to adoption (see `ReconcileSettings.adopt`).
    public var adopt: Bool?
    /// `notify:`: the targets of notifications (see `NotifyTarget`).
    public var notify: [NotifyTarget]?

    // Options of the command line only (no key in the file): set only on the command line's layer.
    /// `--allow-force-push`.
    public var allowForcePush: Bool?
    /// `--accept-new-host-key`.
    public var acceptNewHostKey: Bool?
    /// `--ha-restart`.
    public var haRestart: HomeAssistantRestartWay?

    public struct HomeAssistantCommands: Sendable, Hashable {
        public var stop: [String]
        public var start: [String]
        public var restart: [String]
    }

    static let keys = ["repo", "root", "caddyfile", "ha_config", "caddy_data", "compose_file", "state_dir",
                       "branch", "gateway", "status_branch", "token_file", "token_env", "ssh_key", "known_hosts",
                       "caddy", "caddy_admin", "compose", "ha_url", "probe", "probe_attempts", "probe_timeout", "ha_commands",
                       "policy", "allowed_signers", "gpg_keyring", "serve", "allow_symlinked_live_paths", "git_timeout", "ha_repair_lost_masks", "ha_token_file", "adopt", "notify"]

    public init() {}

    public static func parse(_ bytes: [UInt8], file: String) throws(DiagnosticList) -> SettingsFile {
        let document: YAMLDocument
        do {
            document = try YAMLDocument.parse(bytes, file: file)
        } catch {
            throw DiagnosticList([error])
        }
        var settings = SettingsFile()
        guard let root = document.root else { return settings }
        guard let pairs = root.pairs else {
            throw DiagnosticList([Diagnostic(file: file, position: root.start.position, message: "expected a mapping of settings",
                                             hint: "keys: \(keys.joined(separator: ", "))")])
        }
        var problems: [Diagnostic] = []
        for pair in pairs {
            let key = pair.key.scalarValue ?? ""
            if key == "ha_commands" {
                do { settings.haCommands = try commands(pair.value, file: file) } catch { problems.append(error) }
                continue
            }
            if key == "notify" {
                do { settings.notify = try NotifyTarget.parseList(pair.value, file: file) } catch { problems += error.diagnostics }
                continue
            }
            if key == "serve" {
                do { settings.serve = try ServeFileSettings.parse(pair.value, file: file) } catch { problems += error.diagnostics }
                continue
            }
            guard let value = pair.value.scalarValue, pair.value.tag == nil, !value.isEmpty else {
                problems.append(Diagnostic(file: file, position: pair.value.start.position, message: "'\(key)' must be a path"))
                continue
            }
            switch key {
            case "repo": settings.repo = value
            case "root": settings.root = value
            case "caddyfile": settings.caddyfile = value
            case "ha_config": settings.haConfig = value
            case "caddy_data": settings.caddyData = value
            case "compose_file": settings.composeFile = value
            case "state_dir": settings.stateDir = value
            case "branch": settings.branch = value
            case "gateway": settings.gateway = value
            case "status_branch": settings.statusBranch = value
            case "token_file": settings.tokenFile = value
            case "ha_token_file": settings.haTokenFile = value
            case "token_env": settings.tokenEnv = value
            case "ssh_key": settings.sshKey = value
            case "known_hosts": settings.knownHosts = value
            case "caddy_admin": settings.caddyAdmin = value
            case "caddy":
                do {
                    settings.caddy = try choice(value, key: key, at: pair.value, file: file,
                                                hint: "auto reaches Caddy through its admin API when it answers, else through its container")
                } catch { problems.append(error) }
            case "compose":
                do { settings.compose = try choice(value, key: key, at: pair.value, file: file) } catch { problems.append(error) }
            case "ha_url": settings.haURL = value
            case "probe": settings.probe = value
            case "policy": settings.policy = value
            case "allowed_signers": settings.allowedSigners = value
            case "gpg_keyring": settings.gpgKeyring = value
            case "probe_attempts":
                guard let number = Int(value), number > 0 else {
                    problems.append(Diagnostic(file: file, position: pair.value.start.position, message: "'probe_attempts' must be a positive number"))
                    continue
                }
                settings.probeAttempts = number
            case "git_timeout":
                guard let seconds = Double(value), seconds > 0 else {
                    problems.append(Diagnostic(file: file, position: pair.value.start.position, message: "'git_timeout' must be a positive number of seconds"))
                    continue
                }
                settings.gitTimeout = seconds
            case "allow_symlinked_live_paths":
                guard value == "true" || value == "false" else {
                    problems.append(Diagnostic(file: file, position: pair.value.start.position, message: "'allow_symlinked_live_paths' must be true or false"))
                    continue
                }
                settings.allowSymlinkedLivePaths = value == "true"
            case "ha_repair_lost_masks":
                guard value == "true" || value == "false" else {
                    problems.append(Diagnostic(file: file, position: pair.value.start.position, message: "'ha_repair_lost_masks' must be true or false"))
                    continue
                }
                settings.haRepairLostMasks = value == "true"
            case "adopt":
                guard value == "true" || value == "false" else {
                    problems.append(Diagnostic(file: file, position: pair.value.start.position, message: "'adopt' must be true or false"))
                    continue
                }
                settings.adopt = value == "true"
            case "probe_timeout":
                guard let seconds = Double(value), seconds > 0 else {
                    problems.append(Diagnostic(file: file, position: pair.value.start.position, message: "'probe_timeout' must be a positive number of seconds"))
                    continue
                }
                settings.probeTimeout = seconds
            default:
                problems.append(unknownSetting(key, shownAs: key, keys: keys, file: file, at: pair.key.start.position))
            }
        }
        if !problems.isEmpty { throw DiagnosticList(problems) }
        return settings
    }

    /// One of a fixed set of values, or an error at the value that lists them.
    static func choice<Choice: SettingChoice>(_ value: String, key: String, at node: YAMLNode, file: String,
                                              hint: String? = nil) throws(Diagnostic) -> Choice {
        guard let choice = Choice(rawValue: value) else {
            throw Diagnostic(file: file, position: node.start.position,
                             message: "'\(key)' is '\(value)', not one of \(Choice.allowedValues)", hint: hint)
        }
        return choice
    }

    /// A key the settings file does not know, with the nearest known one (or the list) as the hint.
    static func unknownSetting(_ key: String, shownAs shown: String, keys: [String], file: String, at position: SourcePosition) -> Diagnostic {
        let hint = Suggestion.nearest(to: key, in: keys).map { "did you mean '\($0)'?" } ?? "keys: \(keys.joined(separator: ", "))"
        return Diagnostic(file: file, position: position, message: "unknown setting '\(shown)'", hint: hint)
    }

    /// `ha_commands: {stop: [...], start: [...], restart: [...]}`, each an argv list (no shell).
    static func commands(_ node: YAMLNode, file: String) throws(Diagnostic) -> HomeAssistantCommands {
        func list(_ key: String) throws(Diagnostic) -> [String] {
            guard let items = node[key]?.items, !items.isEmpty else {
                throw Diagnostic(file: file, position: node.start.position, message: "ha_commands needs '\(key)' as a list of words",
                                 hint: "e.g. \(key): [systemctl, \(key), home-assistant]")
            }
            var words: [String] = []
            for item in items {
                guard let word = item.scalarValue, item.tag == nil else {
                    throw Diagnostic(file: file, position: item.start.position, message: "ha_commands.\(key) holds something other than words")
                }
                words.append(word)
            }
            return words
        }
        return HomeAssistantCommands(stop: try list("stop"), start: try list("start"), restart: try list("restart"))
    }

    /// Reads the file; a missing file is an error here, since the user named it.
    public static func load(_ path: String) throws(ReconcileError) -> SettingsFile {
        let bytes: [UInt8]?
        do {
            bytes = try LiveFileReader.read(path, maxBytes: 1 << 20)
        } catch {
            throw .failed(.unreadableLiveFile, error.description)
        }
        guard let bytes else {
            throw .invalidInput(DiagnosticList([Diagnostic(file: path, position: nil, message: "the settings file does not exist")]), reason: .invalidSettings)
        }
        do {
            return try parse(bytes, file: path)
        } catch {
            throw .invalidInput(error, reason: .invalidSettings)
        }
    }
}
