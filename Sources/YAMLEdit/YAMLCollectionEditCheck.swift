/// Checks the surgical editors on a parsed document: appending a pair to each mapping and an item to
/// each sequence, and removing each pair and item, one edit at a time. Each edit must give a file that
/// parses, with the collection at the same place holding exactly what was added or lacking exactly what
/// was removed, and every other scalar unchanged. An edit the editors decline (nil) is fine: callers then
/// refuse with a message. Used by the conformance tests and the fuzz targets, like `YAMLSpanCheck`.
public enum YAMLCollectionEditCheck {
    public static let addedKey = "reconcile_added", addedValue = "reconcile value"

    /// One line per broken edit; at most `limit` edits are tried.
    public static func problems(_ document: YAMLDocument, limit: Int = 40) -> [String] {
        let source = SourceLines(document.bytes)
        let before = YAMLSpanCheck.scalars(document).map(\.scalarValue)
        var problems: [String] = []
        var tried = 0
        for (path, node) in collections(document) {
            if tried >= limit { break }
            let at = "the \(node.kindDescription) at \(node.start.line):\(node.start.column)"
            var edits: [(String, TextEdit, Expectation)] = []
            if let pairs = node.pairs {
                if !pairs.contains(where: { $0.key.scalarValue == addedKey }),
                   let edit = MappingPairEdits.append([(key: addedKey, value: .inline(YAMLScalarRendering.render(addedValue)))], to: node, in: source) {
                    edits.append(("appending a pair to \(at)", edit, .addedPair))
                }
                // Removing the only entry leaves the key without a value (null), by design: not checked here.
                for (i, pair) in pairs.enumerated() where pairs.count > 1 {
                    if let edit = MappingPairEdits.remove(pairAt: i, from: node, in: source) {
                        edits.append(("removing pair \(i) of \(at)", edit, .removed(range(of: [pair.key, pair.value], in: document), count: pairs.count - 1)))
                    }
                }
            } else if let items = node.items {
                if let last = items.last, last.scalarValue != nil || node.isFlow,
                   let edit = SequenceItemEdits.append([YAMLScalarRendering.render(addedValue)], to: node, in: source) {
                    edits.append(("appending an item to \(at)", edit, .addedItem))
                }
                for i in items.indices where items.count > 1 {
                    if let edit = SequenceItemEdits.remove(itemAt: i, from: node, in: source) {
                        edits.append(("removing item \(i) of \(at)", edit, .removed(range(of: [items[i]], in: document), count: items.count - 1)))
                    }
                }
            }
            for (what, edit, expectation) in edits {
                if tried >= limit { break }
                tried += 1
                if let problem = check(what, edit, expectation, path: path, document: document, before: before) { problems.append(problem) }
            }
        }
        return problems
    }

    enum Expectation {
        case addedPair, addedItem
        /// The scalars (indices into the file-order list) that go, and the collection's size after.
        case removed(Range<Int>, count: Int)
    }

    static func check(_ what: String, _ edit: TextEdit, _ expectation: Expectation, path: [Int],
                      document: YAMLDocument, before: [String?]) -> String? {
        let edited = TextEdit.apply([edit], to: document.bytes)
        let reparsed: YAMLDocument
        do { reparsed = try YAMLDocument.parse(edited, file: document.file) } catch {
            return "\(what): the result does not parse: \(error)"
        }
        let after = YAMLSpanCheck.scalars(reparsed).map(\.scalarValue)
        guard let node = node(at: path, in: reparsed) else { return "\(what): the collection is no longer where it was" }
        switch expectation {
        case .addedPair:
            guard node.pair(forKey: addedKey)?.value.scalarValue == addedValue else { return "\(what): the new pair is not in that mapping" }
            guard after.count == before.count + 2, isSubsequence(before, of: after) else { return "\(what): other scalars changed: \(after)" }
        case .addedItem:
            guard node.items?.last?.scalarValue == addedValue else { return "\(what): the new item is not last in that sequence" }
            guard after.count == before.count + 1, isSubsequence(before, of: after) else { return "\(what): other scalars changed: \(after)" }
        case .removed(let gone, let count):
            let size = node.pairs?.count ?? node.items?.count
            guard size == count else { return "\(what): the collection has \(size.map(String.init) ?? "no") entries, expected \(count)" }
            let expected = Array(before[..<gone.lowerBound] + before[gone.upperBound...])
            guard after == expected else { return "\(what): reads back as \(after), expected \(expected)" }
        }
        return nil
    }

    /// Collections reachable through values and items (not keys), with their path from the first document's root.
    static func collections(_ document: YAMLDocument) -> [([Int], YAMLNode)] {
        var result: [([Int], YAMLNode)] = []
        func walk(_ node: YAMLNode, _ path: [Int]) {
            switch node.kind {
            case .mapping(let pairs, _):
                result.append((path, node))
                // Removing the only entry leaves the key without a value (null), by design: not checked here.
                for (i, pair) in pairs.enumerated() where pairs.count > 1 { walk(pair.value, path + [i]) }
            case .sequence(let items, _):
                result.append((path, node))
                for (i, item) in items.enumerated() { walk(item, path + [i]) }
            case .scalar, .alias:
                break
            }
        }
        if document.documents.count == 1, let root = document.root { walk(root, []) }
        return result
    }

    static func node(at path: [Int], in document: YAMLDocument) -> YAMLNode? {
        var node = document.root
        for index in path {
            guard let current = node else { return nil }
            if let pairs = current.pairs { node = pairs.indices.contains(index) ? pairs[index].value : nil }
            else if let items = current.items { node = items.indices.contains(index) ? items[index] : nil }
            else { return nil }
        }
        return node
    }

    /// Indices, in the file-order scalar list, of the scalars inside `nodes`.
    static func range(of nodes: [YAMLNode], in document: YAMLDocument) -> Range<Int> {
        var inside: [YAMLNode] = []
        for node in nodes { node.visit { if case .scalar = $0.kind { inside.append($0) } } }
        let all = YAMLSpanCheck.scalars(document)
        let ranges = Set(inside.map(\.byteRange))
        let indices = all.indices.filter { ranges.contains(all[$0].byteRange) }
        guard let first = indices.first, let last = indices.last else { return 0..<0 }
        return first..<(last + 1)
    }

    static func isSubsequence(_ small: [String?], of large: [String?]) -> Bool {
        var iterator = large.makeIterator()
        return small.allSatisfy { value in
            while let next = iterator.next() { if next == value { return true } }
            return false
        }
    }
}
