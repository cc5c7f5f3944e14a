import Adapters
import Compose
import Controller

/// `--probe https://127.0.0.1:443`: where Caddy is reached for probes, or `none`.
enum ProbeURL {
    static func settings(_ text: String) throws(ReconcileError) -> ProbeSettings? {
        if text == "none" { return nil }
        guard let (scheme, address, port, _) = split(text), let kind = ProbeSettings.Scheme(rawValue: scheme) else {
            throw problem("--probe", "'\(text)' is not http(s)://ADDRESS:PORT or none", hint: "e.g. https://127.0.0.1:443")
        }
        return ProbeSettings(address: address, port: port ?? (kind == .https ? 443 : 80), scheme: kind)
    }
}

/// `--ha-url http://127.0.0.1:8123/manifest.json`: where Home Assistant answers once it is up.
enum HomeAssistantURL {
    static func readiness(_ text: String?) throws(ReconcileError) -> HomeAssistantReadiness {
        guard let text else { return HomeAssistantReadiness() }
        guard let (scheme, address, port, path) = split(text), scheme == "http" else {
            throw problem("--ha-url", "'\(text)' is not http://ADDRESS:PORT/PATH", hint: "e.g. http://127.0.0.1:8123/manifest.json")
        }
        return HomeAssistantReadiness(address: address, port: port ?? 80, path: path.isEmpty ? "/" : path)
    }
}

/// `scheme://address[:port][/path]`, with `[v6]` addresses.
func split(_ url: String) -> (scheme: String, address: String, port: Int?, path: String)? {
    guard let schemeEnd = url.range(of: "://") else { return nil }
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
