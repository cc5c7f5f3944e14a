import Diagnostics
import YAMLEdit

/// One planned edit of a service's `depends_on`, before line numbers in the new file are known.
struct ComposeDependencyEdit {
    var edit: TextEdit
    var changes: [ComposeDependencyChange]
}

/// The text edits that add, remove or rename one dependency, in the form the service already uses.
/// Refuses (with a diagnostic) any edit whose text is shared with other services through an anchor,
/// an alias or a `<<` merge key: changing it would change those services too.
struct ComposeDependencyEdits {
    let compose: ComposeFile
    let style: ComposeFileStyle

    /// Long-form options written for an added dependency: the same meaning as a short-form entry.
    static let longFormOptions = "condition: service_started"

    func add(_ dependency: String, to service: ComposeFile.Service, existing: ComposeDependsOn?) throws(Diagnostic) -> ComposeDependencyEdit {
        if let existing { try refuseShared(existing, of: service, adding: dependency) }
        let definition = try editableDefinition(service, existing: existing, action: "add \(dependency) to")
        let name = YAMLScalarRendering.render(dependency)
        let source = compose.source
        var form = style.form
        var wholeKey = false
        var edit: TextEdit?
        if let existing {
            switch existing.shape {
            case .short:
                form = .short
                edit = SequenceItemEdits.append([name], to: existing.node, in: source)
            case .long:
                form = .long
                edit = MappingPairEdits.append([(name, longValue(like: existing.node))], to: existing.node, in: source)
            case .empty:
                let text = form == .short ? "[\(name)]" : "{\(name): {\(Self.longFormOptions)}}"
                let node = existing.node
                edit = node.start.offset == node.end.offset
                    ? .insert(" " + text, at: node.start.offset)
                    : TextEdit(range: node.byteRange, replacement: text)
            }
        } else {
            wholeKey = true
            let value: YAMLInsertedValue
            if definition.isFlow {
                value = .inline(form == .short ? "[\(name)]" : "{\(name): {\(Self.longFormOptions)}}")
            } else if form == .short {
                value = .block(["- " + name], indent: style.sequenceIndent)
            } else {
                value = .block([name + ":", String(repeating: " ", count: style.mappingIndent) + Self.longFormOptions],
                               indent: style.mappingIndent)
            }
            edit = MappingPairEdits.append([("depends_on", value)], to: definition, in: source)
        }
        guard let edit else {
            throw diagnostic(at: existing?.pair.key ?? service.pair.key,
                             "cannot add \(dependency) to \(service.name)'s depends_on: it is laid out in a way reconcile does not edit",
                             hint: "write it as a list, one `- name` per line")
        }
        let change = ComposeDependencyChange(service: service.name, dependency: dependency, action: .added,
                                             form: form, wholeKey: wholeKey, line: 0)
        return ComposeDependencyEdit(edit: edit, changes: [change])
    }

    /// Remove `dependencies` from the service's own `depends_on`; the whole key when nothing else is left.
    func remove(_ dependencies: [String], from service: ComposeFile.Service, existing: ComposeDependsOn) throws(Diagnostic) -> [ComposeDependencyEdit] {
        let definition = try editableDefinition(service, existing: existing, action: "remove \(dependencies.joined(separator: ", ")) from")
        let source = compose.source
        let form = existing.form ?? .short
        let indices = dependencies.compactMap(existing.index(of:))
        let changes = indices.map { index in
            ComposeDependencyChange(service: service.name, dependency: existing.entries[index].name, action: .removed,
                                    form: form, wholeKey: indices.count == existing.entries.count,
                                    line: existing.entries[index].node.start.line)
        }
        if indices.count == existing.entries.count,
           let keyIndex = definition.pairs?.firstIndex(where: { $0.key.scalarValue == "depends_on" }),
           let edit = MappingPairEdits.remove(pairAt: keyIndex, from: definition, in: source) {
            return [ComposeDependencyEdit(edit: edit, changes: changes)]
        }
        var edits: [ComposeDependencyEdit] = []
        for (index, change) in zip(indices, changes) {
            var change = change
            change.wholeKey = false
            let edit = existing.shape == .long
                ? MappingPairEdits.remove(pairAt: index, from: existing.node, in: source)
                : SequenceItemEdits.remove(itemAt: index, from: existing.node, in: source)
            guard let edit else {
                throw diagnostic(at: existing.entries[index].node,
                                 "cannot remove \(change.dependency) from \(service.name)'s depends_on: it is laid out in a way reconcile does not edit",
                                 hint: "remove it by hand; reconcile forgets it once it is gone")
            }
            edits.append(ComposeDependencyEdit(edit: edit, changes: [change]))
        }
        return edits
    }

