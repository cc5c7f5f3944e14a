/// Whole-line edits of block mappings: append an entry after the last pair, remove a pair, find the colon
/// after a key. Entries are given as lines relative to the mapping's key column; the helper indents them.
/// Each returns nil when the layout is not one where a whole-line edit is safe (e.g. a pair sharing its line
/// with a sequence dash or another node).
public enum BlockMappingEdits {
    /// Spaces before the mapping's keys on their lines (the first key's column).
    public static func keyIndentation(of mapping: YAMLNode, in lines: SourceLines) -> Int? {
        guard let first = mapping.pairs?.first else { return nil }
        return first.key.start.offset - lines.lineStart(of: first.key.start.offset)
    }

    /// Append an entry after the mapping's last pair (before any comments that follow it).
    /// `entryLines` are relative to the key column: `["key:", "  - item"]`.
    public static func appendEntry(_ entryLines: [String], to mapping: YAMLNode, in lines: SourceLines) -> TextEdit? {
        guard case .mapping(let pairs, flow: false) = mapping.kind, let last = pairs.last,
              let indentation = keyIndentation(of: mapping, in: lines),
              lines.endsItsLine(last.value.end.offset) else { return nil }
        let pad = String(repeating: " ", count: indentation)
        return lines.insertLines(entryLines.map { pad + $0 }, at: lines.lineAfter(offset: last.value.end.offset))
    }

    /// Remove a pair's lines: from its key's line through the last line of its value.
    public static func removePair(_ pair: YAMLPair, in lines: SourceLines) -> TextEdit? {
        guard lines.onlyWhitespaceBefore(pair.key.start.offset), lines.endsItsLine(pair.value.end.offset) else { return nil }
        return TextEdit(range: lines.lineStart(of: pair.key.start.offset)..<lines.lineAfter(offset: pair.value.end.offset),
                        replacement: [])
    }

    /// Offset just past the `:` that ends a block mapping key, or nil if it is not on the key's line.
    public static func offsetAfterColon(following key: YAMLNode, in lines: SourceLines) -> Int? {
        let bytes = lines.bytes
        var i = key.end.offset
        while i < bytes.count, bytes[i] == UInt8(ascii: " ") || bytes[i] == UInt8(ascii: "\t") { i += 1 }
        guard i < bytes.count, bytes[i] == UInt8(ascii: ":") else { return nil }
        return i + 1
    }
}
