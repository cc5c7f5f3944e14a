/// A value to write under a new key.
public enum YAMLInsertedValue: Sendable, Hashable {
    /// On the key's line: `key: text` (a scalar or a flow collection, already rendered).
    case inline(String)
    /// On the lines below the key, each indented `indent` spaces more than the key; a line may carry
    /// extra leading spaces of its own for deeper nesting. E.g. `.block(["- caddy"], indent: 2)`.
    case block([String], indent: Int)
}

/// Adding and removing keys of a mapping as one `TextEdit`, in the style the mapping is written in.
public enum MappingPairEdits {
    /// Whether a flow mapping is written with `{` (after its anchor or tag, if any).
    static func opensWithABrace(_ mapping: YAMLNode, in source: SourceLines) -> Bool {
        let bytes = source.bytes
        var index = mapping.start.offset
        while index < bytes.count {
            switch bytes[index] {
            case UInt8(ascii: "{"): return true
            case UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "\n"), UInt8(ascii: "\r"): index += 1
            case UInt8(ascii: "&"), UInt8(ascii: "!"):
                while index < bytes.count, ![UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "\n"), UInt8(ascii: "\r"), UInt8(ascii: "{")].contains(bytes[index]) { index += 1 }
            default: return false
            }
        }
        return false
    }

    /// Append `pairs` after the last pair of `mapping`, in the order given.
    /// - Block style: new lines after the last pair's last line (before comments that follow it), the keys
    ///   in the column of the mapping's keys.
    /// - Flow style: `, key: value` after the last pair (or `key: value` inside `{}`); only `.inline` values.
    /// Keys are written as given: render them with `YAMLScalarRendering` first if they may need quotes.
    /// Returns nil when the shape cannot be edited this way (not a mapping, a block value in a flow mapping,
    /// or a block mapping whose last pair does not end where a new line can start).
    public static func append(_ pairs: [(key: String, value: YAMLInsertedValue)], to mapping: YAMLNode,
                              in source: SourceLines) -> TextEdit? {
        precondition(!pairs.isEmpty, "nothing to append")
        guard let existing = mapping.pairs, !source.hasLoneCarriageReturn, isPlainlyWritten(mapping, in: source) else { return nil }
        if mapping.isFlow {
            // A pair inside a flow sequence (`[a: b]`) is a mapping without braces: it takes no second pair.
            guard opensWithABrace(mapping, in: source) else { return nil }
            var written: [String] = []
            for (key, value) in pairs {
                guard case .inline(let text) = value else { return nil }
                written.append("\(key): \(text)")
            }
            return FlowCollectionEdits.append(written, lastEnd: existing.last?.value.end.offset, to: mapping)
        }
        guard let first = existing.first, let last = existing.last, source.endsItsLine(last.value.end.offset) else { return nil }
        if source.endsInBlockScalarWithoutNewline(mapping) { return nil }
        // libyaml's column counts characters, so a byte-order mark before the first key does not indent it.
        let column = first.key.start.column - 1
        var lines: [String] = []
        for (key, value) in pairs {
            switch value {
            case .inline(let text):
                lines.append(spaces(column) + key + ": " + text)
            case .block(let children, let indent):
                lines.append(spaces(column) + key + ":")
                lines += children.map { spaces(column + indent) + $0 }
            }
        }
        return source.insertLines(lines, at: source.lineAfter(offset: last.value.end.offset))
    }

    /// Remove pair `index` of `mapping`.
    /// - Block style: the key's line through the last line of its value (comment lines around it stay).
    ///   Nil when the key does not start its line (the first key of `- key: value`).
    /// - Flow style: the pair and the separator that joins it to its neighbour.
    public static func remove(pairAt index: Int, from mapping: YAMLNode, in source: SourceLines) -> TextEdit? {
        guard let pairs = mapping.pairs, pairs.indices.contains(index), !source.hasLoneCarriageReturn,
              isPlainlyWritten(mapping, in: source) else { return nil }
        if mapping.isFlow {
            let edit = FlowCollectionEdits.remove(index, starts: pairs.map(\.key.start.offset), ends: pairs.map(\.value.end.offset))
            return FlowCollectionEdits.breaksItsSurroundings(edit, in: source) ? nil : edit
        }
        let pair = pairs[index]
        let valueEnd = max(pair.value.end.offset, pair.key.end.offset)
        guard source.onlyWhitespaceBefore(pair.key.start.offset), source.endsItsLine(valueEnd) else { return nil }
        // Right after a block scalar, the comment lines that stay would join that scalar.
        if index > 0, SourceLines.endsInBlockScalar(pairs[index - 1].value) { return nil }
        return TextEdit(range: source.lineStart(of: pair.key.start.offset)..<source.lineAfter(offset: valueEnd), replacement: "")
    }

    /// The shapes these edits understand: a flow mapping in braces (not the implicit one-pair mapping of
    /// `[a: b]`), and keys that are one-line scalars, each alone on its line after indentation or `- `
    /// (no explicit `? key`, no multi-line key). Anything else is declined, and callers refuse with a message.
    static func isPlainlyWritten(_ mapping: YAMLNode, in source: SourceLines) -> Bool {
        let bytes = source.bytes
        if mapping.isFlow {
            guard mapping.end.offset > 0, mapping.end.offset <= bytes.count, bytes[mapping.end.offset - 1] == UInt8(ascii: "}") else { return false }
            // Every key written out, right after `{`, `,` or a line break (no `? key`, no empty key).
            let pairs = mapping.pairs ?? []
            guard !FlowCollectionEdits.hasBareProperty(pairs.flatMap { [$0.key, $0.value] }) else { return false }
            return pairs.allSatisfy { pair in
                guard pair.key.start.offset < pair.key.end.offset else { return false }
                var i = pair.key.start.offset - 1
                while i >= 0, bytes[i] == UInt8(ascii: " ") || bytes[i] == UInt8(ascii: "\t") || bytes[i] == 0x0D { i -= 1 }
                return i >= 0 && (bytes[i] == UInt8(ascii: "{") || bytes[i] == UInt8(ascii: ",") || bytes[i] == 0x0A)
            }
        }
        let pairs = mapping.pairs ?? []
        // The first key starts the mapping (no `?` line before it) and every key sits in its column.
        if let first = pairs.first {
            if mapping.anchor == nil, mapping.tag == nil, first.key.start.offset != mapping.start.offset { return false }
            if pairs.contains(where: { $0.key.start.column != first.key.start.column }) { return false }
        }
        for pair in pairs {
            let key = pair.key
            guard let style = key.scalarStyle, style == .plain || style == .singleQuoted || style == .doubleQuoted,
                  key.start.offset < key.end.offset, key.end.offset <= bytes.count,
                  !bytes[key.byteRange].contains(0x0A), !bytes[key.byteRange].contains(0x0D) else { return false }
            // Before the key on its line: spaces, and `- ` for the first key of a sequence item.
            var i = source.lineStart(of: key.start.offset)
            if i == 0, bytes.starts(with: [0xEF, 0xBB, 0xBF]) { i = 3 }
            while i < key.start.offset {
                if bytes[i] == UInt8(ascii: "-"), i + 1 < bytes.count, bytes[i + 1] == UInt8(ascii: " ") { i += 2; continue }
                guard bytes[i] == UInt8(ascii: " ") else { return false }
                i += 1
            }
        }
        return true
    }

    /// Offset just past the `:` that ends a block mapping key, or nil if it is not on the key's line.
    public static func offsetAfterColon(following key: YAMLNode, in source: SourceLines) -> Int? {
        let bytes = source.bytes
        var i = key.end.offset
        while i < bytes.count, bytes[i] == UInt8(ascii: " ") || bytes[i] == UInt8(ascii: "\t") { i += 1 }
        guard i < bytes.count, bytes[i] == UInt8(ascii: ":") else { return nil }
        return i + 1
    }

    private static func spaces(_ count: Int) -> String { String(repeating: " ", count: max(0, count)) }
}
