import Compose
import DesiredState

/// The gateway's compose services, as the policy sees them: read from the live compose file, never from
/// the commit, so a commit cannot rename its way past a rule.
public struct GatewayServices: Sendable, Hashable {
    /// The compose file, as messages name it.
    public var file: String
    public var services: [ComposeServiceIdentity]

    public init(file: String = "", services: [ComposeServiceIdentity] = []) {
        self.file = file
        self.services = services
    }
}

/// Which desired services a rule naming a service holds for. A rule's value is matched against what the
/// commit declares (the service's name, its compose service) and against what it actually reaches: a
/// desired service whose upstream port is one the named compose service publishes, or whose upstream host
/// is that service's container, is that service under another name.
struct RuleMatcher {
    var gateway: GatewayServices

    /// The first rule that holds for `service`, with why when the names differ.
    func first(_ rules: [GatewayPolicy.Rule<String>], _ service: ServiceSpec) -> (rule: GatewayPolicy.Rule<String>, reason: String?)? {
        for rule in rules {
            if rule.value == "*" || rule.value == service.name || rule.value == service.composeService { return (rule, nil) }
            if let reason = reaches(service, rule.value) { return (rule, reason) }
        }
        return nil
    }

    /// Why `service` reaches the compose service `name`, or nil.
    func reaches(_ service: ServiceSpec, _ name: String) -> String? {
        guard let identity = gateway.services.first(where: { $0.service == name }) else { return nil }
        let place = "\(gateway.file):\(identity.line)"
        let host = service.upstream.host
        if identity.isReached(byHost: host) {
            return "its upstream host \(host) is the container of compose service '\(name)' (\(place))"
        }
        // A port on the host, unless the upstream is some other service's container (its own port space).
        let otherContainer = gateway.services.contains { $0.service != name && $0.isReached(byHost: host) }
        if !otherContainer, identity.publishedPorts.contains(service.upstream.port) {
            return "its upstream port \(service.upstream.port) is published by compose service '\(name)' (\(place))"
        }
        return nil
    }
}
