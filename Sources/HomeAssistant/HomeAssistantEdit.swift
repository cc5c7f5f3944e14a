/// The files the planner reads, as bytes (nil = the file does not exist). Paths only label messages.
public struct HomeAssistantInput: Sendable {
    public var configurationYAML: [UInt8]?
    public var configurationPath: String
    public var storageHTTP: [UInt8]?
    public var storagePath: String

    public init(configurationYAML: [UInt8]?, configurationPath: String = "configuration.yaml",
                storageHTTP: [UInt8]?, storagePath: String = ".storage/http") {
        self.configurationYAML = configurationYAML
        self.configurationPath = configurationPath
        self.storageHTTP = storageHTTP
        self.storagePath = storagePath
    }
}

/// Where Home Assistant reads its http settings from.
public enum HomeAssistantMode: String, Sendable, Hashable {
    /// The top-level `http:` of configuration.yaml.
    case yaml
    /// `data.stable` (and a clean `data.pending`) of `.storage/http`, after the 2026.8 migration.
    case storage
}

/// One change to one of the two settings we own, with where it lands (in the file as it is now).
public struct HomeAssistantSettingChange: Sendable, Hashable, CustomStringConvertible {
    public enum Action: Sendable, Hashable {
        case addHTTPBlock
        case removeHTTPBlock
        case setUseXForwardedFor(Bool)
        case removeUseXForwardedFor
        case addTrustedProxiesKey
        case removeTrustedProxiesKey
        case addTrustedProxy(String)
        case removeTrustedProxy(String)
        /// A `data.stable` entry whose mask Home Assistant's migration lost (core#182040), written back in place.
        case repairTrustedProxy(from: String, to: String)
        /// A setting the user wrote goes into the ledger (the opt-in to adoption); the file is unchanged.
        case adopt(String)
    }

    public let action: Action
    public let file: String
    /// The setting's place: `http` (YAML), `data.stable` or `data.pending` (storage).
    public let section: String
    /// 1-based line in the current file: of the text replaced or removed, or the line new text goes before.
    public let line: Int

    public init(action: Action, file: String, section: String, line: Int) {
        self.action = action
        self.file = file
        self.section = section
        self.line = line
    }

    public var description: String {
        let what: String
        switch action {
        case .addHTTPBlock: what = "add the http: block"
        case .removeHTTPBlock: what = "remove the http: block reconcile added"
        case .setUseXForwardedFor(let value): what = "set use_x_forwarded_for to \(value)"
        case .removeUseXForwardedFor: what = "remove use_x_forwarded_for"
        case .addTrustedProxiesKey: what = "add trusted_proxies"
        case .removeTrustedProxiesKey: what = "remove trusted_proxies"
        case .addTrustedProxy(let proxy): what = "trust proxy \(proxy)"
        case .removeTrustedProxy(let proxy): what = "stop trusting proxy \(proxy)"
        case .repairTrustedProxy(let from, let to): what = "repair proxy \(from) → \(to)"
        case .adopt(let setting): what = "adopt \(setting), written by hand"
        }
        return "\(file):\(line): \(section): \(what)"
    }
}

/// The planned edit: new file contents (nil = unchanged), what changes and why, and the ledger after it.
public struct HomeAssistantEdit: Sendable {
    public let mode: HomeAssistantMode
    /// Which mode applies and why, for the plan.
    public let modeReason: HomeAssistantModeReason
    public let newConfigurationYAML: [UInt8]?
    public let newStorageHTTP: [UInt8]?
    public let changes: [HomeAssistantSettingChange]
    /// Why each change is made, when it has a cause of its own (a repair's), by index into `changes`.
    public var causes: [Int: String] = [:]
    /// What Home Assistant will do with what it finds (its pending config, the first start of 2026.8+).
    public var notes: [HomeAssistantNote] = []
    /// Never contain the values of other settings (a `!secret` stays unprinted).
    public let warnings: [String]
    /// Trust settings written by hand that `--adopt` would put into the ledger, kept as the user's until
    /// then (empty with the opt-in: they are in `changes` as `.adopt`). The plan warns about them.
    public var adoptable: [HomeAssistantSettingChange] = []
    /// Home Assistant reads these settings only at start: any change needs a restart.
    public let needsRestart: Bool
    /// Storage mode: Home Assistant rewrites `.storage/http` from memory, so stop it, write, then start it.
    public let mustStopBeforeWriting: Bool
    public let ledger: HomeAssistantLedger

    public var hasChanges: Bool { !changes.isEmpty }

    /// The warning for `adoptable`: which lines, that they stay the user's, and how to opt in. nil when none.
    public var adoptableWarning: (message: String, hint: String)? {
        guard let first = adoptable.first else { return nil }
        let lines = adoptable.map { String($0.line) }.joined(separator: ", ")
        return ("the proxy-trust settings in \(first.section) at line\(adoptable.count == 1 ? "" : "s") \(lines) were written by hand: "
                    + "reconcile keeps them as yours and will never remove them",
                "to let reconcile own them, and remove them once Home Assistant is no longer exposed, run `reconcile apply --adopt` once "
                    + "or set `adopt: true` in the settings file")
    }
}
