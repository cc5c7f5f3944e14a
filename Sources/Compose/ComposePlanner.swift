import Diagnostics
import YAMLEdit

/// Decides the compose file's `depends_on` edits for the desired state: pure, bytes in and bytes out.
public enum ComposePlanner {
    public static let defaultProxyService = "caddy"

    /// The service names of a compose file, in file order.
    public static func services(in bytes: [UInt8], file: String) throws(Diagnostic) -> [String] {
        try ComposeFile.parse(bytes, file: file).serviceNames
    }

    /// Every service in `exposed` gets `proxyService` in its `depends_on` (in the form it already uses);
    /// every ledger entry whose service left `exposed` is removed again. Nothing else in the file changes.
    /// Throws every problem at once: a service missing from the file, a missing proxy service, or a
    /// `depends_on` whose text is shared through anchors.
    /// `adopt` (the user's opt-in): a proxy entry the user wrote in an exposed service's own
    /// `depends_on` goes into the ledger, so prune will remove it; without it, it is reported in
    /// `adoptable` and stays the user's.
    public static func plan(_ bytes: [UInt8], file: String, exposed: [String], proxyService: String = defaultProxyService,
                            ledger: ComposeLedger, adopt: Bool = false) throws(DiagnosticList) -> ComposeEdit {
        let compose: ComposeFile
        do { compose = try ComposeFile.parse(bytes, file: file) } catch { throw DiagnosticList([error]) }
        var seen = Set<String>()
        let exposed = exposed.filter { seen.insert($0).inserted }
        try checkNames(compose, exposed: exposed, proxyService: proxyService)

        let editor = ComposeDependencyEdits(compose: compose, style: ComposeFileStyle(compose))
        var planned: [ComposeDependencyEdit] = []
        var kept: [ComposeLedger.Entry] = []
        var handWritten: [ComposeDependencyChange] = []
        var diagnostics: [Diagnostic] = []
        for service in compose.services where seen.contains(service.name) || !ledger.entries(for: service.name).isEmpty {
            do {
                let (edits, entries) = try plan(service, exposed: seen.contains(service.name), proxyService: proxyService,
                                                ledger: ledger, compose: compose, editor: editor)
                planned += edits
                kept += entries
                if seen.contains(service.name), let found = try handWrittenProxyEntry(service, proxyService: proxyService, ledger: ledger, compose: compose) {
                    handWritten.append(found)
                    if adopt { kept.append(ComposeLedger.Entry(service: service.name, dependency: proxyService)) }
                }
            } catch {
                diagnostics.append(error)
            }
        }
        if !diagnostics.isEmpty { throw DiagnosticList(diagnostics) }
        let edit = try assemble(planned, bytes: bytes, file: file, ledger: ComposeLedger(kept),
                                proxyService: proxyService, anyExposed: !exposed.isEmpty)
        guard !handWritten.isEmpty else { return edit }
        if !adopt {
            var result = edit
            result.adoptable = handWritten
            return result
        }
        // Adoption writes nothing and restarts nothing: it only changes whose entry it is.
        return ComposeEdit(newBytes: edit.newBytes, changes: (edit.changes + handWritten).sorted { $0.line < $1.line },
                           recreates: edit.recreates, ledger: edit.ledger, wouldBringUp: edit.wouldBringUp)
    }

    /// The proxy entry in the service's own `depends_on`, written by the user (not in the ledger).
    private static func handWrittenProxyEntry(_ service: ComposeFile.Service, proxyService: String, ledger: ComposeLedger,
                                              compose: ComposeFile) throws(Diagnostic) -> ComposeDependencyChange? {
        guard !ledger.contains(service: service.name, dependency: proxyService),
              let definition = service.definition,
              let dependsOn = try? ComposeDependsOn.read(definition, anchors: compose.anchors),
              !dependsOn.merged, !dependsOn.viaAlias, let index = dependsOn.index(of: proxyService), let form = dependsOn.form
        else { return nil }
        return ComposeDependencyChange(service: service.name, dependency: proxyService, action: .adopted, form: form,
                                       wholeKey: false, line: dependsOn.entries[index].node.start.position.line)
    }

