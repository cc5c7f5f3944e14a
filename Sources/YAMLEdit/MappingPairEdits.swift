/// A value to write under a new key.
public enum YAMLInsertedValue: Sendable, Hashable {
    /// On the key's line: `key: text` (a scalar or a flow collection, already rendered).
    case inline(String)
    /// On the lines below the key, each indented `indent` spaces more than the key; a line may carry
    /// extra leading spaces of its own for deeper nesting. E.g. `.block(["- caddy"], indent: 2)`.
    case block([String], indent: Int)
}

/// Adding and removing one key of a mapping as a `TextEdit`, in the style the mapping is written in.
public enum MappingPairEdits {
    /// Append `key` with `value` after the last pair of `mapping`.
    /// - Block style: new lines after the last pair's last line, the key in the column of the mapping's keys.
    /// - Flow style: `, key: value` after the last pair (or `key: value` inside `{}`); only `.inline` values.
    /// `key` is written as given: render it with `YAMLScalarRendering` first if it may need quotes.
    /// Returns nil when the shape cannot be edited this way (not a mapping, a block value in a flow mapping,
    /// or a block mapping whose last pair does not end where a new line can start).
    public static func append(key: String, value: YAMLInsertedValue, to mapping: YAMLNode, in source: SourceLines) -> TextEdit? {
        guard let pairs = mapping.pairs else { return nil }
        if mapping.isFlow {
            guard case .inline(let text) = value else { return nil }
            if let last = pairs.last {
                return .insert(", \(key): \(text)", at: last.value.end.offset)
            }
            return .insert("\(key): \(text)", at: mapping.end.offset - 1)
        }
        guard let first = pairs.first, let last = pairs.last,
              BlockLineGeometry.restOfLineIsCommentOrBlank(after: last.value.end.offset, in: source) else { return nil }
        let column = first.key.start.column - 1
        let newline = source.lineEnding
        var text = BlockLineGeometry.spaces(column) + key + ":"
        switch value {
        case .inline(let inline):
            text += " " + inline + newline
        case .block(let lines, let indent):
            text += newline
            for line in lines { text += BlockLineGeometry.spaces(column + indent) + line + newline }
        }
        let offset = BlockLineGeometry.offsetAfterLine(endingAt: last.value.end.offset, in: source)
        return .insert(BlockLineGeometry.prefix(forInsertionAt: offset, in: source) + text, at: offset)
    }

    /// Remove pair `index` of `mapping`.
    /// - Block style: the key's line through the last line of its value (comment lines around it stay).
    ///   Nil when the key does not start its line (the first key of `- key: value`).
    /// - Flow style: the pair and the separator that joins it to its neighbour.
    public static func remove(pairAt index: Int, from mapping: YAMLNode, in source: SourceLines) -> TextEdit? {
        guard let pairs = mapping.pairs, pairs.indices.contains(index) else { return nil }
        let pair = pairs[index]
        if mapping.isFlow {
            if index + 1 < pairs.count {
                return TextEdit(range: pair.key.start.offset..<pairs[index + 1].key.start.offset, replacement: "")
            }
            if index > 0 {
                return TextEdit(range: pairs[index - 1].value.end.offset..<pair.value.end.offset, replacement: "")
            }
            return TextEdit(range: pair.key.start.offset..<pair.value.end.offset, replacement: "")
        }
        let valueEnd = max(pair.value.end.offset, pair.key.end.offset)
        guard source.onlyWhitespaceBefore(pair.key.start.offset),
              BlockLineGeometry.restOfLineIsCommentOrBlank(after: valueEnd, in: source) else { return nil }
        let start = source.lineStart(of: pair.key.start.offset)
        let end = BlockLineGeometry.offsetAfterLine(endingAt: valueEnd, in: source)
        return TextEdit(range: start..<end, replacement: "")
    }

    /// How many spaces deeper than `pair`'s key its block-collection value is indented, if it is one
    /// (for writing a sibling in the same shape). For a block sequence this is the dash's indentation.
    public static func childIndent(of pair: YAMLPair, in source: SourceLines) -> Int? {
        let keyColumn = pair.key.start.column - 1
        switch pair.value.kind {
        case .mapping(let pairs, flow: false):
            guard let first = pairs.first else { return nil }
            return first.key.start.column - 1 - keyColumn
        case .sequence(let items, flow: false):
            guard let first = items.first, let dash = BlockLineGeometry.dashOffset(before: first, in: source) else { return nil }
            return dash - source.lineStart(of: dash) - keyColumn
        default:
            return nil
        }
    }
}
