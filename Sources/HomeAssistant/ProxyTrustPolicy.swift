import Networks
import Diagnostics

/// The networks Home Assistant must trust as proxies for our Caddy: what the desired state allows, no more.
public struct ProxyTrustPolicy: Sendable, Hashable {
    /// As written in the desired state (`127.0.0.1`, `172.16.0.0/12`); compared as networks.
    public var trustedProxies: [String]

    /// Where Caddy's requests really come from on the gateway: loopback, and the Docker range its
    /// bridge network's gateway lives in (Caddy reaches Home Assistant via `host.docker.internal`).
    public static let defaultTrustedProxies = ["127.0.0.1", "::1", "172.16.0.0/12"]

    public init(trustedProxies: [String] = ProxyTrustPolicy.defaultTrustedProxies) {
        self.trustedProxies = trustedProxies
    }

    /// Throws the first entry Home Assistant would reject, or that trusts everyone (`0.0.0.0/0`, `::/0`):
    /// with `use_x_forwarded_for` on, that lets any client forge its address (and dodge `ip_ban`).
    public func validate(file: String, position: SourcePosition? = nil) throws(Diagnostic) {
        guard !trustedProxies.isEmpty else {
            throw Diagnostic(file: file, position: position, message: "trusted proxies list is empty",
                             hint: "with no trusted proxy every request through Caddy gets 400; leave the list out to use the default \(Self.defaultTrustedProxies.joined(separator: ", "))")
        }
        for entry in trustedProxies {
            switch IPNetwork.parse(entry) {
            case .failure(let error):
                throw Diagnostic(file: file, position: position, message: "trusted proxy \(error)",
                                 hint: "write an address (127.0.0.1, ::1) or a network with its prefix length (172.16.0.0/12)")
            case .success(let network) where network.prefixLength == 0:
                throw Diagnostic(file: file, position: position,
                                 message: "trusted proxy '\(entry)' trusts every address",
                                 hint: "anyone could then claim any client address through X-Forwarded-For; name the proxy's own networks, e.g. 127.0.0.1, ::1 and the Docker range 172.16.0.0/12")
            case .success:
                continue
            }
        }
    }

    /// The desired networks, deduplicated, each with the spelling to write in YAML. Call after `validate`.
    var networks: [(network: IPNetwork, spelling: String)] {
        var seen: Set<IPNetwork> = []
        var result: [(IPNetwork, String)] = []
        for entry in trustedProxies {
            guard case .success(let network) = IPNetwork.parse(entry), seen.insert(network).inserted else { continue }
            result.append((network, entry))
        }
        return result
    }
}
