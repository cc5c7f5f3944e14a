import Caddyfile
import Diagnostics

/// The reconciler's own webhook as the internet reaches it: through the Caddy it edits. A plan must not
/// cut that route, or the next push would never arrive and the gateway could not be fixed by a commit.
public struct WebhookRoute: Sendable, Hashable, Codable {
    /// The public host (`reconcile.example.org`).
    public var host: String
    /// The webhook's path (`/hooks/reconcile`).
    public var path: String
    /// How Caddy reaches the daemon, as written after `reverse_proxy` (`127.0.0.1:9797`).
    public var upstream: String

    public init(host: String, path: String, upstream: String) {
        self.host = host
        self.path = path
        self.upstream = upstream
    }

    public var url: String { "https://\(host)\(path)" }
}

/// Checks the Caddyfile a plan leaves behind: if the webhook is routed now and would not be after the
/// plan, the plan is refused; if it is not routed at all, the plan says so (a warning: the first setup).
public enum WebhookRouteGuard {
    public enum Verdict: Sendable, Hashable {
        case kept
        case notRouted(warning: String)
        case cut(Diagnostic)
    }

    /// Applies the check to the planned Caddyfile target: a warning on it, or a problem for the plan.
    static func check(_ route: WebhookRoute?, targets: inout [TargetPlan], problems: inout [Diagnostic]) {
        guard let route, let index = targets.firstIndex(where: { $0.kind == .caddyfile }) else { return }
        let target = targets[index]
        switch verdict(route, current: target.currentContent, planned: target.newContent ?? target.currentContent, file: target.path) {
        case .kept: break
        case .notRouted(let warning): targets[index].warnings.append(PlanWarning(.webhookNotRouted, file: target.path, warning))
        case .cut(let diagnostic): problems.append(diagnostic)
        }
    }

    public static func verdict(_ route: WebhookRoute, current: [UInt8]?, planned: [UInt8]?, file: String) -> Verdict {
        let before = current.map { routes($0, route, file: file) } ?? false
        let after = planned.map { routes($0, route, file: file) } ?? false
        if after { return .kept }
        if !before {
            return .notRouted(warning: "the webhook \(route.url) is not routed to \(route.upstream) by this Caddyfile: pushes will not reach reconcile through Caddy (the timer still runs)")
        }
        return .cut(Diagnostic(
            file: file, position: nil,
            message: "this plan would cut the route to reconcile's own webhook: \(route.url) reaches \(route.upstream) now, and would not after the plan, so no later push could reach this gateway",
            hint: "keep a site for \(route.host) with `reverse_proxy \(route.upstream)` covering \(route.path) (declared in the exposure repo, or written by hand outside the managed blocks), or drop serve.webhook_host from the settings if the webhook is reached another way"))
    }

    /// Whether the Caddyfile sends `https://host/path` to the upstream. A file Caddy would not parse routes nothing.
    public static func routes(_ bytes: [UInt8], _ route: WebhookRoute, file: String) -> Bool {
        guard let document = try? CaddyfileDocument.parse(bytes, file: file) else { return false }
        let host = HostKey.of(route.host)
        for block in document.blocks where block.addresses.contains(where: { HostKey.of($0) == host }) {
            guard let directives = document.directives(of: block) else { continue }
            let matchers = namedPathMatchers(directives)
            if proxies(directives, route: route, matchers: matchers) { return true }
        }
        return false
    }

    /// `reverse_proxy [matcher] upstream…` to the daemon whose matcher (and enclosing `handle`/`route`
    /// blocks' matchers) admit the webhook's path.
    static func proxies(_ directives: [CaddyDirective], route: WebhookRoute, matchers: [String: [String]?]) -> Bool {
        for directive in directives {
            guard let name = directive.tokens.first else { continue }
            let arguments = Array(directive.tokens.dropFirst())
            switch name {
            case "reverse_proxy":
                var upstreams = arguments
                if let first = arguments.first, isMatcher(first) {
                    guard admits(first, path: route.path, matchers: matchers) else { continue }
                    upstreams.removeFirst()
                }
                if upstreams.contains(where: { sameUpstream($0, route.upstream) }) { return true }
                if let children = directive.children,
                   children.contains(where: { $0.tokens.first == "to" && $0.tokens.dropFirst().contains { sameUpstream($0, route.upstream) } }) {
                    return true
                }
            case "handle", "handle_path", "route":
                if let first = arguments.first, isMatcher(first), !admits(first, path: route.path, matchers: matchers) { continue }
                if let children = directive.children, proxies(children, route: route, matchers: matchers) { return true }
            default:
                continue
            }
        }
        return false
    }

    static func isMatcher(_ token: String) -> Bool { token.hasPrefix("/") || token.hasPrefix("@") || token == "*" }

    static func admits(_ matcher: String, path: String, matchers: [String: [String]?]) -> Bool {
        if matcher == "*" { return true }
        if matcher.hasPrefix("/") { return pathMatches(matcher, path) }
        // A named matcher with path patterns is checked; one that matches on something else is taken as admitting.
        guard let patterns = matchers[matcher] else { return false }
        return patterns.map { $0.contains { pathMatches($0, path) } } ?? true
    }

    /// `@name path /a* /b` (one line or a block): name -> its path patterns; nil patterns when it has none.
    static func namedPathMatchers(_ directives: [CaddyDirective]) -> [String: [String]?] {
        var result: [String: [String]?] = [:]
        for directive in directives {
            guard let name = directive.tokens.first, name.hasPrefix("@") else { continue }
            var lines = [Array(directive.tokens.dropFirst())]
            lines += (directive.children ?? []).map(\.tokens)
            let paths = lines.filter { $0.first == "path" }.flatMap { $0.dropFirst() }
            result[name] = paths.isEmpty ? .some(nil) : .some(paths)
        }
        return result
    }

    /// Caddy's path matcher: exact, `prefix*`, `*suffix`, or `*middle*`.
    static func pathMatches(_ pattern: String, _ path: String) -> Bool {
        let starts = pattern.hasPrefix("*"), ends = pattern.hasSuffix("*")
        let core = String(pattern.dropFirst(starts ? 1 : 0).dropLast(ends && pattern.count > 1 ? 1 : 0))
        switch (starts, ends) {
        case (true, true): return core.isEmpty || path.contains(core)
        case (false, true): return path.hasPrefix(core)
        case (true, false): return path.hasSuffix(core)
        case (false, false): return path == core
        }
    }

    static func sameUpstream(_ written: String, _ upstream: String) -> Bool {
        func normal(_ text: String) -> String {
            var text = text.lowercased()
            for scheme in ["http://", "h2c://"] where text.hasPrefix(scheme) { text.removeFirst(scheme.count) }
            if text.hasSuffix("/") { text.removeLast() }
            return text
        }
        return normal(written) == normal(upstream)
    }
}
