/// Whole-line geometry for surgical edits, which add or remove complete lines: where the line after a node
/// starts, whether the rest of a line is only a comment, how new lines are ended, and the line numbers people read.
extension SourceLines {
    /// 1-based number of the line holding `offset` (an offset at the end of the file is on the last line,
    /// or on a new line after it when the file ends with a line ending).
    public func lineNumber(of offset: Int) -> Int {
        var count = 1
        for byte in bytes[0..<min(offset, bytes.count)] where byte == UInt8(ascii: "\n") { count += 1 }
        return count
    }

    /// True when the line holding `offset` has only spaces, tabs and its line ending.
    public func isBlankLine(at offset: Int) -> Bool {
        var i = lineStart(of: offset)
        while i < bytes.count, bytes[i] != UInt8(ascii: "\n") {
            if bytes[i] != UInt8(ascii: " ") && bytes[i] != UInt8(ascii: "\t") && bytes[i] != UInt8(ascii: "\r") { return false }
            i += 1
        }
        return true
    }

    /// True when the rest of the line from `offset` is blank or a comment, so whole-line edits lose nothing else.
    func onlyCommentOrBlankAfter(_ offset: Int) -> Bool {
        var i = offset
        while i < bytes.count, bytes[i] == UInt8(ascii: " ") || bytes[i] == UInt8(ascii: "\t") { i += 1 }
        return i >= bytes.count || bytes[i] == UInt8(ascii: "#") || bytes[i] == UInt8(ascii: "\n")
            || (bytes[i] == UInt8(ascii: "\r") && i + 1 < bytes.count && bytes[i + 1] == UInt8(ascii: "\n"))
    }

    /// True when a node ending at `end` leaves nothing but a comment on its last line (a block scalar
    /// ends after its final line break, so it trivially does). A lone `\r` does not end a line here: the
    /// line arithmetic follows `\n`, so a file with old Mac line endings is refused rather than mangled.
    public func endsItsLine(_ end: Int) -> Bool {
        (end > 0 && end <= bytes.count && bytes[end - 1] == UInt8(ascii: "\n")) || onlyCommentOrBlankAfter(end)
    }

    /// Where a line placed right after a node's text starts: after the line the node ends on, or at the
    /// node's end when that is already a line start (block scalars end after their final line break).
    public func lineAfter(offset end: Int) -> Int {
        if end > 0, end <= bytes.count, bytes[end - 1] == UInt8(ascii: "\n") { return end }
        return lineEndIncludingNewline(of: end)
    }

    /// True when `node`'s last descendant is a block scalar (`|`, `>`) running to the end of a file without a
    /// final newline: the line ending an append must add would become part of that scalar's value.
    public func endsInBlockScalarWithoutNewline(_ node: YAMLNode) -> Bool {
        guard lacksFinalNewline else { return false }
        let last = Self.lastDescendant(node)
        return (last.scalarStyle == .literal || last.scalarStyle == .folded) && last.end.offset >= bytes.count
    }

    /// True when `node`'s text ends with a block scalar (`|`, `>`): indented lines right after it, comments
    /// included, would become part of that scalar once the lines between are removed.
    public static func endsInBlockScalar(_ node: YAMLNode) -> Bool {
        let last = lastDescendant(node)
        return last.scalarStyle == .literal || last.scalarStyle == .folded
    }

    static func lastDescendant(_ node: YAMLNode) -> YAMLNode {
        var last = node
        while true {
            if let pair = last.pairs?.last { last = pair.value } else if let item = last.items?.last { last = item } else { return last }
        }
    }

    /// Whole lines to insert at a line start `offset`, each ended with the file's line ending. When the
    /// file lacks a final newline and `offset` is its end, the last line is ended first.
    public func insertLines(_ lines: [String], at offset: Int) -> TextEdit {
        let ending = lineEnding
        var text = offset == bytes.count && lacksFinalNewline ? ending : ""
        for line in lines { text += line + ending }
        return .insert(text, at: offset)
    }
}
