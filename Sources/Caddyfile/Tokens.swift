import Diagnostics

/// One token of a Caddyfile, as Caddy's lexer would produce it, plus where it sits in the file.
public struct CaddyToken: Hashable, Sendable {
    public enum Kind: Hashable, Sendable {
        case word
        case quoted      // "…"
        case backtick    // `…`
        case heredoc     // <<MARKER … MARKER
        case openBrace   // a bare `{`
        case closeBrace  // a bare `}`
    }

    public let kind: Kind
    /// The value after unquoting (what Caddy's parser sees). `{$VAR}` spans are kept verbatim.
    public let text: String
    /// The raw bytes of the token in the file, quotes and escapes included.
    public let byteRange: Range<Int>
    /// Physical position of the token's first byte (1-based; columns count characters).
    public let line: Int
    public let column: Int
    /// Caddy's own line number for the token: physical line minus the `\`+newline continuations
    /// since the last real newline. Tokens belong to the same directive line when these agree.
    let logicalLine: Int
    /// Caddy's `NumLineBreaks`: newlines inside the token's text (+2 for a heredoc).
    let lineBreaks: Int

    init(kind: Kind, text: String, byteRange: Range<Int>, line: Int, column: Int, logicalLine: Int, lineBreaks: Int) {
        self.kind = kind
        self.text = text
        self.byteRange = byteRange
        self.line = line
        self.column = column
        self.logicalLine = logicalLine
        self.lineBreaks = lineBreaks
    }

    public var position: SourcePosition { SourcePosition(line: line, column: column) }

    /// Current Caddy (caddyserver/caddy#7875, in 2.11.7) decides structure on bare braces only:
    /// a quoted, backticked or heredoc "{" is an argument (`header X-Curly-Open "{"`). Caddy up
    /// to 2.11.4 (Debian's 2.6.2 included) read any token whose text is "{" as a brace; the
    /// renderer never writes such a token for those versions (see `CaddyVersion`).
    var opensBlock: Bool { kind == .openBrace }
    var closesBlock: Bool { kind == .closeBrace }
    /// Caddy's `wasQuoted == 0`: the checks on a token's text apply to bare words only.
    var isBare: Bool { kind == .word || kind == .openBrace || kind == .closeBrace }
}

/// A `#` comment (Caddy drops them; we keep them to find our markers and to preserve them).
public struct CaddyComment: Hashable, Sendable {
    /// From `#` up to, not including, the newline.
    public let byteRange: Range<Int>
    public let line: Int
    public let column: Int
    /// The comment text from `#`, without a trailing `\r`.
    public let text: String
}
