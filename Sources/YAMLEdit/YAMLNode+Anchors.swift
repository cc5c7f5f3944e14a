/// Which anchors a subtree defines and which aliases it uses, so an edit can refuse to change
/// a node that something else refers to (the alias would silently change too).
extension YAMLNode {
    /// Anchors defined by this node or any node inside it.
    public var anchorsDefined: Set<String> {
        var names: Set<String> = []
        visit { if let anchor = $0.anchor { names.insert(anchor) } }
        return names
    }

    /// Anchor names used by aliases (`*name`) in this node or inside it.
    public var aliasesUsed: Set<String> {
        var names: Set<String> = []
        visit { if case .alias(let name) = $0.kind { names.insert(name) } }
        return names
    }

    /// True when the node or a node inside it is a merge key (`<<:`), whose values come from elsewhere.
    public var containsMergeKey: Bool {
        var found = false
        visit { node in
            if let pairs = node.pairs, pairs.contains(where: { $0.key.scalarValue == "<<" && $0.key.tag == nil }) { found = true }
        }
        return found
    }

    /// Depth-first walk of the node and its descendants (keys included). Depth is bounded by `YAMLLimits`.
    public func visit(_ body: (YAMLNode) -> Void) {
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
}

extension YAMLDocument {
    /// Anchor names used by aliases anywhere in the file (all documents).
    public var aliasesUsed: Set<String> {
        documents.reduce(into: Set<String>()) { $0.formUnion($1.aliasesUsed) }
    }
}
