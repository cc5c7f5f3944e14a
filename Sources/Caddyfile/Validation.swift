import Diagnostics

/// Checks that a desired site can be written so that Caddy (and our own parser) reads back
/// exactly that site.
public enum ManagedSiteValidator {
    /// `file` names the Caddyfile the site is meant for; the diagnostic has no position since the
    /// site comes from the desired state, not from that file.
    public static func validate(_ site: ManagedSite, file: String, syntax: CaddySyntax = .portable) throws(Diagnostic) {
        func fail(_ message: String, _ hint: String? = nil) -> Diagnostic {
            Diagnostic(file: file, position: nil, message: "service '\(site.name)': \(message)", hint: hint)
        }
        let nameBytes = Array(site.name.utf8)
        if nameBytes.isEmpty || nameBytes.contains(where: { $0 < 0x21 || $0 == 0x7F })
            || site.name.unicodeScalars.contains(where: { Scalars.isSpace($0.value) }) {
            throw fail("the name must be one word without spaces", "it is written on the marker line above the site block")
        }
        if site.addresses.isEmpty {
            throw fail("a site needs at least one address")
        }
        for address in site.addresses {
            let bytes = Array(address.utf8)
            if !Quoting.isBareSafe(bytes) || bytes.contains(UInt8(ascii: ",")) {
                throw fail("site address '\(address)' cannot be written in a Caddyfile as one address",
                           "no spaces, commas, quotes or backslashes; braces only as {placeholders}")
            }
            if address.hasPrefix("(") || address.hasPrefix("@") || address.hasPrefix("&(") {
                throw fail("'\(address)' would not be read as a site address", "addresses cannot start with '(', '&(' or '@'")
            }
        }
        if site.addresses[0] == "import" {
            throw fail("'import' cannot be the first site address")
        }
        try validate(site.directives, in: nil, syntax: syntax, fail: fail)
    }

    /// `parent`: the name of the directive whose block holds these lines (nil: the site block).
    private static func validate(_ directives: [CaddyDirective], in parent: String?, syntax: CaddySyntax,
                                 fail: (String, String?) -> Diagnostic) throws(Diagnostic) {
        for directive in directives {
            guard let first = directive.tokens.first, !first.isEmpty else {
                throw fail("a directive needs a name", nil)
            }
            // A line's first word is Caddy's to read: a name written there must not be one of its keywords.
            let reserved = parent == "header" ? CaddyReservedWords.headerBlock : CaddyReservedWords.anyBlock
            if let word = CaddyReservedWords.reserved(first, in: reserved) {
                throw fail("a line of the site block would start with '\(first)', which Caddy reads as its own '\(word)'", nil)
            }
            if parent == "header", let sign = first.first, "+-?>".contains(sign) {
                throw fail("header '\(first)' starts with '\(sign)', which Caddy reads as an operation on headers", nil)
            }
            for token in directive.tokens where Quoting.form(of: token, syntax: syntax) == .impossible {
                throw fail("token '\(token)' of directive '\(first)' cannot be written in a Caddyfile for \(syntax.description)",
                           "Caddy before 2.11.7 reads a lone '{' or '}' as a brace however it is quoted, and a token holding both a backtick and a \\\" (or ending in '\\') has no quoting that keeps it intact")
            }
            if let children = directive.children { try validate(children, in: first, syntax: syntax, fail: fail) }
        }
    }
}
