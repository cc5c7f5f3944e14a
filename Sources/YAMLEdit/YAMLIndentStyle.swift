/// How a file indents nested blocks, so text we insert looks like the user's own.
public struct YAMLIndentStyle: Sendable, Hashable {
    /// Spaces between a key and its nested mapping's keys.
    public var step: Int
    /// `key:\n  - item` (true) or `key:\n- item` (false, the indentless form YAML also allows).
    public var indentsSequences: Bool

    public init(step: Int, indentsSequences: Bool) {
        self.step = step
        self.indentsSequences = indentsSequences
    }

    public static let `default` = YAMLIndentStyle(step: 2, indentsSequences: true)

    /// The style of the first nested mapping and the first nested block sequence found (file order);
    /// `default` for what the file does not show.
    public static func detect(in document: YAMLDocument) -> YAMLIndentStyle {
        let source = SourceLines(document.bytes)
        var step: Int?
        var indents: Bool?
        func walk(_ node: YAMLNode) {
            guard step == nil || indents == nil else { return }
            switch node.kind {
            case .mapping(let pairs, flow: false):
                for pair in pairs {
                    switch pair.value.kind {
                    case .mapping(_, flow: false):
                        if step == nil, let indent = childIndent(of: pair, in: source), indent > 0 { step = indent }
                    case .sequence(_, flow: false):
                        if indents == nil, let indent = childIndent(of: pair, in: source) { indents = indent > 0 }
                    default:
                        break
                    }
                    walk(pair.value)
                }
            case .sequence(let items, flow: false):
                items.forEach(walk)
            default:
                break
            }
        }
        document.root.map(walk)
        return YAMLIndentStyle(step: step ?? Self.default.step, indentsSequences: indents ?? Self.default.indentsSequences)
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
            guard let first = items.first, let dash = SequenceItemEdits.dashOffset(of: first, in: source) else { return nil }
            return dash - source.lineStart(of: dash) - keyColumn
        default:
            return nil
        }
    }
}
