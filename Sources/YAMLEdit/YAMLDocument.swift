import Diagnostics

/// A parsed YAML file: the bytes, and one node tree per document, every node with its exact span.
public struct YAMLDocument: Sendable {
    public let file: String
    public let bytes: [UInt8]
    public let documents: [YAMLNode]

    /// The first document's root, or nil for an empty file.
    public var root: YAMLNode? { documents.first }

    public static func parse(_ bytes: [UInt8], file: String, limits: YAMLLimits = .default) throws(Diagnostic) -> YAMLDocument {
        let events = try YAMLEventParser.events(bytes, file: file, limits: limits)
        var composer = Composer(events: events, bytes: bytes)
        return YAMLDocument(file: file, bytes: bytes, documents: composer.documents())
    }

    /// The source text of a node, exactly as written.
    public func text(of node: YAMLNode) -> String {
        String(decoding: bytes[node.byteRange], as: UTF8.self)
    }
}

/// Builds node trees from a well-formed event stream (libyaml has already rejected malformed ones).
private struct Composer {
    let events: [YAMLEvent]
    let bytes: [UInt8]
    var index = 0

    init(events: [YAMLEvent], bytes: [UInt8]) {
        self.events = events
        self.bytes = bytes
    }

    mutating func documents() -> [YAMLNode] {
        var result: [YAMLNode] = []
        while index < events.count {
            let event = events[index]
            index += 1
            if case .documentStart = event.kind, let node = node() {
                result.append(node)
            }
        }
        return result
    }

    /// The node starting at `index`, or nil at a document end.
    mutating func node() -> YAMLNode? {
        let event = events[index]
        index += 1
        switch event.kind {
        case .scalar(let value, let style):
            return YAMLNode(kind: .scalar(value, style), tag: event.tag, anchor: event.anchor, start: event.start, end: event.end)
        case .alias(let anchor):
            return YAMLNode(kind: .alias(anchor), tag: nil, anchor: nil, start: event.start, end: event.end)
        case .sequenceStart(let flow):
            var items: [YAMLNode] = []
            while true {
                if case .sequenceEnd = events[index].kind { break }
                guard let item = node() else { break }
                items.append(item)
            }
            let endEvent = events[index]
            index += 1
            let end = flow ? endEvent.end : (items.last?.end ?? endEvent.end)
            return YAMLNode(kind: .sequence(items, flow: flow), tag: event.tag, anchor: event.anchor, start: event.start, end: end)
        case .mappingStart(let flow):
            var pairs: [YAMLPair] = []
            while true {
                if case .mappingEnd = events[index].kind { break }
                guard let key = node(), var value = node() else { break }
                if !flow { value = anchoringEmptyValue(value, after: key) }
                pairs.append(YAMLPair(key: key, value: value))
            }
            let endEvent = events[index]
            index += 1
            let end = flow ? endEvent.end : (pairs.last?.value.end ?? endEvent.end)
            return YAMLNode(kind: .mapping(pairs, flow: flow), tag: event.tag, anchor: event.anchor, start: event.start, end: end)
        case .documentEnd, .streamEnd, .streamStart, .documentStart, .sequenceEnd, .mappingEnd:
            return nil
        }
    }

    /// libyaml places an empty value (`key:` and nothing) at the next token, often lines below.
    /// Anchor it right after the key's colon instead, so spans never swallow what follows.
    private func anchoringEmptyValue(_ value: YAMLNode, after key: YAMLNode) -> YAMLNode {
        guard case .scalar("", .plain) = value.kind, value.tag == nil, value.anchor == nil,
              value.start.offset == value.end.offset else { return value }
        var offset = key.end.offset
        var column = key.end.column
        while offset < bytes.count, bytes[offset] == UInt8(ascii: " ") || bytes[offset] == UInt8(ascii: "\t") {
            offset += 1
            column += 1
        }
        guard offset < bytes.count, bytes[offset] == UInt8(ascii: ":") else { return value }
        let mark = YAMLMark(offset: offset + 1, line: key.end.line, column: column + 1)
        var anchored = value
        anchored.start = mark
        anchored.end = mark
        return anchored
    }
}
