import Diagnostics

/// Groups tokens into top-level blocks the way Caddy's parser (caddyconfig/caddyfile/parse.go)
/// does, and checks brace structure. It does not interpret directives.
///
/// Rules, after Caddy (stricter where /work/shared/reference/caddy.md says so):
/// - Tokens belong to the same line when Caddy's line numbers say so (`\`+newline joins lines).
/// - A block's `{` ends the line that opens it; a `{` starting a line is an error, except the
///   keyless global options block at the top level. (Caddy 2.6.2 still accepts a site's `{` on
///   the next line; newer versions and `caddy fmt` do not, so we ask for it to be moved.)
/// - The `}` closing a site (or the global options) starts its line, as Caddy requires; a `}`
///   closing a nested block, or a snippet, may end a line of tokens, and tokens may follow a
///   nested `}` (Caddy accepts both). After a top-level `}` the next block may start on the
///   same line (Caddy accepts `} next.example {`).
/// - Only bare braces are structure, as in current Caddy: a quoted "{" is an argument.
struct Parser {
    let tokens: [CaddyToken]
    let file: String
    let lines: LineIndex
    /// The tokens parsed: all of them, or a snippet's body when checking what an import yields.
    let bounds: Range<Int>
    var end: Int { bounds.upperBound }
    var blocks: [TopLevelBlock] = []
    /// Snippets defined so far: name -> token indices of the body (Caddy expands imports of
    /// snippets defined before them).
    var snippets: [String: Range<Int>] = [:]
    /// Snippets being expanded, to stop on import cycles.
    var expanding: Set<String> = []

    init(tokens: [CaddyToken], file: String, lines: LineIndex, bounds: Range<Int>? = nil) {
        self.tokens = tokens
        self.file = file
        self.lines = lines
        self.bounds = bounds ?? 0..<tokens.count
    }

    /// Caddy's `isNewLine`: is token `k` on a later line than token `k - 1`?
    @inline(__always)
    func startsLine(_ k: Int) -> Bool {
        if k == bounds.lowerBound { return true }
        let previous = tokens[k - 1]
        return previous.logicalLine + previous.lineBreaks < tokens[k].logicalLine
    }

    func error(_ token: CaddyToken, _ message: String, hint: String? = nil) -> Diagnostic {
        Diagnostic(file: file, position: token.position, message: message, hint: hint)
    }

    mutating func parse() throws(Diagnostic) -> [TopLevelBlock] {
        var k = bounds.lowerBound
        var sawSite = false
        while k < end {
            let token = tokens[k]
            if token.closesBlock {
                throw error(token, "unexpected '}' with no open block", hint: "remove it, or find the '{' it was meant to close")
            }
            if token.opensBlock {
                // A keyless block: global options. Caddy only allows it first (snippets aside).
                let close = try blockEnd(openingAt: k)
                if sawSite && close > k + 1 {
                    throw error(token, "a block without an address is the global options block, and it must come first",
                                hint: "move it to the top of the file, or put the site address(es) before '{'")
                }
                append(.globalOptions, tokens: k..<(close + 1), headerEnd: token.byteRange.lowerBound, openBrace: k)
                k = close + 1
                continue
            }
            if token.text == "import" && startsLine(k) {
                k = try importLine(at: k)
                continue
            }
            k = try siteOrSnippet(at: k)
            if blocks.last?.isSite == true { sawSite = true }
        }
        return blocks
    }

    mutating func append(_ kind: TopLevelBlock.Kind, tokens range: Range<Int>, headerEnd: Int, openBrace: Int?, runsToEndOfFile: Bool = false) {
        let first = tokens[range.lowerBound]
        let last = tokens[range.upperBound - 1]
        let byteRange = first.byteRange.lowerBound..<last.byteRange.upperBound
        blocks.append(TopLevelBlock(kind: kind, byteRange: byteRange, firstLine: first.line,
                                    lastLine: lines.line(of: max(byteRange.lowerBound, byteRange.upperBound - 1)),
                                    position: first.position, tokenRange: range, headerEnd: headerEnd, openBrace: openBrace,
                                    runsToEndOfFile: runsToEndOfFile))
    }

