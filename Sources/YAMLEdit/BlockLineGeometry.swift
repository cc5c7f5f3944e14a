/// Line arithmetic shared by `SequenceItemEdits` and `MappingPairEdits`: block-style edits add or
/// remove whole lines, so they need "the line after this node" and "the text that starts a new line here".
enum BlockLineGeometry {
    /// The offset just past the last line of a node that ends at `end` (its line ending included).
    /// A block scalar (`|`, `>`) already ends at a line start; anything else ends mid-line, and the rest
    /// of that line (a trailing comment) belongs to the node.
    static func offsetAfterLine(endingAt end: Int, in source: SourceLines) -> Int {
        if end > 0, end <= source.bytes.count, source.bytes[end - 1] == UInt8(ascii: "\n") { return end }
        return source.lineEndIncludingNewline(of: end)
    }

    /// The text for new lines inserted at `offset`: when the file ends there without a line ending,
    /// the new lines need one in front of them.
    static func prefix(forInsertionAt offset: Int, in source: SourceLines) -> String {
        offset == source.bytes.count && source.lacksFinalNewline ? source.lineEnding : ""
    }

    /// The column (0-based, in bytes) where the `-` of a block sequence item sits, or nil when the item
    /// does not follow a dash on its own line (so line-wise editing would damage its neighbours).
    static func dashOffset(before item: YAMLNode, in source: SourceLines) -> Int? {
        var i = item.start.offset - 1
        while i >= 0, source.bytes[i] == UInt8(ascii: " ") { i -= 1 }
        guard i >= 0, source.bytes[i] == UInt8(ascii: "-"), source.onlyWhitespaceBefore(i) else { return nil }
        return i
    }

    /// True when nothing but blanks or a comment follows `offset` on its line: a whole-line edit there
    /// takes nothing else with it.
    static func restOfLineIsCommentOrBlank(after offset: Int, in source: SourceLines) -> Bool {
        var i = offset
        let bytes = source.bytes
        // A block scalar ends after its last line break: the line it "ends on" is already over.
        if i > 0, i <= bytes.count, bytes[i - 1] == UInt8(ascii: "\n") { return true }
        while i < bytes.count, bytes[i] == UInt8(ascii: " ") || bytes[i] == UInt8(ascii: "\t") { i += 1 }
        return i >= bytes.count || bytes[i] == UInt8(ascii: "#") || bytes[i] == UInt8(ascii: "\n") || bytes[i] == UInt8(ascii: "\r")
    }

    static func spaces(_ count: Int) -> String { String(repeating: " ", count: max(0, count)) }
}
