import Adapters

extension ResolvedSettings {
    /// `--compose`: nil is `none`.
    static func composeSettings(_ setting: ComposeClientSetting) -> ComposeSettings? {
        switch setting {
        case .auto: return ComposeSettings(choice: .automatic)
        case .v1: return ComposeSettings(choice: .v1(path: nil))
        case .v2: return ComposeSettings(choice: .v2(dockerPath: nil))
        case .none: return nil
        }
    }

    /// `--caddy WAY` with `--caddy-admin HOST:PORT`. An endpoint given alone keeps its old meaning (that admin API,
    /// or `none`); with neither, `auto`.
    static func caddyActivation(way: CaddyWaySetting?, admin: String?) throws(ReconcileError) -> CaddyWay {
        let endpoint = admin ?? CaddyWay.defaultAdminEndpoint
        switch way {
        case nil:
            guard let admin else { return .automatic(adminEndpoint: endpoint) }
            return admin == "none" ? .none : .adminAPI(endpoint: admin)
        case let way? where way == .auto || way == .adminAPI:
            guard endpoint != "none" else { throw .setting("--caddy-admin", "'none' goes with --caddy none, not --caddy \(way.rawValue)") }
            return way == .auto ? .automatic(adminEndpoint: endpoint) : .adminAPI(endpoint: endpoint)
        case CaddyWaySetting.container?: return .container
        case _?: return .none
        }
    }

    /// How apply reaches the running gateway: Caddy, Compose, Home Assistant's restart, probes.
    static func runtimeSettings(_ settings: SettingsFile) throws(ReconcileError) -> RuntimeSettings {
        var runtime = RuntimeSettings()
        runtime.caddy = try caddyActivation(way: settings.caddy, admin: settings.caddyAdmin)
        runtime.compose = composeSettings(settings.compose ?? .auto)
        let readiness = try HomeAssistantURL.readiness(settings.haURL)
        if let commands = settings.haCommands {
            runtime.homeAssistant = .commands(HomeAssistantControl(stop: commands.stop, start: commands.start, restart: commands.restart,
                                                                   readiness: readiness))
        } else {
            switch settings.haRestart ?? .compose {
            case .compose: runtime.homeAssistant = .compose(client: runtime.compose?.choice.commandPrefix ?? ["docker-compose"], readiness: readiness)
            case .none: runtime.homeAssistant = .none
            }
        }
        runtime.probes = try ProbeURL.settings(settings.probe ?? "https://127.0.0.1:443")
        if let attempts = settings.probeAttempts { runtime.probes?.attempts = max(1, attempts) }
        if let timeout = settings.probeTimeout {
            guard timeout > 0 else { throw .setting("--probe-timeout", "must be more than 0 seconds") }
            runtime.probes?.timeout = timeout
        }
        return runtime
    }
}

/// `--probe https://127.0.0.1:443`: where Caddy is reached for probes, or `none`.
enum ProbeURL {
    static func settings(_ text: String) throws(ReconcileError) -> ProbeSettings? {
        if text == "none" { return nil }
        guard let (scheme, address, port, _) = splitURL(text), let kind = ProbeSettings.Scheme(rawValue: scheme) else {
            throw .setting("--probe", "'\(text)' is not http(s)://ADDRESS:PORT or none", hint: "e.g. https://127.0.0.1:443")
        }
        return ProbeSettings(address: address, port: port ?? (kind == .https ? 443 : 80), scheme: kind)
    }
}

/// `--ha-url http://127.0.0.1:8123/manifest.json`: where Home Assistant answers once it is up.
enum HomeAssistantURL {
    static func readiness(_ text: String?) throws(ReconcileError) -> HomeAssistantReadiness {
        guard let text else { return HomeAssistantReadiness() }
        guard let (scheme, address, port, path) = splitURL(text), scheme == "http" else {
            throw .setting("--ha-url", "'\(text)' is not http://ADDRESS:PORT/PATH", hint: "e.g. http://127.0.0.1:8123/manifest.json")
        }
        return HomeAssistantReadiness(address: address, port: port ?? 80, path: path.isEmpty ? "/" : path)
    }
}

/// `scheme://address[:port][/path]`, with `[v6]` addresses.
func splitURL(_ url: String) -> (scheme: String, address: String, port: Int?, path: String)? {
    guard let schemeEnd = url.firstRange(of: "://") else { return nil }
    let scheme = String(url[..<schemeEnd.lowerBound])
    var rest = url[schemeEnd.upperBound...]
    var path = ""
    if let slash = rest.firstIndex(of: "/") {
        path = String(rest[slash...])
        rest = rest[..<slash]
    }
    var address = String(rest)
    var port: Int?
    if rest.hasPrefix("["), let close = rest.firstIndex(of: "]") {
        address = String(rest[rest.index(after: rest.startIndex)..<close])
        let after = rest[rest.index(after: close)...]
        if after.hasPrefix(":") { port = Int(after.dropFirst()) ; if port == nil { return nil } }
    } else if let colon = rest.lastIndex(of: ":") {
        address = String(rest[..<colon])
        guard let number = Int(rest[rest.index(after: colon)...]) else { return nil }
        port = number
    }
    guard !address.isEmpty, port.map({ (1...65535).contains($0) }) ?? true else { return nil }
    return (scheme, address, port, path)
}

extension ComposeClientChoice {
    /// The command line that runs this client, for Home Assistant's restart through Compose.
    var commandPrefix: [String] {
        switch self {
        case .automatic: return ["docker-compose"]
        case .v1(let path): return [path ?? "docker-compose"]
        case .v2(let docker): return [docker ?? "docker", "compose"]
        }
    }
}
