/// Anchors (`&name`) and aliases (`*name`) of one document, without expanding anything.
/// Editors need two facts: whether an edit inside an anchored node would also change what an alias
/// elsewhere sees, and what an alias or a `<<` merge key stands for when reading a value.
public struct YAMLAnchorIndex: Sendable {
    private struct Definition: Sendable {
        let name: String
        let offset: Int
        let node: YAMLNode
    }

    private var definitions: [Definition] = []
    private var aliased: [String: Int] = [:]

    public init(_ root: YAMLNode?) {
        if let root { visit(root) }
    }

    private mutating func visit(_ node: YAMLNode) {
        if let anchor = node.anchor {
            definitions.append(Definition(name: anchor, offset: node.start.offset, node: node))
        }
        switch node.kind {
        case .alias(let name):
            aliased[name, default: 0] += 1
        case .mapping(let pairs, _):
            for pair in pairs {
                visit(pair.key)
                visit(pair.value)
            }
        case .sequence(let items, _):
            for item in items { visit(item) }
        case .scalar:
            break
        }
    }

    /// True when some alias refers to `anchor`: the anchored node's text is shared.
    public func isAliased(_ anchor: String) -> Bool { aliased[anchor, default: 0] > 0 }

    /// The anchors among `nodes` that an alias refers to (an edit inside any of them reaches the aliases too).
    public func sharedAnchors(along nodes: [YAMLNode]) -> [String] {
        nodes.compactMap(\.anchor).filter(isAliased)
    }

    /// The node an alias stands for: the latest definition of its anchor before the alias (YAML allows
    /// redefinition). Non-alias nodes are returned as they are. Nil for an undefined anchor.
    public func resolve(_ node: YAMLNode) -> YAMLNode? {
        guard case .alias(let name) = node.kind else { return node }
        return definitions.last { $0.name == name && $0.offset < node.start.offset }?.node
    }

    /// Where `key`'s value comes from in `mapping`, honouring YAML 1.1 merge keys (`<<: *base`,
    /// `<<: [*a, *b]`): the mapping's own pair wins; otherwise the first merged mapping that has it
    /// (searched recursively, at most `maxMergeDepth` levels, so a cycle cannot loop).
    public func lookup(_ key: String, in mapping: YAMLNode, maxMergeDepth: Int = 16) -> YAMLLookup? {
        guard let pairs = mapping.pairs else { return nil }
        if let own = pairs.first(where: { $0.key.scalarValue == key }) {
            return YAMLLookup(pair: own, holder: mapping, mergedFrom: nil)
        }
        guard maxMergeDepth > 0 else { return nil }
        for pair in pairs where pair.key.scalarValue == "<<" && pair.key.tag == nil {
            for source in mergeSources(pair.value) {
                guard let target = resolve(source), target.pairs != nil else { continue }
                if let found = lookup(key, in: target, maxMergeDepth: maxMergeDepth - 1) {
                    return YAMLLookup(pair: found.pair, holder: found.holder, mergedFrom: found.mergedFrom ?? source)
                }
            }
        }
        return nil
    }

    private func mergeSources(_ value: YAMLNode) -> [YAMLNode] {
        if case .sequence(let items, _) = value.kind { return items }
        return [value]
    }
}

/// A key found by `YAMLAnchorIndex.lookup`.
public struct YAMLLookup: Sendable {
    /// The pair as written, wherever it is in the file.
    public let pair: YAMLPair
    /// The mapping that holds the pair.
    public let holder: YAMLNode
    /// The merge source (an alias node, or an inline mapping) it came through; nil for the mapping's own key.
    public let mergedFrom: YAMLNode?
}
