import Caddyfile
import DesiredState

/// The body of a service's managed site block, from its exposure settings, spelled for the Caddy
/// that serves (`CaddySyntax`: `basic_auth` from 2.8, `basicauth` before and when unknown).
///
/// Order matters and Caddy sorts directives by its own table (`basicauth` before `respond`), so
/// everything that must run in the written order sits in a `route` block: refuse strangers (403),
/// then maintenance (503), then basic auth, then the proxy. `remote_ip` is given no `forwarded`
/// option, so it matches the connecting peer: an `X-Forwarded-For` header cannot open the site.
enum SiteDirectives {
    static let deniedMatcher = "@reconcile_denied"
    static let maintenanceBody = "This service is down for maintenance. Please try again later."

    static func directives(for service: ServiceSpec, syntax: CaddySyntax) -> [CaddyDirective] {
        let exposure = service.exposure
        var out: [CaddyDirective] = []
        let headers = effectiveHeaders(exposure.headers)
        if !headers.isEmpty {
            out.append(CaddyDirective(tokens: ["header"], children: headers.map { CaddyDirective(tokens: [$0.name, $0.value]) }))
        }
        let proxy = CaddyDirective(tokens: ["reverse_proxy", service.upstream.description])
        let allowed = allowedNetworks(exposure.access)
        guard allowed != nil || exposure.maintenance || !exposure.basicAuth.isEmpty else {
            out.append(proxy)
            return out
        }
        var route: [CaddyDirective] = []
        if let allowed {
            out.append(CaddyDirective(tokens: [deniedMatcher, "not", "remote_ip"] + allowed))
            route.append(CaddyDirective(tokens: ["respond", deniedMatcher, "Forbidden", "403"]))
        }
        if exposure.maintenance {
            route.append(CaddyDirective(tokens: ["header", "Retry-After", "300"]))
            route.append(CaddyDirective(tokens: ["respond", maintenanceBody, "503"]))
        }
        if !exposure.basicAuth.isEmpty {
            route.append(CaddyDirective(tokens: [syntax.basicAuthDirective], children: exposure.basicAuth.map { CaddyDirective(tokens: [$0.user, $0.hash]) }))
        }
        // Kept in maintenance too (never reached): the block still says where the service lives.
        route.append(proxy)
        out.append(CaddyDirective(tokens: ["route"], children: route))
        return out
    }

    /// nil: everyone may connect.
    static func allowedNetworks(_ access: ServiceExposure.Access) -> [String]? {
        switch access {
        case .public: return nil
        case .lan: return LANRanges.networks
        case .networks(let list): return list
        }
    }

    /// The defaults with the service's overrides applied: a value replaces in place, nil drops,
    /// a new name is appended.
    static func effectiveHeaders(_ overrides: [HeaderOverride]) -> [(name: String, value: String)] {
        var headers: [(name: String, value: String?)] = DefaultSecurityHeaders.headers.map { ($0.name, $0.value) }
        for override in overrides {
            if let index = headers.firstIndex(where: { $0.name.lowercased() == override.name.lowercased() }) {
                headers[index] = (override.name, override.value)
            } else if let value = override.value {
                headers.append((override.name, value))
            }
        }
        return headers.compactMap { header in header.value.map { (header.name, $0) } }
    }

    /// "lan, basic auth, maintenance": what the plan line says besides the upstream.
    static func describe(_ exposure: ServiceExposure) -> String {
        var parts: [String] = []
        switch exposure.access {
        case .public: break
        case .lan: parts.append("lan only")
        case .networks(let list): parts.append("only from \(list.joined(separator: ", "))")
        }
        if !exposure.basicAuth.isEmpty { parts.append("basic auth (\(exposure.basicAuth.map(\.user).joined(separator: ", ")))") }
        if exposure.maintenance { parts.append("maintenance: 503") }
        return parts.isEmpty ? "" : " [\(parts.joined(separator: "; "))]"
    }

    /// What changed besides the address and upstream, in words, for the plan line of an updated block.
    static func differences(old: [CaddyDirective]?, new: [CaddyDirective]?) -> [String] {
        guard let old, let new, old != new else { return [] }
        func find(_ directives: [CaddyDirective], _ name: String) -> CaddyDirective? {
            for directive in directives {
                if directive.tokens.first == name { return directive }
                if directive.tokens.first == "route", let found = find(directive.children ?? [], name) { return found }
            }
            return nil
        }
        func inMaintenance(_ directives: [CaddyDirective]) -> Bool {
            (find(directives, "route")?.children ?? []).contains { $0.tokens.first == "respond" && $0.tokens.last == "503" }
        }
        var parts: [String] = []
        let oldHeaders = old.first { $0.tokens == ["header"] }, newHeaders = new.first { $0.tokens == ["header"] }
        if oldHeaders == nil && newHeaders != nil { parts.append("adds the security headers") }
        else if oldHeaders != newHeaders { parts.append("headers changed") }
        if old.first(where: { $0.tokens.first == deniedMatcher }) != new.first(where: { $0.tokens.first == deniedMatcher }) {
            parts.append("access changed")
        }
        let oldAuth = find(old, "basicauth") ?? find(old, "basic_auth"), newAuth = find(new, "basicauth") ?? find(new, "basic_auth")
        if oldAuth?.children != newAuth?.children { parts.append("basic auth changed") }
        else if oldAuth != newAuth { parts.append("basic auth spelled \(newAuth?.tokens.first ?? "") for this Caddy") }
        switch (inMaintenance(old), inMaintenance(new)) {
        case (false, true): parts.append("maintenance on")
        case (true, false): parts.append("maintenance off")
        default: break
        }
        return parts
    }
}
