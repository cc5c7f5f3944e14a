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
        let lines = SourceLines(document.bytes)
        var step: Int?
        var indents: Bool?
        func walk(_ node: YAMLNode) {
            guard step == nil || indents == nil else { return }
            switch node.kind {
            case .mapping(let pairs, flow: false):
                for pair in pairs {
                    let keyColumn = pair.key.start.offset - lines.lineStart(of: pair.key.start.offset)
                    if step == nil, let childKey = pair.value.pairs?.first?.key, !pair.value.isFlow,
                       childKey.start.line > pair.key.start.line {
                        let childColumn = childKey.start.offset - lines.lineStart(of: childKey.start.offset)
                        if childColumn > keyColumn { step = childColumn - keyColumn }
                    }
                    if indents == nil, let item = pair.value.items?.first, !pair.value.isFlow,
                       item.start.line > pair.key.start.line, let dash = BlockSequenceEdits.dashOffset(of: item, in: lines) {
                        indents = dash - lines.lineStart(of: dash) > keyColumn
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
}
