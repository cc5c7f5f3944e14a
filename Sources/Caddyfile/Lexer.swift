import Diagnostics

/// Caddy's Caddyfile lexer (caddyconfig/caddyfile/lexer.go, heredocs included), ported onto bytes
/// so that every token also knows its exact byte range. Its quirks are kept on purpose: the
/// structure we see must be the structure Caddy sees.
///
/// Where we differ from Caddy, on purpose:
/// - An unterminated `"…"`, `` `…` `` or heredoc is an error here (Caddy silently takes the rest
///   of the file as one token, which is never what a person meant).
/// - `{$VAR}` / `{$VAR:default}` are substituted by Caddy before lexing. We cannot know the
///   environment of the gateway, so we keep the span verbatim inside its token, even when the
///   default holds spaces (a span never crosses a newline).
public enum CaddyLexer {
    public struct Output: Sendable {
        public var tokens: [CaddyToken]
        public var comments: [CaddyComment]
    }

    public static func tokenize(_ bytes: [UInt8], file: String) throws(Diagnostic) -> [CaddyToken] {
        try lex(bytes, file: file).tokens
    }

    /// Tokens and comments, each in file order.
    public static func lex(_ bytes: [UInt8], file: String) throws(Diagnostic) -> Output {
        if bytes.starts(with: [0xFE, 0xFF]) || bytes.starts(with: [0xFF, 0xFE]) {
            throw Diagnostic(file: file, position: SourcePosition(line: 1, column: 1),
                             message: "file is UTF-16; Caddy reads UTF-8", hint: "save it as UTF-8")
        }
        var lexer = LexerState(bytes: bytes, file: file)
        try lexer.run()
        return Output(tokens: lexer.tokens, comments: lexer.comments)
    }
}

private let backslash: UInt8 = 0x5C, quote: UInt8 = 0x22, backtick: UInt8 = 0x60
private let newline: UInt8 = 0x0A, carriageReturn: UInt8 = 0x0D, space: UInt8 = 0x20
private let hash: UInt8 = 0x23, lessThan: UInt8 = 0x3C, openBrace: UInt8 = 0x7B, closeBrace: UInt8 = 0x7D
private let dollar: UInt8 = 0x24

private struct LexerState {
    let bytes: [UInt8]
    let file: String
    var index = 0
    var line = 1
    var lineStart = 0
    /// Caddy's `skippedLines`: escaped newlines not yet counted into its line number.
    var skippedLines = 0
    var tokens: [CaddyToken] = []
    var comments: [CaddyComment] = []
    /// Reused across tokens to avoid one allocation per token.
    var value: [UInt8] = []

    init(bytes: [UInt8], file: String) {
        self.bytes = bytes
        self.file = file
        tokens.reserveCapacity(bytes.count / 6)
    }

    mutating func run() throws(Diagnostic) {
        // Caddy discards a leading byte order mark.
        if bytes.count >= 3, bytes[0] == 0xEF, bytes[1] == 0xBB, bytes[2] == 0xBF { index = 3; lineStart = 3 }
        while let token = try next() { tokens.append(token) }
    }

    /// Column bookkeeping: the column of `columnOffset` on the current line. Token and comment
    /// starts only move forward, so counting from the last one keeps long lines linear.
    var columnOffset = 0
    var columnValue = 1

    /// The column of `offset`, which is on the current line and not before the last one asked.
    mutating func column(of offset: Int) -> Int {
        if columnOffset < lineStart || columnOffset > offset {
            columnOffset = lineStart
            columnValue = 1
        }
        columnValue += Scalars.column(bytes, lineStart: columnOffset, offset: offset) - 1
        columnOffset = offset
        return columnValue
    }

    func error(_ message: String, line: Int, column: Int, hint: String? = nil) -> Diagnostic {
        Diagnostic(file: file, position: SourcePosition(line: line, column: column), message: message, hint: hint)
    }

    /// Moves past `length` bytes at `index`, keeping the physical line count.
    @inline(__always)
    mutating func consume(_ length: Int = 1) {
        if bytes[index] == newline {
            line += 1
            lineStart = index + 1
        }
        index += length
    }

    /// Appends the `length` bytes at `index` to the token's value (no slice: it would retain `bytes`).
    @inline(__always)
    mutating func appendScalar(_ length: Int) {
        value.append(bytes[index])
        if length > 1 { for offset in index + 1..<index + length { value.append(bytes[offset]) } }
    }

