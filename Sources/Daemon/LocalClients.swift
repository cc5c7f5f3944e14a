import DesiredState
import Networks

/// Who may read what the daemon tells about the gateway (the status page, /healthz, /metrics): a client on
/// the gateway's own networks (loopback, private, link-local: `LANRanges`, what `access: lan` means),
/// speaking to the daemon directly. A request forwarded by a proxy is refused: Caddy routing the webhook's
/// host must not publish the rest.
public enum LocalClients {

    /// Why `peer` may not read local pages, or nil when it may. `proxied`: the request carried a proxy's headers;
    /// `allowProxied`: the owner allowed it (`serve.status_page: proxied`).
    public static func refusal(peer: String?, proxied: Bool, allowProxied: Bool = false) -> String? {
        guard let peer, isLocal(peer) else {
            return "this answers only the gateway's own networks (loopback, private, link-local), and \(peer ?? "this client") is not on them"
        }
        if proxied && !allowProxied { return "this answers the home network directly, not through a proxy" }
        return nil
    }

    public static func isLocal(_ address: String) -> Bool {
        guard case .success(var host) = IPNetwork.parse(address) else { return false }
        // An IPv4 client of a dual-stack listener arrives as ::ffff:a.b.c.d.
        if host.address.count == 16, host.address[0..<10].allSatisfy({ $0 == 0 }), host.address[10] == 0xFF, host.address[11] == 0xFF {
            host = IPNetwork(masking: Array(host.address[12...]), prefixLength: 32)
        }
        return LANRanges.contains(host)
    }

    /// Whether a listen address (an IP or a name) can only be reached from this machine.
    public static func isLoopback(_ host: String) -> Bool {
        if host == "localhost" { return true }
        guard case .success(let address) = IPNetwork.parse(host) else { return false }
        return ["127.0.0.0/8", "::1/128"].compactMap { try? IPNetwork.parse($0).get() }.contains { $0.contains(address) }
    }
}
