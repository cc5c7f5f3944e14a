/// Adding and removing one item of a sequence as a `TextEdit`, in the style the sequence is written in.
/// Every byte outside the edit stays: comments between items, quoting, the other items' spacing.
public enum SequenceItemEdits {
    /// Append `item` (one line of YAML, already rendered, e.g. with `YAMLScalarRendering`) to `sequence`.
    /// - Block style: a new line after the last item's line (after its trailing comment), the dash in the
    ///   column of the last item's dash and the same gap after it, ending with the file's line ending.
    /// - Flow style: `, item` after the last item, or `item` inside an empty `[]`.
    /// Returns nil when the sequence is not a sequence, or its last item does not start a line of its own.
    public static func append(_ item: String, to sequence: YAMLNode, in source: SourceLines) -> TextEdit? {
        guard let items = sequence.items else { return nil }
        if sequence.isFlow {
            if let last = items.last {
                return .insert(", " + item, at: last.end.offset)
            }
            // `[]`: the node's span ends just after the closing bracket.
            return .insert(item, at: sequence.end.offset - 1)
        }
        guard let last = items.last, let dash = BlockLineGeometry.dashOffset(before: last, in: source),
              BlockLineGeometry.restOfLineIsCommentOrBlank(after: last.end.offset, in: source) else { return nil }
        let dashColumn = dash - source.lineStart(of: dash)
        let gap = max(1, last.start.offset - dash - 1)
        let offset = BlockLineGeometry.offsetAfterLine(endingAt: last.end.offset, in: source)
        let line = BlockLineGeometry.spaces(dashColumn) + "-" + BlockLineGeometry.spaces(gap) + item + source.lineEnding
        return .insert(BlockLineGeometry.prefix(forInsertionAt: offset, in: source) + line, at: offset)
    }

    /// Remove item `index` of `sequence`.
    /// - Block style: the item's whole lines, from its dash's line to the end of its last line (its trailing
    ///   comment goes with it; comment lines before or after it stay).
    /// - Flow style: the item and the separator that joins it to its neighbour.
    /// Removing the only item of a block sequence leaves its key without a value: callers that want the key
    /// gone remove the pair instead (`MappingPairEdits.remove`).
    public static func remove(itemAt index: Int, from sequence: YAMLNode, in source: SourceLines) -> TextEdit? {
        guard let items = sequence.items, items.indices.contains(index) else { return nil }
        let item = items[index]
        if sequence.isFlow {
            if index + 1 < items.count {
                return TextEdit(range: item.start.offset..<items[index + 1].start.offset, replacement: "")
            }
            if index > 0 {
                return TextEdit(range: items[index - 1].end.offset..<item.end.offset, replacement: "")
            }
            return TextEdit(range: item.start.offset..<item.end.offset, replacement: "")
        }
        guard let dash = BlockLineGeometry.dashOffset(before: item, in: source),
              BlockLineGeometry.restOfLineIsCommentOrBlank(after: item.end.offset, in: source) else { return nil }
        let start = source.lineStart(of: dash)
        let end = BlockLineGeometry.offsetAfterLine(endingAt: item.end.offset, in: source)
        return TextEdit(range: start..<end, replacement: "")
    }
}
