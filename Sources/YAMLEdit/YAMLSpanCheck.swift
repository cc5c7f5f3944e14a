/// Checks that a parsed document's marks point at the right bytes: every scalar's span, sliced from
/// the UTF-8 input, is that scalar's source text. Edits slice by these spans, so a wrong mark would
/// make an edit cut into a neighbour. Used by the conformance tests and the fuzz targets.
public enum YAMLSpanCheck {
    /// Every scalar of every document, keys included, in file order.
    public static func scalars(_ document: YAMLDocument) -> [YAMLNode] {
        var result: [YAMLNode] = []
        for root in document.documents {
            root.visit { node in
                if case .scalar = node.kind { result.append(node) }
            }
        }
        return result
    }

    /// One line per scalar whose span is not its source text; empty when every mark is right.
    public static func problems(_ document: YAMLDocument) -> [String] {
        scalars(document).compactMap { problem(of: $0, in: document.bytes) }
    }

    /// Replaces, one at a time, up to `limit` single-line value scalars (no anchor, no tag) with a new
    /// value rendered as the editors render it (a quoted one stays quoted), and checks the surgical-edit property: the bytes outside the span are
    /// untouched, the result parses, and it reads back as the same scalars with only that one changed.
    /// Returns one line per broken edit.
    public static func replacementProblems(_ document: YAMLDocument, limit: Int = 50) -> [String] {
        let bytes = document.bytes
        let all = scalars(document)
        let replacement = "reconcile edit"
        var problems: [String] = []
        for target in editableValues(document).prefix(limit) {
            guard let index = all.firstIndex(where: { $0.byteRange == target.byteRange }) else { continue }
            // A quoted scalar stays quoted: what follows it may rely on the quote (`"v"# text`).
            let rendered = target.scalarStyle == .plain ? YAMLScalarRendering.render(replacement) : YAMLScalarRendering.doubleQuoted(replacement)
            let edit = TextEdit(range: target.byteRange, replacement: rendered)
            let edited = TextEdit.apply([edit], to: bytes)
            let at = "replacing the scalar at \(target.start.line):\(target.start.column)"
            guard edited[..<target.start.offset].elementsEqual(bytes[..<target.start.offset]),
                  edited.suffix(bytes.count - target.end.offset).elementsEqual(bytes[target.end.offset...]) else {
                problems.append("\(at): bytes outside the span changed")
                continue
            }
            let reparsed: YAMLDocument
            do { reparsed = try YAMLDocument.parse(edited, file: document.file) } catch {
                problems.append("\(at): the result does not parse: \(error)")
                continue
            }
            var expected = all.map(\.scalarValue)
            expected[index] = replacement
            let actual = scalars(reparsed).map(\.scalarValue)
            if actual != expected {
                problems.append("\(at): reads back as \(actual), expected \(expected)")
            }
        }
        return problems
    }

    /// Values of mapping pairs and sequence items that are written on one line, without properties.
    static func editableValues(_ document: YAMLDocument) -> [YAMLNode] {
        var values: [YAMLNode] = []
        func consider(_ node: YAMLNode) {
            guard case .scalar(_, let style) = node.kind, node.anchor == nil, node.tag == nil,
                  style == .plain || style == .singleQuoted || style == .doubleQuoted,
                  node.start.offset < node.end.offset, node.end.offset <= document.bytes.count,
                  !document.bytes[node.byteRange].contains(0x0A) else { return }
            values.append(node)
        }
        for root in document.documents {
            root.visit { node in
                switch node.kind {
                case .mapping(let pairs, _): pairs.forEach { consider($0.value) }
                case .sequence(let items, _): items.forEach(consider)
                case .scalar, .alias: break
                }
            }
        }
        return values
    }

    static func problem(of node: YAMLNode, in bytes: [UInt8]) -> String? {
        guard case .scalar(let value, let style) = node.kind else { return nil }
        let where_ = "scalar \(String(reflecting: value)) at \(node.start.line):\(node.start.column)"
        guard node.start.offset <= node.end.offset, node.end.offset <= bytes.count else {
            return "\(where_): span \(node.start.offset)..<\(node.end.offset) is outside the file"
        }
        var text = Array(bytes[node.byteRange])
        if node.anchor != nil || node.tag != nil { text = droppingProperties(text, anchor: node.anchor) }
        guard String(validating: text, as: UTF8.self) != nil else { return "\(where_): span cuts a UTF-8 character" }
        let source = String(decoding: text, as: UTF8.self)
        let ok: Bool
        switch style {
        case .plain:
            if value.isEmpty {
                ok = text.isEmpty
            } else if let first = text.first, let last = text.last, !isSpace(first), !isSpace(last) {
                ok = breaksLine(text) ? words(source) == words(value) : source == value
            } else {
                ok = false
            }
        case .singleQuoted:
            ok = quoted(text, by: UInt8(ascii: "'"))
                && (breaksLine(text) || String(decoding: text.dropFirst().dropLast(), as: UTF8.self).replacing("''", with: "'") == value)
        case .doubleQuoted:
            ok = quoted(text, by: UInt8(ascii: "\""))
                && (breaksLine(text) || text.contains(UInt8(ascii: "\\")) || String(decoding: text.dropFirst().dropLast(), as: UTF8.self) == value)
        case .literal:
            ok = text.first == UInt8(ascii: "|")
        case .folded:
            ok = text.first == UInt8(ascii: ">")
        }
        return ok ? nil : "\(where_) (\(style)): span holds \(String(reflecting: source))"
    }

    /// `&anchor !tag value` -> `value`: a node's span starts at its properties. An anchor is skipped by
    /// its name's length (libyaml ends a name at `:`, so `&an:chor x` is anchor `an`, value `:chor x`).
    private static func droppingProperties(_ text: [UInt8], anchor: String?) -> [UInt8] {
        var i = 0
        while i < text.count, text[i] == UInt8(ascii: "&") || text[i] == UInt8(ascii: "!") {
            if text[i] == UInt8(ascii: "&"), let anchor {
                i = min(text.count, i + 1 + anchor.utf8.count)
            } else {
                while i < text.count, !isSpace(text[i]) { i += 1 }
            }
            // Spaces, line breaks, comments and a byte-order mark starting a line (libyaml skips it)
            // may sit between the properties and the value.
            while i < text.count, isSpace(text[i]) || text[i] == UInt8(ascii: "#") || (text[i - 1] == 0x0A && text[i...].starts(with: [0xEF, 0xBB, 0xBF])) {
                if text[i] == 0xEF {
                    i += 3
                } else if text[i] == UInt8(ascii: "#") {
                    while i < text.count, text[i] != 0x0A { i += 1 }
                } else {
                    i += 1
                }
            }
        }
        return Array(text[i...])
    }

    /// A line break folds inside a scalar; for libyaml a lone CR is one too.
    private static func breaksLine(_ text: [UInt8]) -> Bool { text.contains(0x0A) || text.contains(0x0D) }

    private static func quoted(_ text: [UInt8], by quote: UInt8) -> Bool {
        text.count >= 2 && text.first == quote && text.last == quote
    }

    private static func isSpace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D
    }

    private static func words(_ text: String) -> [Substring] {
        text.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" || $0 == "\r\n" })
    }
}
