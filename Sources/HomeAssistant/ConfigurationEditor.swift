import Diagnostics
import Networks
import YAMLEdit

/// Turns a decision into byte edits of configuration.yaml that touch only the `http:` block (or append
/// one), and lists the changes with their lines. Layouts a whole-line edit cannot handle are refused.
struct ConfigurationEditor {
    let block: ConfigurationHTTPBlock
    let decision: TrustDecision
    let style: YAMLIndentStyle
    let lines: SourceLines
    var edits: [TextEdit] = []
    var changes: [HomeAssistantSettingChange] = []

    private var file: String { block.document.file }
    private static let nullSpellings: Set<String> = ["", "~", "null", "Null", "NULL"]

    init(block: ConfigurationHTTPBlock, decision: TrustDecision) {
        self.block = block
        self.decision = decision
        self.style = YAMLIndentStyle.detect(in: block.document)
        self.lines = SourceLines(block.document.bytes)
    }

    /// `removeCreatedBlock`: prune, and the ledger says we created `http:`: drop it if nothing else is in it.
    mutating func run(removeCreatedBlock: Bool) throws(Diagnostic) {
        guard !decision.isEmpty else { return }
        switch block.placement {
        case .absent:
            try appendBlock()
        case .empty(let key, let value):
            let line = try fillEmptyValue(key: key, value: value, childLines: newChildLines(), indent: style.step)
            recordNewSettings(line: line, section: "http")
        case .mapping(let key, let http):
            if removeCreatedBlock, onlyOurKeysAndAllGo(http) {
                try removeBlock(key: key, http: http)
            } else {
                try editMapping(http)
            }
        }
    }

    /// Storage mode: the whole block reconcile created, once Home Assistant ignores it (the caller checked
    /// that it holds only what reconcile wrote).
    mutating func removeCreatedBlock() throws(Diagnostic) {
        guard case .mapping(let key, let http) = block.placement else { return }
        try removeBlock(key: key, http: http)
    }

    // MARK: whole block

    private mutating func appendBlock() throws(Diagnostic) {
        let edit: TextEdit
        if let root = block.root, hasContentAfter(root) {
            // Something after the top-level mapping (`...`, a second document): stay inside the mapping.
            guard let inside = MappingPairEdits.append([("http", .block(newChildLines(), indent: style.step))], to: root, in: lines) else {
                throw Diagnostic(file: file, position: root.end.position, message: "cannot find where to add http: safely",
                                 hint: "add the http: block yourself: \(hintText)")
            }
            edit = inside
        } else {
            // The column of the top-level keys (in characters, so a byte-order mark does not count).
            let indentation = block.root?.pairs?.first.map { $0.key.start.column - 1 } ?? 0
            let pad = String(repeating: " ", count: indentation)
            let children = newChildLines().map { String(repeating: " ", count: style.step) + $0 }
            let separate = !lines.bytes.isEmpty && !lines.isBlankLine(at: lines.bytes.count - 1)
            edit = lines.insertLines((separate ? [""] : []) + (["http:"] + children).map { pad + $0 }, at: lines.bytes.count)
        }
        edits.append(edit)
        let line = insertionLine(edit.range.lowerBound)
        record(.addHTTPBlock, line: line)
        recordNewSettings(line: line, section: "http")
    }

    private mutating func removeBlock(key: YAMLNode, http: YAMLNode) throws(Diagnostic) {
        guard lines.onlyWhitespaceBefore(key.start.offset), lines.endsItsLine(http.end.offset) else {
            throw layoutRefusal(key, "http:")
        }
        var start = lines.lineStart(of: key.start.offset)
        let end = lines.lineAfter(offset: http.end.offset)
        // Undo the blank separator appendBlock adds when the block is the file's last text.
        if end == lines.bytes.count, start > 0, lines.isBlankLine(at: start - 1), lines.lineStart(of: start - 1) > 0 {
            start = lines.lineStart(of: start - 1)
        }
        edits.append(TextEdit(range: start..<end, replacement: []))
        record(.removeHTTPBlock, line: key.start.line)
    }

    private func onlyOurKeysAndAllGo(_ http: YAMLNode) -> Bool {
        let ours: Set<String> = [ConfigurationHTTPBlock.flagKey, ConfigurationHTTPBlock.proxiesKey]
        guard let pairs = http.pairs, pairs.allSatisfy({ ours.contains($0.key.scalarValue ?? "") }) else { return false }
        return (block.flagPair == nil || decision.flag == .remove) && (block.proxiesPair == nil || decision.removeProxiesKey)
    }