    /// `import pattern [args…]` on its own line, optionally with a block (Caddy 2.8+ block args).
    /// Caddy splices the snippet's tokens in and keeps parsing site addresses: a snippet of
    /// directives thereby becomes a site without braces that takes in the rest of the file, so
    /// such an import runs to the end of the file here too. Imported files are assumed to hold
    /// complete blocks (we only read this file).
    mutating func importLine(at k: Int) throws(Diagnostic) -> Int {
        var next = k + 1
        while next < end && !startsLine(next) { next += 1 }
        if next == k + 1 {
            throw error(tokens[k], "'import' needs a snippet name or a file pattern")
        }
        var arguments = tokens[(k + 1)..<next].map(\.text)
        var openBrace: Int?
        if tokens[next - 1].opensBlock {
            openBrace = next - 1
            arguments.removeLast()
            next = try blockEnd(openingAt: next - 1) + 1
        }
        let headerEnd = tokens[(openBrace ?? next) - 1].byteRange.upperBound
        if arguments.isEmpty || expandsToCompleteBlocks(arguments[0]) {
            append(.importDirective(arguments: arguments), tokens: k..<next, headerEnd: headerEnd, openBrace: openBrace)
            return next
        }
        try checkBraces(from: next, depth: 0)
        append(.importDirective(arguments: arguments), tokens: k..<end, headerEnd: headerEnd, openBrace: openBrace,
               runsToEndOfFile: true)
        return end
    }

    /// Whether importing `name` at the top level yields whole blocks (true for anything that is
    /// not a snippet defined above). A cycle or a parse error counts as not whole.
    func expandsToCompleteBlocks(_ name: String) -> Bool {
        guard let body = snippets[name] else { return true }
        if body.isEmpty { return true }
        if expanding.contains(name) { return false }
        var inner = Parser(tokens: tokens, file: file, lines: lines, bounds: body)
        inner.snippets = snippets
        inner.expanding = expanding.union([name])
        guard let blocks = try? inner.parse() else { return false }
        return !blocks.contains { $0.runsToEndOfFile }
    }

    /// Site addresses, then either a braced body or (braceless) everything to the end of the file.
    mutating func siteOrSnippet(at start: Int) throws(Diagnostic) -> Int {
        var keys: [String] = []
        var expectingAnother = false
        var k = start
        var lastAddress = start
        while true {
            let token = tokens[k]
            if token.opensBlock {
                if expectingAnother {
                    throw error(token, "expected another address after ',' but found '{'", hint: "remove the trailing comma")
                }
                break
            }
            if token.closesBlock {
                throw error(token, "unexpected '}' with no open block", hint: "remove it, or find the '{' it was meant to close")
            }
            var value = token.text
            if value == "{}" && token.isBare {
                throw error(token, "'{}' is not an empty block in a Caddyfile", hint: "write '{' at the end of the line and '}' on the next line")
            }
            if value.hasSuffix("{") && token.isBare {
                throw error(token, "site address '\(value)' ends with '{'", hint: "put a space between the address and '{'")
            }
            if !value.isEmpty {
                if value.hasSuffix(",") {
                    value.removeLast()
                    expectingAnother = true
                } else {
                    expectingAnother = false
                }
                if value.contains(",") {
                    throw error(token, "site address '\(value)' contains a comma",
                                hint: "separate site addresses with ', ' (a comma and a space)")
                }
                if !value.isEmpty { keys.append(value) }
            }
            lastAddress = k
            k += 1
            if k == end {
                if expectingAnother {
                    throw error(token, "the address list ends with ',' but no address follows", hint: "remove the trailing comma")
                }
                break
            }
            if !expectingAnother && startsLine(k) { break }
        }
        let headerEnd = tokens[lastAddress].byteRange.upperBound
        let isSnippet = keys.count == 1 && keys[0].hasPrefix("(") && keys[0].hasSuffix(")") && keys[0].count >= 2

        if k < end && tokens[k].opensBlock {
            if startsLine(k) {
                throw error(tokens[k], "'{' must be at the end of the line that opens the block, not at the start of a line",
                            hint: "move '{' up to the end of line \(tokens[lastAddress].line), after '\(tokens[lastAddress].text)'")
            }
            let close = try blockEnd(openingAt: k, closerStartsLine: !isSnippet)
            let kind: TopLevelBlock.Kind
            if isSnippet {
                let name = String(keys[0].dropFirst().dropLast())
                kind = .snippet(name: name)
                snippets[name] = (k + 1)..<close
            } else if keys.isEmpty {
                kind = .globalOptions
            } else {
                kind = .site(addresses: keys)
            }
            append(kind, tokens: start..<(close + 1), headerEnd: headerEnd, openBrace: k)
            return close + 1
        }

        if isSnippet {
            throw error(tokens[start], "snippet \(keys[0]) has no block", hint: "put '{' at the end of its line and '}' after its contents")
        }
        if keys.isEmpty {
            throw error(tokens[start], "expected a site address")
        }
        // Braceless site: Caddy reads directives to the end of the file.
        try checkBraces(from: k, depth: 0)
        append(.bracelessSite(addresses: keys), tokens: start..<end, headerEnd: headerEnd, openBrace: nil, runsToEndOfFile: true)
        return end
    }

