import Compose
import DesiredState
import Diagnostics
import Networks

/// Desired state + gateway policy -> every violation, each pointing at the desired state's line and
/// citing the policy rule's line. Pure: run before planning, so a violating commit writes nothing.
public enum PolicyCheck {
    /// `gateway`: the services of the gateway's compose file, so that a rule naming one of them also holds
    /// for a desired service that reaches it under another name (its published port, its container name).
    public static func violations(of policy: GatewayPolicy, in desired: DesiredState,
                                  gateway: GatewayServices = GatewayServices()) -> [Diagnostic] {
        var found: [Diagnostic] = []
        func cite<V>(_ rule: String, _ at: GatewayPolicy.Rule<V>) -> String {
            "rule \(rule) at \(policy.file):\(at.position.line):\(at.position.column)"
        }
        func refuse(_ service: ServiceSpec, at position: SourcePosition?, _ what: String, rule: String, hint: String) {
            found.append(Diagnostic(file: desired.file, position: position,
                                    message: "refused by the gateway policy: \(what) (\(rule))", hint: hint, subject: service.name))
        }
        func fix(_ action: String) -> String { "this rule is set on the gateway, not in the repo: \(action)" }
        let matcher = RuleMatcher(gateway: gateway)
        func matching(_ rules: [GatewayPolicy.Rule<String>], _ service: ServiceSpec) -> GatewayPolicy.Rule<String>? {
            matcher.first(rules, service)?.rule
        }
        for service in desired.services {
            let exposure = service.exposure
            if let (rule, reason) = matcher.first(policy.neverExpose, service) {
                refuse(service, at: service.position, "service '\(service.name)' must never be exposed\(reason.map { ": \($0)" } ?? "")",
                       rule: cite("never_expose", rule), hint: fix("remove '\(service.name)' from the desired state"))
            }
            if let rule = policy.forbiddenUpstreamPorts.first(where: { $0.value == service.upstream.port }) {
                refuse(service, at: service.position, "service '\(service.name)' publishes upstream port \(service.upstream.port)",
                       rule: cite("forbidden_upstream_ports", rule), hint: fix("publish another port, or remove the service"))
            }
            let hasAuth = !exposure.basicAuth.isEmpty
            let isLAN = isInsideLAN(exposure.access)
            if let rule = matching(policy.requireAuth, service), !hasAuth {
                refuse(service, at: service.position, "service '\(service.name)' needs basic_auth", rule: cite("require_auth", rule),
                       hint: fix("add basic_auth with a hash from `caddy hash-password` (own_login does not count: a commit can set it)"))
            }
            if let rule = matching(policy.requireLAN, service), !isLAN {
                refuse(service, at: exposure.accessPosition ?? service.position,
                       "service '\(service.name)' must be reachable from the LAN only, and its access is \(exposure.access.description)",
                       rule: cite("require_lan", rule), hint: fix("write access: lan, or networks inside \(LANRanges.networks.joined(separator: ", "))"))
            }
            if let rule = matching(policy.requireAuthOrLAN, service), !hasAuth, !isLAN {
                refuse(service, at: exposure.accessPosition ?? service.position,
                       "service '\(service.name)' needs basic_auth or LAN-only access", rule: cite("require_auth_or_lan", rule),
                       hint: fix("add basic_auth, or write access: lan"))
            }
        }
        if let limit = policy.maxExposedHosts, desired.services.count > limit.value {
            let last = desired.services[limit.value]
            refuse(last, at: last.position, "\(desired.services.count) hosts are declared, at most \(limit.value) may be exposed; '\(last.name)' is the first over the limit",
                   rule: cite("max_exposed_hosts", limit), hint: fix("declare fewer services"))
        }
        return found
    }


    /// `lan`, or a list of networks each inside one of the LAN ranges.
    static func isInsideLAN(_ access: ServiceExposure.Access) -> Bool {
        switch access {
        case .public: return false
        case .lan: return true
        case .networks(let list):
            return list.allSatisfy { text in
                guard let network = try? IPNetwork.parse(text).get() else { return false }
                return LANRanges.contains(network)
            }
        }
    }
}
