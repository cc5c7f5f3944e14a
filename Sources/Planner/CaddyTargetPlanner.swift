import Caddyfile
import DesiredState
import Diagnostics
import Parallel

/// The Caddyfile part of the plan: one managed site block per declared service.
enum CaddyTargetPlanner {
    static func plan(desired: DesiredState, live parsed: ParsedCaddyfile, syntax: CaddySyntax = .portable, adopt: Bool = false) throws(Diagnostic) -> TargetPlan {
        let live = parsed.file
        let document = try parsed.document.get()
        let sites = Parallel.map(desired.services) { managedSite($0, syntax: syntax) }
        let edit = try CaddyfileEditor.apply(document, desired: sites, syntax: syntax, adopt: adopt)
        // By index, and only for what changes: a ServiceSpec is large (1,000 were copied per plan).
        let serviceIndex = Dictionary(uniqueKeysWithValues: desired.services.indices.map { (desired.services[$0].name, $0) })
        let changes = edit.edits.filter { $0.kind != .unchanged }.compactMap { edit in
            change(for: edit, service: serviceIndex[edit.name].map { desired.services[$0] })
        }
        var warnings: [PlanWarning] = []
        if live.bytes == nil { warnings.append(PlanWarning(.fileMissing, file: live.path, "the file does not exist; it will be created")) }
        for orphan in document.orphanMarkers {
            warnings.append(PlanWarning(.orphanMarker, file: live.path, position: SourcePosition(line: orphan.line, column: 1),
                                        "a 'managed by reconcile' marker that does not sit alone right above a site block; it is left as a plain comment"))
        }
        var target = TargetPlan(kind: .caddyfile, path: live.path, changes: changes, warnings: warnings,
                                currentContent: live.bytes, newContent: changes.isEmpty ? nil : edit.newBytes)
        target.renderedFor = syntax
        return target
    }

    /// How a service is published: its host, proxied to its upstream.
    static func managedSite(_ service: ServiceSpec, syntax: CaddySyntax) -> ManagedSite {
        ManagedSite(name: service.name, addresses: [service.fqdn],
                    directives: SiteDirectives.directives(for: service, syntax: syntax))
    }

    static func change(for edit: SiteEdit, service: ServiceSpec?) -> PlannedChange? {
        let lines = edit.oldLines.map(LineRange.init)
        switch edit.kind {
        case .unchanged:
            return nil
        case .add:
            guard let service else { return nil }
            return PlannedChange(kind: .add, subject: edit.name, service: edit.name, host: service.fqdn,
                                 summary: "https://\(service.fqdn) -> \(service.upstream)" + SiteDirectives.describe(service.exposure),
                                 reason: "declared in the desired state",
                                 exposure: service.exposure.access == .public ? .becomesPublic : nil)
        case .update:
            guard let service else { return nil }
            let reason = edit.wasHandEdited
                ? "drift: lines \(lines.map(\.description) ?? "?") were edited by hand; restoring the declared block"
                : "the declared site differs from the live block (lines \(lines.map(\.description) ?? "?"))"
            let exposure: PlannedChange.Exposure? = Set(edit.oldAddresses ?? []) == Set(edit.newAddresses ?? []) || service.exposure.access != .public
                ? nil : .becomesPublic
            return PlannedChange(kind: edit.wasHandEdited ? .restoreDrift : .change, subject: edit.name, service: edit.name,
                                 host: service.fqdn, summary: "https://\(service.fqdn) -> \(service.upstream)" + SiteDirectives.describe(service.exposure) + describe(edit),
                                 reason: reason, exposure: exposure, lines: lines)
        case .adopt:
            guard let service else { return nil }
            return PlannedChange(kind: .adopt, subject: edit.name, service: edit.name, host: service.fqdn,
                                 summary: "https://\(service.fqdn) -> \(service.upstream)" + SiteDirectives.describe(service.exposure)
                                    + " (the hand-written block at lines \(lines.map(\.description) ?? "?") becomes the managed block)",
                                 reason: "adopted on request (--adopt): it serves only this host with the declared upstream; "
                                    + "from now on reconcile manages it, and prune will remove it when the service is no longer declared",
                                 lines: lines)
        case .remove:
            return PlannedChange(kind: .remove, subject: edit.name, service: edit.name, host: edit.oldAddresses?.first,
                                 summary: (edit.oldAddresses ?? []).joined(separator: ", "),
                                 reason: "no longer declared in the desired state", exposure: .stopsBeingPublic, lines: lines)
        }
    }

    /// What differs, in words: "(upstream was host.docker.internal:8095)".
    static func describe(_ edit: SiteEdit) -> String {
        var parts: [String] = []
        if let old = edit.oldAddresses, Set(old) != Set(edit.newAddresses ?? []) {
            parts.append("address was \(old.joined(separator: ", "))")
        }
        let oldUpstream = upstream(in: edit.oldDirectives), newUpstream = upstream(in: edit.newDirectives)
        if let oldUpstream, oldUpstream != newUpstream {
            parts.append("upstream was \(oldUpstream)")
        }
        parts += SiteDirectives.differences(old: edit.oldDirectives, new: edit.newDirectives)
        return parts.isEmpty ? "" : " (\(parts.joined(separator: "; ")))"
    }

    /// The dial addresses of the first `reverse_proxy` line (at the top or inside a `route`).
    static func upstream(in directives: [CaddyDirective]?) -> String? {
        for directive in directives ?? [] {
            if directive.tokens.first == "reverse_proxy" { return directive.tokens.dropFirst().joined(separator: " ") }
            if let nested = upstream(in: directive.children) { return nested }
        }
        return nil
    }
}