    /// One service: its edits, and the ledger entries that stay true for it afterwards.
    private static func plan(_ service: ComposeFile.Service, exposed: Bool, proxyService: String, ledger: ComposeLedger,
                             compose: ComposeFile, editor: ComposeDependencyEdits) throws(Diagnostic) -> ([ComposeDependencyEdit], [ComposeLedger.Entry]) {
        let dependsOn: ComposeDependsOn?
        do {
            dependsOn = try service.definition.flatMap { definition throws(ComposeDependsOn.ReadError) in
                try ComposeDependsOn.read(definition, anchors: compose.anchors)
            }
        } catch {
            guard case .notACollection(let node) = error else { throw Diagnostic(file: compose.file, position: nil, message: "\(error)") }
            throw Diagnostic(file: compose.file, position: node.start.position,
                             message: "\(service.name)'s depends_on holds \(node.kindDescription) where a service name or a list/map of names belongs",
                             hint: "write depends_on as a list of service names (- name), as docker compose expects")
        }
        let ownEntry = ComposeLedger.Entry(service: service.name, dependency: proxyService)
        let needsProxy = exposed && !(dependsOn?.names.contains(proxyService) ?? false)
        // Ours to remove: recorded by us, no longer wanted, still in the service's own depends_on.
        let own = dependsOn.flatMap { $0.merged || $0.viaAlias ? nil : $0 }
        let stale = ledger.entries(for: service.name)
            .filter { !(exposed && $0.dependency == proxyService) }
            .map(\.dependency)
            .filter { own?.index(of: $0) != nil }

        var edits: [ComposeDependencyEdit] = []
        var remaining = stale
        if needsProxy, let own, let first = stale.first, let rename = try editor.rename(first, to: proxyService, in: service, existing: own) {
            edits.append(rename)
            remaining.removeFirst()
        } else if needsProxy {
            edits.append(try editor.add(proxyService, to: service, existing: dependsOn))
        }
        if !remaining.isEmpty, let own {
            edits += try editor.remove(remaining, from: service, existing: own)
        }
        let keep = needsProxy || (exposed && ledger.entries.contains(ownEntry))
        return (edits, keep ? [ownEntry] : [])
    }

    private static func checkNames(_ compose: ComposeFile, exposed: [String], proxyService: String) throws(DiagnosticList) {
        let names = compose.serviceNames
        let listed = names.isEmpty ? "none" : names.joined(separator: ", ")
        var diagnostics: [Diagnostic] = []
        let at = compose.servicesKey.start.position
        if !exposed.isEmpty, compose.service(proxyService) == nil {
            diagnostics.append(Diagnostic(file: compose.file, position: at,
                message: "no `\(proxyService)` service in \(compose.file) (its services: \(listed)); reconcile does not create the proxy's container",
                hint: "define the \(proxyService) service in the compose file, or configure the proxy service's name"))
        }
        for name in exposed where compose.service(name) == nil {
            var hint = "the desired state's compose_service must name a service of \(compose.file)"
            if let near = Suggestion.nearest(to: name, in: names) { hint = "did you mean `\(near)`?" }
            diagnostics.append(Diagnostic(file: compose.file, position: at,
                message: "compose service `\(name)` named in the desired state is not in \(compose.file) (its services: \(listed))",
                hint: hint))
        }
        if exposed.contains(proxyService) {
            diagnostics.append(Diagnostic(file: compose.file, position: at,
                message: "`\(proxyService)` is the proxy service; it cannot depend on itself",
                hint: "expose the services behind \(proxyService), not \(proxyService)"))
        }
        if !diagnostics.isEmpty { throw DiagnosticList(diagnostics) }
    }

    /// Apply the edits and fill in each added entry's line in the new file.
    private static func assemble(_ planned: [ComposeDependencyEdit], bytes: [UInt8], file: String, ledger: ComposeLedger,
                                 proxyService: String, anyExposed: Bool) throws(DiagnosticList) -> ComposeEdit {
        let sorted = planned.sorted { ($0.edit.range.lowerBound, $0.edit.range.upperBound) < ($1.edit.range.lowerBound, $1.edit.range.upperBound) }
        for (a, b) in zip(sorted, sorted.dropFirst()) where a.edit.range.upperBound > b.edit.range.lowerBound {
            throw DiagnosticList([Diagnostic(file: file, position: nil,
                message: "the planned depends_on edits of \(a.changes[0].service) and \(b.changes[0].service) overlap; refusing to write a damaged file",
                hint: "this is a bug in reconcile; please report it with the compose file")])
        }
        let newBytes = sorted.isEmpty ? nil : TextEdit.apply(sorted.map(\.edit), to: bytes)
        var changes: [ComposeDependencyChange] = []
        var shift = 0
        for item in sorted {
            let newStart = item.edit.range.lowerBound + shift
            shift += item.edit.replacement.count - item.edit.range.count
            for var change in item.changes {
                if change.action == .added, let newBytes {
                    let within = firstOffset(of: Array(YAMLScalarRendering.render(change.dependency).utf8), in: item.edit.replacement) ?? 0
                    change.line = 1 + newBytes[..<(newStart + within)].reduce(0) { $1 == UInt8(ascii: "\n") ? $0 + 1 : $0 }
                }
                changes.append(change)
            }
        }
        let recreates = Array(Set(changes.map(\.service))).sorted()
        let bringUp = (anyExposed ? [proxyService] : []) + recreates.filter { $0 != proxyService }
        return ComposeEdit(newBytes: newBytes, changes: changes, recreates: recreates, ledger: ledger, wouldBringUp: bringUp)
    }

    private static func firstOffset(of needle: [UInt8], in haystack: [UInt8]) -> Int? {
        guard !needle.isEmpty, haystack.count >= needle.count else { return nil }
        return (0...(haystack.count - needle.count)).first { haystack[$0..<($0 + needle.count)].elementsEqual(needle) }
    }
}