    /// The index of the `}` matching the `{` at `open`.
    func blockEnd(openingAt open: Int, closerStartsLine: Bool = true) throws(Diagnostic) -> Int {
        try checkOpenBraceEndsLine(open)
        return try checkBraces(from: open + 1, depth: 1, closerStartsLine: closerStartsLine)!
    }

    func checkOpenBraceEndsLine(_ k: Int) throws(Diagnostic) {
        if k + 1 < end && !startsLine(k + 1) {
            throw error(tokens[k + 1], "'{' must be the last thing on its line",
                        hint: "move '\(tokens[k + 1].text)' to the next line, or quote the '{' if it is meant as an argument")
        }
    }

    /// Walks tokens from `start`, checking braces. With `depth` > 0, returns the index of the `}`
    /// that brings it back to 0; with `depth` == 0 (a braceless site), runs to the end.
    @discardableResult
    func checkBraces(from start: Int, depth initialDepth: Int, closerStartsLine: Bool = true) throws(Diagnostic) -> Int? {
        var open: [Int] = []  // indices of unclosed `{`, innermost last (only those opened here)
        var depth = initialDepth
        var k = start
        while k < end {
            let token = tokens[k]
            if token.opensBlock {
                if startsLine(k) {
                    throw error(token, "'{' must be at the end of the line that opens the block, not at the start of a line",
                                hint: k > 0 ? "move '{' up to the end of the previous line" : nil)
                }
                try checkOpenBraceEndsLine(k)
                open.append(k)
                depth += 1
                if depth > CaddyfileLimits.maxDepth {
                    throw error(token, "blocks nested deeper than \(CaddyfileLimits.maxDepth) levels",
                                hint: "no Caddyfile needs this; the file is damaged or hostile (bound: CaddyfileLimits.maxDepth)")
                }
            } else if token.closesBlock {
                if depth == 0 {
                    throw error(token, "unexpected '}' with no open block", hint: "remove it, or find the '{' it was meant to close")
                }
                depth -= 1
                if !open.isEmpty { open.removeLast() }
                if depth == 0 && initialDepth > 0 {
                    if closerStartsLine && !startsLine(k) {
                        throw error(token, "the '}' closing this block must start its line", hint: "move '}' to the next line")
                    }
                    return k
                }
            } else if token.text == "{}" && token.kind == .word && (k + 1 == end || startsLine(k + 1)) {
                throw error(token, "'{}' is not an empty block in a Caddyfile", hint: "write '{' at the end of the line and '}' on the next line")
            }
            k += 1
        }
        if depth > 0 {
            let opener = open.last.map { tokens[$0] } ?? tokens[start - 1]
            throw error(opener, "this '{' is never closed", hint: "add a '}' on its own line where the block ends")
        }
        return nil
    }
}