    /// One step of Caddy's `next()`: the next token, or nil at the end of input.
    mutating func next() throws(Diagnostic) -> CaddyToken? {
        value.removeAll(keepingCapacity: true)
        var comment = false, quoted = false, backquoted = false
        var inHeredoc = false, heredocEscaped = false, escaped = false
        var heredocMarker: [UInt8] = []
        var escapeAt = -1
        var commentStart = -1
        // Where the token started (set when its first byte is seen).
        var start = -1, startLine = 0, startColumn = 0, startLogicalLine = 0

        func make(_ kind: CaddyToken.Kind, end: Int, text: [UInt8]? = nil) -> CaddyToken {
            let bytesOfText = text ?? value
            let string = String(decoding: bytesOfText, as: UTF8.self)
            var finalKind = kind
            if kind == .word && bytesOfText.count == 1 {
                if bytesOfText[0] == openBrace { finalKind = .openBrace }
                if bytesOfText[0] == closeBrace { finalKind = .closeBrace }
            }
            var breaks = 0
            for byte in bytesOfText where byte == newline { breaks += 1 }
            if kind == .heredoc { breaks += 2 }
            return CaddyToken(kind: finalKind, text: string, byteRange: start..<end,
                              line: startLine, column: startColumn, logicalLine: startLogicalLine, lineBreaks: breaks)
        }

        while true {
            if index >= bytes.count {
                if comment { recordComment(from: commentStart, to: bytes.count) }
                if quoted || backquoted {
                    throw error("unterminated \(quoted ? "quoted string" : "backtick string") starting here",
                                line: startLine, column: startColumn,
                                hint: "close it with \(quoted ? "\"" : "`"); Caddy would otherwise read the rest of the file as one token")
                }
                if inHeredoc {
                    let marker = String(decoding: heredocMarker, as: UTF8.self)
                    throw error("incomplete heredoc <<\(marker) starting here: no line ends it with \(marker)",
                                line: startLine, column: startColumn, hint: "add a line holding only \(marker) after the heredoc text")
                }
                if start >= 0 && !value.isEmpty { return make(.word, end: bytes.count) }
                return nil
            }

            // Inside a comment only a newline (which ends it) and a backslash (noticed like Caddy does)
            // change anything: skip the rest in one run.
            if comment {
                while index < bytes.count && bytes[index] != newline && (escaped || bytes[index] != backslash) { index += 1 }
                if index >= bytes.count { continue }
            }

            let (scalar, length) = Scalars.decode(bytes, at: index)
            let ch = bytes[index]

            // After `<<`, the rest of the word up to the newline is a heredoc marker.
            if !(quoted || backquoted) && !(inHeredoc || heredocEscaped)
                && value.count > 1 && value[0] == lessThan && value[1] == lessThan {
                if ch == space {
                    let end = index
                    consume()
                    return make(.word, end: end)
                }
                if ch == carriageReturn { consume(); continue }
                if ch == newline {
                    if value.count == 2 {
                        throw error("missing heredoc marker after '<<'", line: startLine, column: startColumn,
                                    hint: "name the heredoc, e.g. <<END, or quote the text if '<<' is meant literally")
                    }
                    if value[2] == lessThan {
                        throw error("too many '<' for a heredoc", line: startLine, column: startColumn,
                                    hint: "use exactly two, for example <<END")
                    }
                    let marker = Array(value[2...])
                    guard marker.allSatisfy(isHeredocMarkerByte) else {
                        throw error("heredoc marker '\(String(decoding: marker, as: UTF8.self))' may only hold letters, digits, '-' and '_'",
                                    line: startLine, column: startColumn)
                    }
                    heredocMarker = marker
                    inHeredoc = true
                    skippedLines += 1
                    consume()
                    value.removeAll(keepingCapacity: true)
                    continue
                }
                appendScalar(length)
                consume(length)
                continue
            }

            if inHeredoc {
                appendScalar(length)
                if ch == newline { skippedLines += 1 }
                consume(length)
                if value.count >= heredocMarker.count && value.suffix(heredocMarker.count).elementsEqual(heredocMarker) {
                    let text = try finalizeHeredoc(value, marker: heredocMarker, openerLine: startLine)
                    skippedLines = 0
                    return make(.heredoc, end: index, text: text)
                }
                continue
            }

            // A backslash escapes the next character (outside backticks). Like Caddy, this is also
            // noticed inside comments, so a comment holding a backslash continues the line.
            if !escaped && !backquoted && ch == backslash {
                escaped = true
                escapeAt = index
                consume()
                continue
            }

            if quoted || backquoted {
                if quoted && escaped {
                    // Inside "…" only \" is an escape; any other \x keeps its backslash.
                    if ch != quote { value.append(backslash) }
                    escaped = false
                } else if (quoted && ch == quote) || (backquoted && ch == backtick) {
                    consume()
                    return make(quoted ? .quoted : .backtick, end: index)
                }
                if ch == newline { skippedLines = 0 }
                appendScalar(length)
                consume(length)
                // The run of plain ASCII that follows, in one go (what the branches above would do byte by byte).
                if quoted {
                    while index < bytes.count, isPlainQuotedByte(bytes[index]) { value.append(bytes[index]); index += 1 }
                }
                continue
            }

            if Scalars.isSpace(scalar) {
                if ch == carriageReturn { consume(); continue }  // Caddy ignores CR altogether
                let end = index
                if ch == newline {
                    if escaped {
                        skippedLines += 1
                        escaped = false
                    } else {
                        skippedLines = 0
                    }
                    if comment {
                        recordComment(from: commentStart, to: index)
                        comment = false
                    }
                }
                consume(length)
                if !value.isEmpty { return make(.word, end: end) }
                continue
            }

            // `#` starts a comment only as the first character of a token.
            if ch == hash && value.isEmpty && !comment {
                comment = true
                commentStart = index
            }
            if comment { consume(length); continue }

            if value.isEmpty {
                start = (escaped && escapeAt == index - 1) ? escapeAt : index
                startLine = line
                startColumn = column(of: start)
                startLogicalLine = line - skippedLines
                if ch == quote { quoted = true; consume(); continue }
                if ch == backtick { backquoted = true; consume(); continue }
            }

            if escaped {
                // `\<` prevents a heredoc; every other escape outside quotes is kept literally.
                if ch == lessThan { heredocEscaped = true } else { value.append(backslash) }
                escaped = false
            }

            // `{$VAR…}` is replaced by Caddy before lexing: keep the whole span in this token.
            if ch == openBrace, index + 1 < bytes.count, bytes[index + 1] == dollar,
               let close = envSpanEnd(from: index) {
                value.append(contentsOf: bytes[index...close])
                while index <= close { consume() }
                continue
            }

            appendScalar(length)
            consume(length)
            // The run of plain word bytes that follows, in one go. Not after `<`: `<<` starts a heredoc.
            if value[0] != lessThan {
                while index < bytes.count, isPlainWordByte(bytes[index]) { value.append(bytes[index]); index += 1 }
            }
        }
    }

