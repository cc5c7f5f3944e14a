import Adapters
import Diagnostics

/// Everything a command runs with, resolved once at the command line's edge: its options laid over the
/// settings file (`SettingsFile.over`), then the defaults, here. Handed down as a value: nothing below
/// reads an option, the settings file or a global again.
public struct ResolvedSettings: Sendable {
    public var reconcile: ReconcileSettings
    /// How the plan names, and apply reaches, Caddy; nil when the engine is not asked.
    public var caddy: CaddyWay?
    /// The Compose client the plan reads the engine with; nil: `none`, or the engine is not asked.
    public var compose: ComposeSettings?
    /// How apply reaches the running gateway; nil: `--no-runtime`, or a plan.
    public var runtime: RuntimeSettings?
    /// `reconcile serve`'s own settings, as given (the daemon's types resolve them further).
    public var serve: ServeFileSettings
    public var logFormat: LogFormat

    /// What the command asks of the running gateway.
    public enum Engine: Sendable, Hashable {
        /// Files only (`--no-runtime`): no engine, no Caddy.
        case filesOnly
        /// A plan: it reads the engine and names the way to Caddy.
        case read
        /// An apply: the full runtime (Caddy, Compose, Home Assistant, probes).
        case apply
    }

    public static let defaultLogFormat = LogFormat.text

    /// `settings`: the command line's layer over the file's. Throws `.invalidSettings` naming the option.
    public static func resolve(_ settings: SettingsFile, engine: Engine) throws(ReconcileError) -> ResolvedSettings {
        let reconcile = try reconcileSettings(settings)
        var resolved = ResolvedSettings(reconcile: reconcile, caddy: nil, compose: nil, runtime: nil,
                                        serve: settings.serve ?? ServeFileSettings(), logFormat: settings.serve?.logFormat ?? defaultLogFormat)
        switch engine {
        case .filesOnly: break
        case .read:
            resolved.compose = composeSettings(settings.compose ?? .auto)
            resolved.caddy = try caddyActivation(way: settings.caddy, admin: settings.caddyAdmin)
        case .apply:
            var runtime = try runtimeSettings(settings)
            // A first certificate is told apart only where reconcile loads Caddy itself: with `--caddy none` a
            // failed handshake may just be a Caddy nobody reloaded yet.
            if runtime.caddy != CaddyWay.none { runtime.probes?.certificateStorage = reconcile.paths.caddyDataDir }
            (resolved.runtime, resolved.compose, resolved.caddy) = (runtime, runtime.compose, runtime.caddy)
        }
        return resolved
    }

    /// The exposure repo, the live paths, the gateway's name and its guardrails.
    static func reconcileSettings(_ settings: SettingsFile) throws(ReconcileError) -> ReconcileSettings {
        var paths = GatewayPaths.defaults(root: settings.root)
        if let path = settings.caddyfile { paths.caddyfile = path }
        if let path = settings.haConfig { paths.homeAssistantDir = path }
        if let path = settings.caddyData { paths.caddyDataDir = path }
        if let path = settings.composeFile { paths.composeFile = path }
        if let path = settings.stateDir { paths.stateDir = path }
        paths.allowSymlinkedLivePaths = settings.allowSymlinkedLivePaths == true
        let name = settings.gateway ?? GatewayLayout.defaultGatewayName()
        try GatewayLayout.validate(gateway: name)
        let repo = settings.repo ?? "."
        var result = ReconcileSettings(repo: repo, paths: paths, gateway: name, remote: try remoteSource(repo, settings),
                                       statusBranch: settings.statusBranch ?? StatusBranch.defaultName)
        if let path = settings.policy {
            result.policy = PolicySource(path: path, required: true)
        } else {
            result.policy = PolicySource(path: PolicySource.defaultPath(root: settings.root), required: false)
        }
        if settings.allowedSigners != nil || settings.gpgKeyring != nil {
            result.signatures = SignaturePolicy(allowedSigners: settings.allowedSigners, gpgKeyring: settings.gpgKeyring)
        }
        result.webhookRoute = settings.serve?.route
        result.homeAssistantRepairsLostMasks = settings.haRepairLostMasks == true
        result.homeAssistantTokenFile = settings.haTokenFile
        result.adopt = settings.adopt == true
        result.notify = settings.notify ?? []
        return result
    }
}

extension ReconcileError {
    /// A setting (an option, or its key in the settings file) that cannot be used as given.
    public static func setting(_ option: String, _ message: String, hint: String? = nil) -> ReconcileError {
        .invalidInput(.init([.init(file: option, position: nil, message: message, hint: hint)]), reason: .invalidSettings)
    }
}
