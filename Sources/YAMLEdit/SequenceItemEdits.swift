/// Adding and removing items of a sequence as one `TextEdit`, in the style the sequence is written in.
/// Every byte outside the edit stays: comments between items, quoting, the other items' spacing.
public enum SequenceItemEdits {
    /// Append `items` (each one line of YAML, already rendered, e.g. with `YAMLScalarRendering`) to `sequence`.
    /// - Block style: one new line per item after the last item's line (after its trailing comment), each
    ///   starting with the last item's indentation, dash and gap, ending with the file's line ending.
    /// - Flow style: `, a, b` after the last item, or `a, b` inside an empty `[]`.
    /// Returns nil when `sequence` is not a sequence, its last item does not start with a dash of its own, or
    /// the file breaks lines with a lone `\r`.
    public static func append(_ items: [String], to sequence: YAMLNode, in source: SourceLines) -> TextEdit? {
        precondition(!items.isEmpty, "nothing to append")
        guard let existing = sequence.items, !source.hasLoneCarriageReturn else { return nil }
        if sequence.isFlow {
            guard !FlowCollectionEdits.hasBareProperty(existing) else { return nil }
            return FlowCollectionEdits.append(items, lastEnd: existing.last?.end.offset, to: sequence)
        }
        guard let last = existing.last, let dash = dashOffset(of: last, in: source),
              source.endsItsLine(last.end.offset), !source.endsInBlockScalarWithoutNewline(sequence) else { return nil }
        let prefix = itemPrefix(dash: dash, item: last, in: source)
        return source.insertLines(items.map { prefix + $0 }, at: source.lineAfter(offset: last.end.offset))
    }

    /// Remove item `index` of `sequence`.
    /// - Block style: the item's whole lines, from its dash's line to the end of its last line (its trailing
    ///   comment goes with it; comment lines before or after it stay).
    /// - Flow style: the item and the separator that joins it to its neighbour.
    /// Removing the only item of a block sequence leaves its key without a value: callers that want the key
    /// gone remove the pair instead (`MappingPairEdits.remove`).
    public static func remove(itemAt index: Int, from sequence: YAMLNode, in source: SourceLines) -> TextEdit? {
        guard let items = sequence.items, items.indices.contains(index), !source.hasLoneCarriageReturn else { return nil }
        if sequence.isFlow {
            guard !FlowCollectionEdits.hasBareProperty(items) else { return nil }
            let edit = FlowCollectionEdits.remove(index, starts: items.map(\.start.offset), ends: items.map(\.end.offset))
            return FlowCollectionEdits.breaksItsSurroundings(edit, in: source) ? nil : edit
        }
        let item = items[index]
        guard let dash = dashOffset(of: item, in: source), source.endsItsLine(item.end.offset) else { return nil }
        if index > 0, SourceLines.endsInBlockScalar(items[index - 1]) { return nil }
        return TextEdit(range: source.lineStart(of: dash)..<source.lineAfter(offset: item.end.offset), replacement: "")
    }

    /// Offset of the `-` introducing a block item, when that dash is the first thing on its line (so
    /// whole-line edits cannot damage a neighbour). Nil for `- - x` (nested dash) or a flow item.
    static func dashOffset(of item: YAMLNode, in source: SourceLines) -> Int? {
        let bytes = source.bytes
        var i = item.start.offset - 1
        // The item may sit on the line after its dash (`-\n  value`).
        while i >= 0, [UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "\n"), UInt8(ascii: "\r")].contains(bytes[i]) { i -= 1 }
        guard i >= 0, bytes[i] == UInt8(ascii: "-"), source.onlyWhitespaceBefore(i) else { return nil }
        return i
    }

    /// The indentation, dash and gap before an existing item, reused verbatim for new items
    /// (a single space when the item sits on the line after its dash).
    private static func itemPrefix(dash: Int, item: YAMLNode, in source: SourceLines) -> String {
        let bytes = source.bytes
        let indentation = String(decoding: bytes[source.lineStart(of: dash)..<dash], as: UTF8.self)
        let gap = bytes[(dash + 1)..<item.start.offset]
        let sameLine = !gap.isEmpty && !gap.contains(UInt8(ascii: "\n"))
        return indentation + "-" + (sameLine ? String(decoding: gap, as: UTF8.self) : " ")
    }
}
