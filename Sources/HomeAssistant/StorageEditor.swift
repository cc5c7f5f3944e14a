import Diagnostics
import Networks
import YAMLEdit

/// Turns a decision into byte edits of one settings object of `.storage/http` (`data.stable` or
/// `data.pending`): only our two members' values change, are added after the last member, or are removed.
struct StorageEditor {
    let storage: StorageHTTPFile
    let layout: StorageJSONLayout
    var edits: [TextEdit] = []
    var changes: [HomeAssistantSettingChange] = []

    init(storage: StorageHTTPFile) {
        self.storage = storage
        layout = StorageJSONLayout(bytes: storage.bytes, root: storage.root)
    }

    /// `repairs`: entries of `trusted_proxies` to write back with their lost mask, in place (`snapshot` already
    /// holds the repaired networks, which `decision` was made on).
    mutating func apply(_ decision: TrustDecision, to settings: JSONNode, snapshot: TrustSnapshot, section: String,
                        repairs: [MaskRepair] = []) {
        guard !decision.isEmpty || !repairs.isEmpty, let members = settings.members else { return }
        var appended: [String] = []
        var removed: [JSONMember] = []
        let flagMember = settings.member(StorageHTTPFile.flagKey)
        let proxiesMember = settings.member(StorageHTTPFile.proxiesKey)

        switch decision.flag {
        case .none:
            break
        case .setTrue, .setFalse:
            let value = decision.flag == .setTrue
            if let flagMember {
                edits.append(TextEdit(range: flagMember.value.range, replacement: value ? "true" : "false"))
                record(.setUseXForwardedFor(value), at: flagMember.keyRange.lowerBound, section)
            } else {
                appended.append(layout.member(StorageHTTPFile.flagKey, "true"))
                record(.setUseXForwardedFor(true), at: settings.range.upperBound, section)
            }
        case .remove:
            if let flagMember {
                removed.append(flagMember)
                record(.removeUseXForwardedFor, at: flagMember.keyRange.lowerBound, section)
            }
        }

        let added = decision.addProxies.map { JSONRendering.string($0.network.description) }
        for network in decision.addProxies.map(\.network) {
            record(.addTrustedProxy(network.description), at: proxiesMember?.keyRange.lowerBound ?? settings.range.upperBound, section)
        }
        if let proxiesMember {
            var items: [JSONNode] = []
            if case .array(let list) = proxiesMember.value.kind { items = list }
            var repaired: [Int: String] = [:]
            for repair in repairs where items.indices.contains(repair.index) {
                repaired[repair.index] = JSONRendering.string(repair.to.description)
                if !decision.removeProxyIndices.contains(repair.index) {
                    record(.repairTrustedProxy(from: repair.from.description, to: repair.to.description),
                           at: items[repair.index].range.lowerBound, section)
                }
            }
            for index in decision.removeProxyIndices {
                record(.removeTrustedProxy(snapshot.proxies[index]?.description ?? "?"), at: proxiesMember.keyRange.lowerBound, section)
            }
            if decision.removeProxiesKey {
                removed.append(proxiesMember)
                record(.removeTrustedProxiesKey, at: proxiesMember.keyRange.lowerBound, section)
            } else if !added.isEmpty || !decision.removeProxyIndices.isEmpty {
                let kept = items.indices.filter { !decision.removeProxyIndices.contains($0) }
                    .map { repaired[$0] ?? String(decoding: storage.bytes[items[$0].range], as: UTF8.self) }
                let range = proxiesMember.value.range
                let singleLine = !items.isEmpty && !storage.bytes[range].contains(0x0A)
                edits.append(TextEdit(range: range, replacement: layout.array(kept + added, indent: layout.indentation(at: proxiesMember.keyRange.lowerBound),
                                                                               singleLine: singleLine)))
            } else {
                // Only repairs: each string is replaced where it stands, every other byte stays.
                for (index, text) in repaired.sorted(by: { $0.key < $1.key }) {
                    edits.append(TextEdit(range: items[index].range, replacement: text))
                }
            }
        } else if decision.createProxiesKey {
            // Members sit one level inside the object's own line.
            let indent = members.last.map { layout.indentation(at: $0.keyRange.lowerBound) }
                ?? layout.indentation(at: settings.range.lowerBound) + layout.unit
            appended.append(layout.member(StorageHTTPFile.proxiesKey, layout.array(added, indent: indent)))
            record(.addTrustedProxiesKey, at: settings.range.upperBound, section)
        }
        if !removed.isEmpty { edits += removals(of: removed, in: settings) }
        if !appended.isEmpty { edits.append(insertion(of: appended, into: settings)) }
    }

    /// New members after the last one (or the first ones of an empty object), indented like their siblings.
    private func insertion(of texts: [String], into object: JSONNode) -> TextEdit {
        let members = object.members ?? []
        if let last = members.last {
            let indent = layout.indentation(at: last.keyRange.lowerBound)
            let lead = layout.compact ? "," : "," + layout.newline + layout.pad(indent)
            return .insert(texts.map { lead + $0 }.joined(), at: last.value.range.upperBound)
        }
        let outer = layout.indentation(at: object.range.lowerBound)
        // In steps, with types: Swift 6.2's type checker gives up on the one-expression form.
        let text: String
        if layout.compact {
            text = "{" + texts.joined(separator: ",") + "}"
        } else {
            let members: String = texts.map { layout.pad(outer + layout.unit) + $0 }.joined(separator: "," + layout.newline)
            text = "{" + layout.newline + members + layout.newline + layout.pad(outer) + "}"
        }
        return TextEdit(range: object.range, replacement: text)
    }

    /// Members and the commas that join them to their neighbours: the inverse of `insertion`. Removed
    /// members next to each other at the start of the object go in one edit (their ranges would overlap).
    private func removals(of removed: [JSONMember], in object: JSONNode) -> [TextEdit] {
        let members = object.members ?? []
        let indices = Set(removed.compactMap { member in members.firstIndex { $0.keyRange == member.keyRange } })
        if indices.count == members.count {
            return [TextEdit(range: (object.range.lowerBound + 1)..<(object.range.upperBound - 1), replacement: [])]
        }
        var edits: [TextEdit] = []
        var leading = 0
        while indices.contains(leading) { leading += 1 }
        if leading > 0 {
            edits.append(TextEdit(range: members[0].keyRange.lowerBound..<members[leading].keyRange.lowerBound, replacement: []))
        }
        for index in indices.sorted() where index >= leading {
            edits.append(TextEdit(range: members[index - 1].value.range.upperBound..<members[index].value.range.upperBound, replacement: []))
        }
        return edits
    }

    private mutating func record(_ action: HomeAssistantSettingChange.Action, at offset: Int, _ section: String) {
        changes.append(HomeAssistantSettingChange(action: action, file: storage.file, section: section,
                                                  line: SourceLines(storage.bytes).lineNumber(of: offset)))
    }
}
