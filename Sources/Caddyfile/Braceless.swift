import Diagnostics

/// A Caddyfile whose (last) site has no braces reads everything after the site's address line as
/// that site's directives, so a site block appended after it would become directives of the
/// first site. We refuse to add sites to such a file and show the minimal rewrite: the same site
/// with ` {` after its addresses and `}` at the end. Updating or removing existing managed
/// blocks above it stays possible.
extension CaddyfileEditor {
    /// The whole file with its braceless site wrapped in braces (nothing re-indented), or nil if
    /// it has none. The planner may offer it; we never apply it on our own.
    public static func wrappingBracelessSite(_ document: CaddyfileDocument) -> [UInt8]? {
        guard let site = document.bracelessSite else { return nil }
        let bytes = document.bytes
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count + 4)
        out.append(contentsOf: bytes[..<site.headerEnd])
        out.append(contentsOf: " {".utf8)
        out.append(contentsOf: bytes[site.headerEnd...])
        if let last = out.last, last != 0x0A { out.append(0x0A) }
        out.append(contentsOf: "}\n".utf8)
        return out
    }

    static func bracelessDiagnostic(_ document: CaddyfileDocument, _ site: TopLevelBlock, adding name: String) -> Diagnostic {
        let rewritten = wrappingBracelessSite(document) ?? []
        // Show the site as rewritten, from its first line; long sites are elided in the middle.
        let siteStart = document.lines.start(ofLine: site.firstLine)
        let text = String(decoding: rewritten[siteStart...], as: UTF8.self)
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        if lines.last == "" { lines.removeLast() }
        if lines.count > 12 {
            lines = Array(lines.prefix(5)) + ["\t…"] + Array(lines.suffix(5))
        }
        let addresses = site.addresses.joined(separator: ", ")
        return Diagnostic(
            file: document.file, position: site.position,
            message: "cannot add site '\(name)': the site \(addresses) at line \(site.firstLine) has no braces, so everything after its address line belongs to it",
            hint: "wrap that site in braces (add ' {' after its address and '}' at the end of the file), then run again:\n"
                + lines.joined(separator: "\n"))
    }

    static func openImportDiagnostic(_ document: CaddyfileDocument, _ block: TopLevelBlock, adding name: String) -> Diagnostic {
        guard case .importDirective(let arguments) = block.kind else { preconditionFailure("not an import") }
        let snippet = arguments.first ?? ""
        return Diagnostic(
            file: document.file, position: block.position,
            message: "cannot add site '\(name)': the top-level 'import \(snippet)' at line \(block.firstLine) brings in directives, not whole site blocks, so Caddy reads it and everything after it as one site without braces",
            hint: "import the snippet inside a site block, or make snippet (\(snippet)) hold complete site blocks")
    }
}