    // MARK: inside an existing mapping

    private mutating func editMapping(_ http: YAMLNode) throws(Diagnostic) {
        var appended: [(key: String, value: YAMLInsertedValue)] = []
        switch decision.flag {
        case .none:
            break
        case .setTrue, .setFalse:
            let value = decision.flag == .setTrue
            if let pair = block.flagPair {
                replaceScalar(pair.value, with: value ? "true" : "false")
                record(.setUseXForwardedFor(value), line: pair.value.start.line)
            } else {
                appended.append((ConfigurationHTTPBlock.flagKey, .inline("true")))
            }
        case .remove:
            guard let pair = block.flagPair, let edit = removal(of: pair, from: http) else {
                throw layoutRefusal(block.flagPair?.key ?? http, ConfigurationHTTPBlock.flagKey)
            }
            edits.append(edit)
            record(.removeUseXForwardedFor, line: pair.key.start.line)
        }
        if block.proxiesPair == nil, decision.createProxiesKey {
            appended.append((ConfigurationHTTPBlock.proxiesKey, .block(newProxyItems(), indent: sequenceIndent)))
        } else {
            try editProxies(in: http)
        }
        guard !appended.isEmpty else { return }
        guard let edit = MappingPairEdits.append(appended, to: http, in: lines) else { throw layoutRefusal(http, "http:") }
        edits.append(edit)
        let line = insertionLine(edit.range.lowerBound)
        if block.flagPair == nil, decision.flag == .setTrue { record(.setUseXForwardedFor(true), line: line) }
        if block.proxiesPair == nil, decision.createProxiesKey {
            record(.addTrustedProxiesKey, line: line)
            for proxy in decision.addProxies { record(.addTrustedProxy(proxy.spelling), line: line) }
        }
    }

    private mutating func editProxies(in http: YAMLNode) throws(Diagnostic) {
        guard let pair = block.proxiesPair else { return }
        let value = pair.value
        let removed = decision.removeProxyIndices
        for index in removed {
            record(.removeTrustedProxy(block.snapshot.proxies[index]?.description ?? "?"), line: block.proxyItems[index].start.line)
        }
        if decision.removeProxiesKey {
            guard let edit = removal(of: pair, from: http) else { throw layoutRefusal(pair.key, ConfigurationHTTPBlock.proxiesKey) }
            edits.append(edit)
            record(.removeTrustedProxiesKey, line: pair.key.start.line)
            return
        }
        let added = decision.addProxies.map { YAMLScalarRendering.render($0.spelling) }
        guard !removed.isEmpty || !added.isEmpty else { return }
        let kept = block.proxyItems.indices.filter { !removed.contains($0) }.map { block.document.text(of: block.proxyItems[$0]) }
        var addLine = value.start.line
        switch value.kind {
        case .sequence(let items, flow: false):
            for index in removed {
                guard let edit = SequenceItemEdits.remove(itemAt: index, from: value, in: lines) else { throw layoutRefusal(items[index], "a trusted_proxies entry") }
                edits.append(edit)
            }
            if !added.isEmpty {
                guard let edit = SequenceItemEdits.append(added, to: value, in: lines) else { throw layoutRefusal(value, ConfigurationHTTPBlock.proxiesKey) }
                edits.append(edit)
                addLine = insertionLine(edit.range.lowerBound)
            } else if kept.isEmpty, let colon = MappingPairEdits.offsetAfterColon(following: pair.key, in: lines) {
                edits.append(.insert(" []", at: colon))  // the user's key stays, as an empty list
            }
        case .sequence(_, flow: true):
            guard value.start.line == value.end.line else { throw layoutRefusal(value, "trusted_proxies (a flow list over several lines)") }
            edits.append(TextEdit(range: value.byteRange, replacement: "[" + (kept + added).joined(separator: ", ") + "]"))
        case .scalar(let text, _) where block.proxyItems.isEmpty && Self.nullSpellings.contains(text):
            addLine = try fillEmptyValue(key: pair.key, value: value, childLines: added.map { "- " + $0 }, indent: sequenceIndent)
        case .scalar:
            // One address written as a scalar (Home Assistant accepts it as a one-item list).
            edits.append(TextEdit(range: value.byteRange, replacement: "[" + (kept + added).joined(separator: ", ") + "]"))
        default:
            throw layoutRefusal(value, ConfigurationHTTPBlock.proxiesKey)
        }
        for proxy in decision.addProxies { record(.addTrustedProxy(proxy.spelling), line: addLine) }
    }

