/// Whether a hand-written site block may be taken over by reconcile (adopted), for a gateway
/// first set up by hand. Adoption needs the user's opt-in; this only decides if a block qualifies.
///
/// A block qualifies when its addresses are exactly one declared host and, whitespace and
/// comments aside, its body says what reconcile would say: either exactly the managed block's
/// directives, or the how-to's shape, one `reverse_proxy` to the declared upstream (the managed
/// block then adds what reconcile always writes, such as the security headers; the plan's diff
/// shows it). Anything more is the user's and stays refused, naming its line.
public enum SiteAdoption {
    public enum Verdict: Hashable, Sendable {
        case adoptable
        /// The first thing that keeps the block from qualifying, and its line.
        case differs(line: Int, reason: String)
    }

    public static func verdict(_ block: TopLevelBlock, in document: CaddyfileDocument, for site: ManagedSite) -> Verdict {
        guard case .site(let addresses) = block.kind, let open = block.openBrace else {
            return .differs(line: block.firstLine, reason: "a site without braces takes in the rest of the file")
        }
        let declared = Set(site.addresses.map(HostKey.of))
        if let extra = addresses.first(where: { !declared.contains(HostKey.of($0)) }) {
            return .differs(line: block.firstLine, reason: "it also serves \(extra), which service '\(site.name)' does not declare")
        }
        if addresses.count != 1 {
            return .differs(line: block.firstLine, reason: "it lists \(addresses.count) addresses; an adoptable block serves exactly one host")
        }
        let lineStart = document.lines.start(ofLine: block.firstLine)
        if !document.bytes[lineStart..<block.byteRange.lowerBound].allSatisfy(Scalars.isHorizontalSpace) {
            return .differs(line: block.firstLine, reason: "the site shares its first line with other text")
        }
        let close = block.tokenRange.upperBound - 1
        let parser = Parser(tokens: document.tokens, file: document.file, lines: document.lines)
        let body = parser.directivesWithLines(open: open, close: close)
        let directives = body.map(\.directive)
        if directives == site.directives { return .adoptable }

        guard let proxy = firstProxy(in: site.directives) else {
            return .differs(line: block.firstLine, reason: "the declared site has no reverse_proxy to compare with")
        }
        if body.isEmpty {
            return .differs(line: block.firstLine, reason: "the block is empty, where reconcile writes `\(written(proxy))`")
        }
        for (index, entry) in body.enumerated() {
            let tokens = entry.directive.tokens
            if index > 0 {
                return .differs(line: entry.line, reason: "`\(written(entry.directive))` is more than one reverse_proxy to \(upstream(proxy))")
            }
            if tokens.first != "reverse_proxy" {
                return .differs(line: entry.line, reason: "`\(written(entry.directive))` is not a reverse_proxy to \(upstream(proxy))")
            }
            if tokens != proxy.tokens {
                return .differs(line: entry.line, reason: "it proxies to \(tokens.dropFirst().joined(separator: " ")), where the declared upstream is \(upstream(proxy))")
            }
            if entry.directive.children != nil {
                return .differs(line: entry.line, reason: "its reverse_proxy has a block of options, which reconcile would not write")
            }
        }
        return .adoptable
    }

    /// The first `reverse_proxy` of the managed site, at the top or nested (in a `route`).
    static func firstProxy(in directives: [CaddyDirective]) -> CaddyDirective? {
        for directive in directives {
            if directive.tokens.first == "reverse_proxy" { return directive }
            if let nested = firstProxy(in: directive.children ?? []) { return nested }
        }
        return nil
    }

    static func upstream(_ proxy: CaddyDirective) -> String { proxy.tokens.dropFirst().joined(separator: " ") }

    static func written(_ directive: CaddyDirective) -> String {
        directive.tokens.map { Quoting.written($0) }.joined(separator: " ") + (directive.children == nil ? "" : " { … }")
    }

    /// The bytes an adopted block gives up: from the start of its first line through its `}` line
    /// (the newline included when only blanks follow the `}`), as for a managed block.
    static func replacedRange(of block: TopLevelBlock, in document: CaddyfileDocument) -> Range<Int> {
        let start = document.lines.start(ofLine: block.firstLine)
        let bytes = document.bytes
        var end = block.byteRange.upperBound
        var i = end
        while i < bytes.count && Scalars.isHorizontalSpace(bytes[i]) { i += 1 }
        if i == bytes.count { end = i } else if bytes[i] == 0x0A { end = i + 1 }
        return start..<end
    }
}

extension Parser {
    /// The block's top-level directives, each with the line of its first token.
    func directivesWithLines(open: Int, close: Int) -> [(directive: CaddyDirective, line: Int)] {
        var starts: [Int] = []
        var depth = 0
        for k in (open + 1)..<close {
            if depth == 0 && startsLine(k) && !tokens[k].closesBlock { starts.append(tokens[k].line) }
            if tokens[k].opensBlock { depth += 1 } else if tokens[k].closesBlock { depth -= 1 }
        }
        let directives = self.directives(open: open, close: close)
        // The two walks agree on where directives start; zip keeps us safe if they ever did not.
        return zip(directives, starts).map { ($0, $1) }
    }
}
