import YAMLEdit

/// A service's `depends_on` as read from the file: where it is, how it is written, and what it names.
struct ComposeDependsOn {
    enum Shape {
        /// `depends_on:` with no value (or `~`): an empty list that has no form yet.
        case empty
        case short
        case long
    }

    /// The `depends_on: …` pair as written (it may sit in a merged mapping).
    let pair: YAMLPair
    /// The value with an alias resolved.
    let node: YAMLNode
    let shape: Shape
    /// Each dependency's name and the node that names it (the list item, or the key of the long form).
    let entries: [(name: String, node: YAMLNode)]
    /// True when the service has no `depends_on` of its own and gets this one through a `<<` merge key.
    let merged: Bool
    /// True when the value is an alias (`depends_on: *deps`): its text belongs to the anchor.
    let viaAlias: Bool

    var names: [String] { entries.map(\.name) }

    var form: ComposeDependencyForm? {
        switch shape {
        case .short: return .short
        case .long: return .long
        case .empty: return nil
        }
    }

    func index(of name: String) -> Int? { entries.firstIndex { $0.name == name } }

    enum ReadError: Error { case notACollection(YAMLNode) }

    /// Reads `definition`'s effective `depends_on` (own key, or through `<<` merges); nil when there is none.
    static func read(_ definition: YAMLNode, anchors: YAMLAnchorIndex) throws(ReadError) -> ComposeDependsOn? {
        guard let found = anchors.lookup("depends_on", in: definition) else { return nil }
        let written = found.pair.value
        guard let node = anchors.resolve(written) else { throw .notACollection(written) }
        let shape: Shape
        var entries: [(String, YAMLNode)] = []
        switch node.kind {
        case .sequence(let items, _):
            shape = .short
            for item in items {
                guard let name = anchors.resolve(item)?.scalarValue else { throw .notACollection(item) }
                entries.append((name, item))
            }
        case .mapping(let pairs, _):
            shape = .long
            for pair in pairs {
                guard let name = pair.key.scalarValue else { throw .notACollection(pair.key) }
                entries.append((name, pair.key))
            }
        case .scalar(let value, let style):
            guard style == .plain, value.isEmpty || value == "~" || value == "null" else { throw .notACollection(node) }
            shape = .empty
        case .alias:
            throw .notACollection(node)
        }
        return ComposeDependsOn(pair: found.pair, node: node, shape: shape, entries: entries,
                                merged: found.mergedFrom != nil, viaAlias: isAlias(written))
    }

    static func isAlias(_ node: YAMLNode) -> Bool {
        if case .alias = node.kind { return true }
        return false
    }
}