    // MARK: pieces

    /// `key:` (or `key: ~`) gets child lines under it, `indent` spaces deeper; a comment after the key stays.
    /// Returns the line the children go before.
    private mutating func fillEmptyValue(key: YAMLNode, value: YAMLNode, childLines: [String], indent: Int) throws(Diagnostic) -> Int {
        guard let colon = MappingPairEdits.offsetAfterColon(following: key, in: lines), lines.onlyWhitespaceBefore(key.start.offset),
              lines.endsItsLine(value.end.offset) else { throw layoutRefusal(key, key.scalarValue ?? "http:") }
        if value.end.offset > colon { edits.append(TextEdit(range: colon..<value.end.offset, replacement: [])) }
        let pad = String(repeating: " ", count: key.start.offset - lines.lineStart(of: key.start.offset) + indent)
        let edit = lines.insertLines(childLines.map { pad + $0 }, at: lines.lineAfter(offset: value.end.offset))
        edits.append(edit)
        return insertionLine(edit.range.lowerBound)
    }

    /// Children of a new `http:`: both settings, relative to the child key column.
    private func newChildLines() -> [String] {
        var children = decision.flag == .setTrue ? ["\(ConfigurationHTTPBlock.flagKey): true"] : []
        if decision.createProxiesKey {
            let pad = String(repeating: " ", count: sequenceIndent)
            children += ["\(ConfigurationHTTPBlock.proxiesKey):"] + newProxyItems().map { pad + $0 }
        }
        return children
    }

    /// The `- address` lines of the proxies we add, relative to the list's dash column.
    private func newProxyItems() -> [String] {
        decision.addProxies.map { "- " + YAMLScalarRendering.render($0.spelling) }
    }

    /// Spaces from a key to the dash of its list, as the file writes lists.
    private var sequenceIndent: Int { style.indentsSequences ? style.step : 0 }

    /// The edit removing `pair`'s lines from `mapping`, or nil when the layout does not allow it.
    private func removal(of pair: YAMLPair, from mapping: YAMLNode) -> TextEdit? {
        guard let index = mapping.pairs?.firstIndex(where: { $0.key.start == pair.key.start }) else { return nil }
        return MappingPairEdits.remove(pairAt: index, from: mapping, in: lines)
    }

    private mutating func recordNewSettings(line: Int, section: String) {
        if decision.flag == .setTrue { record(.setUseXForwardedFor(true), line: line, section: section) }
        if decision.createProxiesKey { record(.addTrustedProxiesKey, line: line, section: section) }
        for proxy in decision.addProxies { record(.addTrustedProxy(proxy.spelling), line: line, section: section) }
    }

    private mutating func replaceScalar(_ value: YAMLNode, with text: String) {
        // An empty value sits right after the colon: keep a space between.
        edits.append(TextEdit(range: value.byteRange, replacement: value.byteRange.isEmpty ? " " + text : text))
    }

    private mutating func record(_ action: HomeAssistantSettingChange.Action, line: Int, section: String = "http") {
        changes.append(HomeAssistantSettingChange(action: action, file: file, section: section, line: line))
    }

    /// The line new text goes before (one past the last line when appending to a file without a final newline).
    private func insertionLine(_ offset: Int) -> Int {
        lines.lineNumber(of: offset) + (offset == lines.bytes.count && lines.lacksFinalNewline ? 1 : 0)
    }

    private func hasContentAfter(_ root: YAMLNode) -> Bool {
        var offset = lines.lineAfter(offset: root.end.offset)
        let bytes = lines.bytes
        while offset < bytes.count {
            var i = offset
            while i < bytes.count, bytes[i] == UInt8(ascii: " ") || bytes[i] == UInt8(ascii: "\t") { i += 1 }
            if i < bytes.count, ![UInt8(ascii: "#"), UInt8(ascii: "\n"), UInt8(ascii: "\r")].contains(bytes[i]) { return true }
            offset = lines.lineEndIncludingNewline(of: offset)
        }
        return false
    }

    private var hintText: String {
        "use_x_forwarded_for: true and trusted_proxies: " + decision.addProxies.map(\.spelling).joined(separator: ", ")
    }

    private func layoutRefusal(_ node: YAMLNode, _ what: String) -> Diagnostic {
        Diagnostic(file: file, position: node.start.position,
                   message: "\(what) is laid out in a way reconcile does not edit (it shares a line with other text, or spans lines oddly)",
                   hint: "put each key and each list entry on its own line, then run reconcile again")
    }
}
