/// Whole-line edits of block sequences (`- item` lines): append items after the last one, remove one item.
/// They copy the existing items' indentation and dash spacing, so the result reads as if written by hand.
/// Each returns nil when the sequence is not laid out one item per line, the only layout edited safely.
public enum BlockSequenceEdits {
    /// Offset of the `-` introducing `item`, when that dash is the first thing on its line.
    /// Nil for `- - x` (nested dash) or a flow item.
    public static func dashOffset(of item: YAMLNode, in lines: SourceLines) -> Int? {
        let bytes = lines.bytes
        var i = item.start.offset - 1
        // The item may sit on the line after its dash (`-\n  value`).
        while i >= 0, [UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "\n"), UInt8(ascii: "\r")].contains(bytes[i]) { i -= 1 }
        guard i >= 0, bytes[i] == UInt8(ascii: "-"), lines.onlyWhitespaceBefore(i) else { return nil }
        return i
    }

    /// Insert already-rendered scalars (see `YAMLScalarRendering`) as new items after the last item.
    public static func appendItems(_ renderedItems: [String], to sequence: YAMLNode, in lines: SourceLines) -> TextEdit? {
        guard case .sequence(let items, flow: false) = sequence.kind, let last = items.last,
              let dash = dashOffset(of: last, in: lines), lines.endsItsLine(last.end.offset) else { return nil }
        let prefix = itemPrefix(dash: dash, item: last, in: lines)
        return lines.insertLines(renderedItems.map { prefix + $0 }, at: lines.lineAfter(offset: last.end.offset))
    }

    /// Remove the lines of one item (its dash line through its last line, trailing comment included).
    public static func removeItem(_ item: YAMLNode, in lines: SourceLines) -> TextEdit? {
        guard let dash = dashOffset(of: item, in: lines), lines.endsItsLine(item.end.offset) else { return nil }
        return TextEdit(range: lines.lineStart(of: dash)..<lines.lineAfter(offset: item.end.offset), replacement: [])
    }

    /// The indentation, dash and gap before an existing item, reused verbatim for new items.
    static func itemPrefix(dash: Int, item: YAMLNode, in lines: SourceLines) -> String {
        let bytes = lines.bytes
        let indentation = String(decoding: bytes[lines.lineStart(of: dash)..<dash], as: UTF8.self)
        let gapBytes = bytes[(dash + 1)..<item.start.offset]
        let sameLine = !gapBytes.contains(UInt8(ascii: "\n")) && !gapBytes.isEmpty
        return indentation + "-" + (sameLine ? String(decoding: gapBytes, as: UTF8.self) : " ")
    }
}
