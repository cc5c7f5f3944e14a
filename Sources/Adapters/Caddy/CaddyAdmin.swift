import EssentialsExtras
import FoundationEssentials

/// Caddy's admin API (default `localhost:2019`). Loading through it sidesteps the single-file bind
/// mount problem: the container's Caddy gets the content itself, not a path it may see stale.
public struct CaddyAdmin: Sendable {
    public var address: String
    public var port: Int
    /// Seconds for one admin call; `/load` blocks until the reload is done.
    public var timeout: Double

    public init(endpoint: String = "127.0.0.1:2019", timeout: Double = 30) {
        let parts = endpoint.split(separator: ":")
        address = parts.count > 1 ? parts.dropLast().joined(separator: ":") : "127.0.0.1"
        port = parts.last.flatMap { Int($0) } ?? 2019
        self.timeout = timeout
    }

    public var endpoint: String { "\(address):\(port)" }

    /// Adapts and loads a Caddyfile. If Caddy rejects it, the old config keeps serving.
    public func load(caddyfile: [UInt8]) throws(CaddyError) {
        let response = try call("POST", "/load", body: caddyfile, contentType: "text/caddyfile")
        guard response.status == 200 else { throw .rejected(CaddyAdmin.message(response)) }
    }

    /// The JSON Caddy would run for a Caddyfile, without loading it: validation before any write.
    public func adapt(caddyfile: [UInt8]) throws(CaddyError) -> [UInt8] {
        let response = try call("POST", "/adapt", body: caddyfile, contentType: "text/caddyfile")
        guard response.status == 200 else { throw .rejected(CaddyAdmin.message(response)) }
        return response.body
    }

    /// The running config as JSON.
    public func config() throws(CaddyError) -> [UInt8] {
        let response = try call("GET", "/config/", body: [], contentType: nil)
        guard response.status == 200 else { throw .unreachable("\(endpoint): GET /config/ answered \(response.status)") }
        return response.body
    }

    private func call(_ method: String, _ path: String, body: [UInt8], contentType: String?) throws(CaddyError) -> HTTPResponse {
        var headers = [("Host", endpoint)]
        if let contentType { headers.append(("Content-Type", contentType)) }
        do {
            return try HTTPClient.send(HTTPRequest(method: method, address: address, port: port, path: path,
                                                   headers: headers, body: body, timeout: timeout))
        } catch {
            throw .unreachable("Caddy's admin API at \(endpoint) did not answer (\(error.reason)); is Caddy running, and is its admin API on (not `admin off`)?")
        }
    }

    /// Caddy answers errors as `{"error": "..."}`.
    static func message(_ response: HTTPResponse) -> String {
        if let error = JSONValue.parse(response.body)?["error"]?.string {
            return error
        }
        return "HTTP \(response.status): \(response.text.prefix(500))"
    }
}

/// A Caddy failure: either it refused our config (the input), or it could not be reached (the world).
public enum CaddyError: Error, Sendable, CustomStringConvertible {
    case rejected(String)
    case unreachable(String)

    public var description: String {
        switch self {
        case .rejected(let message): return "Caddy rejected the config: \(message)"
        case .unreachable(let message): return message
        }
    }
}
