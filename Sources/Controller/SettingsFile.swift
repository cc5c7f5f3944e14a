import Adapters
import Diagnostics
import YAMLEdit

/// `--config FILE`: the same settings as the command-line options, in YAML, for a gateway that
/// runs reconcile from a timer or a unit file. Options given on the command line win: the CLI writes its
/// options into a value of this same type and lays it over the file's (`over(_:)`), then
/// `ResolvedSettings` adds the defaults. A nil field is "not said here". Each field is described once, with
/// its key, option, help and values, in `SettingsFile.table`: the reader and the precedence follow from it.
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
    public var caddy: CaddyWaySetting?
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
        try table.read(root, into: &settings, file: file)
        return settings
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
