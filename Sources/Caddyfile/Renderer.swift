import Diagnostics

/// A site block as the desired state declares it.
public struct ManagedSite: Hashable, Sendable {
    /// The service name written on the marker line; one word.
    public var name: String
    public var addresses: [String]
    public var directives: [CaddyDirective]

    public init(name: String, addresses: [String], directives: [CaddyDirective]) {
        self.name = name
        self.addresses = addresses
        self.directives = directives
    }
}

/// Writes a managed site the way `caddy fmt` would: the marker line, then the site with one tab
/// per nesting level, ` {` at the end of opening lines and `}` alone on its line.
public enum ManagedBlockRenderer {
    /// Marker line + site block, ending with exactly one "\n". Expects a site that passes
    /// `ManagedSiteValidator.validate` (the editor checks before rendering).
    /// `syntax`: the Caddy that will read the block (only lone-brace tokens depend on it here;
    /// directive spellings are chosen by whoever builds the directives).
    public static func render(_ site: ManagedSite, syntax: CaddySyntax = .portable) -> [UInt8] {
        var body: [UInt8] = []
        body.reserveCapacity(64 * (site.directives.count + 2))
        for (i, address) in site.addresses.enumerated() {
            if i > 0 { body.append(contentsOf: ", ".utf8) }
            Quoting.write(address, into: &body)
        }
        body.append(contentsOf: " {\n".utf8)
        write(site.directives, depth: 1, syntax: syntax, into: &body)
        body.append(contentsOf: "}\n".utf8)

        var out = Array(Marker.line(name: site.name, checksum: Checksum.hex(body)).utf8)
        out.append(0x0A)
        out.append(contentsOf: body)
        return out
    }

    /// Only the site part (what the checksum covers).
    static func write(_ directives: [CaddyDirective], depth: Int, syntax: CaddySyntax, into out: inout [UInt8]) {
        for directive in directives {
            out.append(contentsOf: repeatElement(0x09, count: depth))
            for (i, token) in directive.tokens.enumerated() {
                if i > 0 { out.append(0x20) }
                Quoting.write(token, syntax: syntax, into: &out)
            }
            if let children = directive.children {
                out.append(contentsOf: " {\n".utf8)
                write(children, depth: depth + 1, syntax: syntax, into: &out)
                out.append(contentsOf: repeatElement(0x09, count: depth))
                out.append(0x7D)
            }
            out.append(0x0A)
        }
    }
}