    /// Replace the name `old` (which reconcile added) with `new`: the proxy service was renamed.
    func rename(_ old: String, to new: String, in service: ComposeFile.Service, existing: ComposeDependsOn) throws(Diagnostic) -> ComposeDependencyEdit? {
        _ = try editableDefinition(service, existing: existing, action: "rename \(old) to \(new) in")
        guard let index = existing.index(of: old), !ComposeDependsOn.isAlias(existing.entries[index].node) else { return nil }
        let node = existing.entries[index].node
        let form = existing.form ?? .short
        let edit = TextEdit(range: node.byteRange, replacement: YAMLScalarRendering.render(new))
        return ComposeDependencyEdit(edit: edit, changes: [
            ComposeDependencyChange(service: service.name, dependency: old, action: .removed, form: form, wholeKey: false, line: node.start.line),
            ComposeDependencyChange(service: service.name, dependency: new, action: .added, form: form, wholeKey: false, line: 0),
        ])
    }

    /// A depends_on that is not the service's own text (merged or aliased) cannot take an addition.
    private func refuseShared(_ existing: ComposeDependsOn, of service: ComposeFile.Service, adding dependency: String) throws(Diagnostic) {
        if existing.merged {
            throw diagnostic(at: service.pair.key,
                             "\(service.name) gets depends_on through a `<<` merge key and it lacks \(dependency); adding \(dependency) there would change every service that merges it, and a depends_on of \(service.name)'s own would hide the merged one",
                             hint: "add \(dependency) to the merged depends_on yourself, or give \(service.name) its own depends_on")
        }
        if existing.viaAlias {
            throw diagnostic(at: existing.pair.value,
                             "\(service.name)'s depends_on is an alias; adding \(dependency) would change the anchored list and everything that uses it",
                             hint: "write \(service.name)'s depends_on out in full")
        }
    }

    /// The service's mapping, once sure that no alias elsewhere shares the text about to change.
    private func editableDefinition(_ service: ComposeFile.Service, existing: ComposeDependsOn?, action: String) throws(Diagnostic) -> YAMLNode {
        guard let definition = service.definition else {
            throw diagnostic(at: service.pair.key, "service \(service.name) has no definition (a mapping of its settings)")
        }
        var along = [compose.servicesNode, definition]
        if let existing, !existing.merged { along.append(existing.node) }
        let shared = compose.anchors.sharedAnchors(along: along)
        if let anchor = shared.first {
            throw diagnostic(at: service.pair.key,
                             "cannot \(action) \(service.name)'s depends_on: the text is anchored as &\(anchor) and an alias (*\(anchor)) elsewhere would change with it",
                             hint: "give \(service.name) a definition of its own (merge the anchor with `<<: *\(anchor)` instead of aliasing it)")
        }
        return definition
    }

    /// The value for a new long-form entry, shaped like the last existing entry.
    private func longValue(like mapping: YAMLNode) -> YAMLInsertedValue {
        if mapping.isFlow { return .inline("{\(Self.longFormOptions)}") }
        guard let last = mapping.pairs?.last else { return .block([Self.longFormOptions], indent: style.mappingIndent) }
        if last.value.isFlow, last.value.pairs != nil { return .inline("{\(Self.longFormOptions)}") }
        let indent = YAMLIndentStyle.childIndent(of: last, in: compose.source) ?? style.mappingIndent
        return .block([Self.longFormOptions], indent: indent > 0 ? indent : style.mappingIndent)
    }

    private func diagnostic(at node: YAMLNode, _ message: String, hint: String? = nil) -> Diagnostic {
        Diagnostic(file: compose.file, position: node.start.position, message: message, hint: hint)
    }
}
