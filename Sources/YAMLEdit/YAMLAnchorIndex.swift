/// Anchors (`&name`), aliases (`*name`) and `<<` merge keys of a file, without expanding anything.
/// Editors need two facts: whether an edit inside an anchored node would also change what an alias
/// elsewhere sees, and what an alias or a `<<` merge key stands for when reading a value.
public struct YAMLAnchorIndex: Sendable {
    private struct Definition: Sendable {
        let name: String
        let offset: Int
        let node: YAMLNode
    }

    private var definitions: [Definition] = []
    private var aliased: Set<String> = []
    /// Where each document's root starts: an alias resolves only within its own document.
    private var documentStarts: [Int] = []

    /// Indexes every document of the file. An anchor counts as aliased when an alias of that name is in
    /// any document: more than YAML shares, but an edit is then refused rather than silently spread.
    public init(_ document: YAMLDocument) {
        for root in document.documents {
            documentStarts.append(root.start.offset)
            root.visit { node in
                if let anchor = node.anchor {
                    definitions.append(Definition(name: anchor, offset: node.start.offset, node: node))
                }
                if case .alias(let name) = node.kind { aliased.insert(name) }
            }
        }
    }

    /// True when some alias refers to `anchor`: the anchored node's text is shared.
    public func isAliased(_ anchor: String) -> Bool { aliased.contains(anchor) }

    /// The anchors among `nodes` themselves that an alias refers to (an edit inside any of them reaches the aliases too).
    public func sharedAnchors(along nodes: [YAMLNode]) -> [String] {
        nodes.compactMap(\.anchor).filter(isAliased)
    }

    /// The anchors defined by `node` or any node inside it that an alias refers to, each once, in file order.
    public func sharedAnchors(inside node: YAMLNode) -> [String] {
        var names: [String] = []
        node.visit { if let anchor = $0.anchor, isAliased(anchor), !names.contains(anchor) { names.append(anchor) } }
        return names
    }

    /// True when `node` or a node inside it is a merge key (`<<:`), whose values come from elsewhere.
    public static func containsMergeKey(_ node: YAMLNode) -> Bool {
        var found = false
        node.visit { if let pairs = $0.pairs, pairs.contains(where: { isMergeKey($0.key) }) { found = true } }
        return found
    }

    /// The node an alias stands for: the latest definition of its anchor before the alias in its document
    /// (YAML allows redefinition). Non-alias nodes are returned as they are. Nil for an undefined anchor.
    public func resolve(_ node: YAMLNode) -> YAMLNode? {
        guard case .alias(let name) = node.kind else { return node }
        let documentStart = documentStarts.last { $0 <= node.start.offset } ?? 0
        return definitions.last { $0.name == name && $0.offset < node.start.offset && $0.offset >= documentStart }?.node
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
        for pair in pairs where Self.isMergeKey(pair.key) {
            for source in mergeSources(pair.value) {
                guard let target = resolve(source), target.pairs != nil else { continue }
                if let found = lookup(key, in: target, maxMergeDepth: maxMergeDepth - 1) {
                    return YAMLLookup(pair: found.pair, holder: found.holder, mergedFrom: found.mergedFrom ?? source)
                }
            }
        }
        return nil
    }

    private static func isMergeKey(_ key: YAMLNode) -> Bool { key.scalarValue == "<<" && key.tag == nil }

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
