/// A YAML node as written: its value, tag, anchor and exact span in the source.
/// Aliases are kept as aliases (never expanded), so a hostile file cannot blow up memory.
public struct YAMLNode: Sendable {
    public enum Kind: Sendable {
        case scalar(String, YAMLScalarStyle)
        case mapping([YAMLPair], flow: Bool)
        case sequence([YAMLNode], flow: Bool)
        case alias(String)
    }

    public var kind: Kind
    /// The tag as written (`!secret`, `!include`, `tag:yaml.org,2002:str`), or nil when implicit.
    public var tag: String?
    public var anchor: String?
    public var start: YAMLMark
    /// Where the node's own text ends. For block collections libyaml's end mark sits at the next
    /// less-indented token (after trailing comments); this is corrected to the end of the last child.
    public var end: YAMLMark

    public init(kind: Kind, tag: String?, anchor: String?, start: YAMLMark, end: YAMLMark) {
        self.kind = kind
        self.tag = tag
        self.anchor = anchor
        self.start = start
        self.end = end
    }

    public var byteRange: Range<Int> { start.offset..<end.offset }

    public var scalarValue: String? {
        if case .scalar(let value, _) = kind { return value }
        return nil
    }

    public var scalarStyle: YAMLScalarStyle? {
        if case .scalar(_, let style) = kind { return style }
        return nil
    }

    public var pairs: [YAMLPair]? {
        if case .mapping(let pairs, _) = kind { return pairs }
        return nil
    }

    public var items: [YAMLNode]? {
        if case .sequence(let items, _) = kind { return items }
        return nil
    }

    public var isFlow: Bool {
        switch kind {
        case .mapping(_, let flow), .sequence(_, let flow): return flow
        case .scalar, .alias: return false
        }
    }

    /// The value for a plain scalar key in a mapping (first match).
    public subscript(key: String) -> YAMLNode? {
        pair(forKey: key)?.value
    }

    public func pair(forKey key: String) -> YAMLPair? {
        pairs?.first { $0.key.scalarValue == key }
    }

    /// Depth-first walk of the node and its descendants (keys included), in file order.
    /// Depth is bounded by `YAMLLimits`.
    func visit(_ body: (YAMLNode) -> Void) {
        body(self)
        switch kind {
        case .mapping(let pairs, _):
            for pair in pairs {
                pair.key.visit(body)
                pair.value.visit(body)
            }
        case .sequence(let items, _):
            for item in items { item.visit(body) }
        case .scalar, .alias:
            break
        }
    }

    /// A short word for messages: "a mapping", "a list", "text".
    public var kindDescription: String {
        switch kind {
        case .scalar: return "a scalar"
        case .mapping: return "a mapping"
        case .sequence: return "a list"
        case .alias(let name): return "an alias (*\(name))"
        }
    }
}

public struct YAMLPair: Sendable {
    public var key: YAMLNode
    public var value: YAMLNode

    public init(key: YAMLNode, value: YAMLNode) {
        self.key = key
        self.value = value
    }
}

public enum YAMLScalarStyle: Sendable, Hashable {
    case plain, singleQuoted, doubleQuoted, literal, folded
}
