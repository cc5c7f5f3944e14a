/// How two site addresses are compared when deciding whether a host is already served:
/// case-insensitively, with an `https://` scheme and a `:443` port ignored (they are what Caddy
/// assumes for a bare host). Anything else (`http://`, other ports, paths, wildcards) stays
/// part of the key, since Caddy serves those as different sites.
public enum HostKey {
    public static func of(_ address: String) -> String {
        // Managed addresses are lower-case already (1,000 per plan): no copy for them.
        var key = address.utf8.contains(where: { (0x41...0x5A).contains($0) || $0 >= 0x80 }) ? address.lowercased() : address
        if key.hasPrefix("https://") { key.removeFirst("https://".count) }
        if key.hasSuffix(":443") { key.removeLast(":443".count) }
        return key
    }
}