    /// The index of the `}` closing a `{$NAME…}` span opened at `open`, if it is one: a non-empty
    /// name, on one line (Caddy takes the next `}` anywhere; we refuse to cross lines).
    func envSpanEnd(from open: Int) -> Int? {
        var i = open + 2
        while i < bytes.count {
            let byte = bytes[i]
            if byte == closeBrace { return i > open + 2 ? i : nil }
            if byte == newline { return nil }
            i += 1
        }
        return nil
    }

    mutating func recordComment(from start: Int, to end: Int) {
        var textEnd = end
        if textEnd > start && bytes[textEnd - 1] == carriageReturn { textEnd -= 1 }
        let text = String(decoding: bytes[start..<textEnd], as: UTF8.self)
        // A comment starts on the current line (comments never span lines).
        comments.append(CaddyComment(byteRange: start..<end, line: line, column: column(of: start), text: text))
    }

    /// Caddy's `finalizeHeredoc`: strip the closing marker's indentation from every body line.
    func finalizeHeredoc(_ value: [UInt8], marker: [UInt8], openerLine: Int) throws(Diagnostic) -> [UInt8] {
        let body = value.dropLast(marker.count)
        let lastNewline = body.lastIndex(of: newline)
        let padding = lastNewline.map { Array(body[($0 + 1)...]) } ?? Array(body)
        guard let lastNewline else { return [] }
        var out: [UInt8] = []
        out.reserveCapacity(body.count)
        var lineNumber = 0
        var lineBegin = body.startIndex
        while lineBegin <= lastNewline {
            let lineEnd = body[lineBegin...lastNewline].firstIndex(of: newline)!
            let text = body[lineBegin..<lineEnd]
            lineNumber += 1
            if text.isEmpty || (text.count == 1 && text.first == carriageReturn) {
                out.append(newline)
            } else {
                guard text.starts(with: padding) else {
                    throw error("heredoc line does not start with the closing marker's indentation",
                                line: openerLine + lineNumber, column: 1,
                                hint: "indent every line of the heredoc at least as much as the closing \(String(decoding: marker, as: UTF8.self))")
                }
                for byte in text.dropFirst(padding.count) where byte != carriageReturn { out.append(byte) }
                out.append(newline)
            }
            lineBegin = lineEnd + 1
        }
        if out.last == newline { out.removeLast() }
        return out
    }
}

/// A byte the word branch of `next()` only appends: printable ASCII that is not a space, a backslash
/// (an escape) or `{` (maybe `{$VAR}`). Anything else, and all non-ASCII, takes the full path.
@inline(__always)
private func isPlainWordByte(_ byte: UInt8) -> Bool {
    byte > space && byte < 0x80 && byte != backslash && byte != openBrace
}

/// A byte the quoted branch of `next()` only appends: printable ASCII that neither closes the string
/// nor escapes. Newlines and control characters take the full path.
@inline(__always)
private func isPlainQuotedByte(_ byte: UInt8) -> Bool {
    byte >= space && byte < 0x80 && byte != quote && byte != backslash
}

@inline(__always)
private func isHeredocMarkerByte(_ byte: UInt8) -> Bool {
    (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A) || byte == 0x2D || byte == 0x5F
}
