/// Edits inside the brackets of a flow collection (`[a, b]`, `{a: 1}`), shared by sequences and mappings:
/// elements are joined by separators, so adding or removing one is about the separator next to it.
enum FlowCollectionEdits {
    /// `, a, b` after the last element (which ends at `lastEnd`), or `a, b` inside the empty brackets.
    static func append(_ elements: [String], lastEnd: Int?, to collection: YAMLNode) -> TextEdit {
        let text = elements.joined(separator: ", ")
        if let lastEnd { return .insert(", " + text, at: lastEnd) }
        // `[]` or `{}`: the node's span ends just after the closing bracket.
        return .insert(text, at: collection.end.offset - 1)
    }

    /// A tag or anchor with nothing after it (`[!, 2]`, `[&a , b]`): libyaml reads `!,` but not `!]`, so
    /// moving a separator or a bracket next to it can break the file. Such collections are not edited.
    static func hasBareProperty(_ nodes: [YAMLNode]) -> Bool {
        nodes.contains { node in
            (node.tag != nil || node.anchor != nil) && node.scalarValue == "" && node.scalarStyle == .plain
        }
    }

    /// A removal that would change how libyaml reads the text around it: see the two cases below.
    static func breaksItsSurroundings(_ edit: TextEdit, in source: SourceLines) -> Bool {
        movesADocumentMarkerToALineStart(edit, in: source) || leavesALoneIndicatorBeforeSpace(edit, in: source)
    }

    /// A lone `-`, `?` or `:` element followed by a space reads as an indicator, not a scalar: removing the
    /// last element of `[-, b ]` leaves `[- ]`, which does not parse.
    static func leavesALoneIndicatorBeforeSpace(_ edit: TextEdit, in source: SourceLines) -> Bool {
        let bytes = source.bytes
        let before = edit.range.lowerBound - 1
        guard before >= 0, [UInt8(ascii: "-"), UInt8(ascii: "?"), UInt8(ascii: ":")].contains(bytes[before]) else { return false }
        let tokenStart = before == 0 || [UInt8(ascii: "["), UInt8(ascii: "{"), UInt8(ascii: ","), UInt8(ascii: " "),
                                         UInt8(ascii: "\t"), UInt8(ascii: "\n"), UInt8(ascii: "\r")].contains(bytes[before - 1])
        let after = edit.range.upperBound
        let spaceAfter = after >= bytes.count || [UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "\n"), UInt8(ascii: "\r")].contains(bytes[after])
        return tokenStart && spaceAfter
    }

    /// A removal that starts a line and leaves `---` or `...` right after it would turn that text into a
    /// document marker (`{\nq,---\n}` -> `{\n---\n}`).
    static func movesADocumentMarkerToALineStart(_ edit: TextEdit, in source: SourceLines) -> Bool {
        let bytes = source.bytes
        guard edit.range.lowerBound == source.lineStart(of: edit.range.lowerBound) else { return false }
        let rest = bytes[edit.range.upperBound...]
        return rest.starts(with: Array("---".utf8)) || rest.starts(with: Array("...".utf8))
    }

    /// Element `index` (of elements spanning `starts[i]..<ends[i]`) and the separator that joins it to its
    /// neighbour: the one after it, or before it for the last element.
    static func remove(_ index: Int, starts: [Int], ends: [Int]) -> TextEdit {
        if index + 1 < starts.count { return TextEdit(range: starts[index]..<starts[index + 1], replacement: "") }
        if index > 0 { return TextEdit(range: ends[index - 1]..<ends[index], replacement: "") }
        return TextEdit(range: starts[index]..<ends[index], replacement: "")
    }
}
