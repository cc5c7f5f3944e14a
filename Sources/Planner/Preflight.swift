import Diagnostics
import Compose
import DesiredState

/// Plan-time warnings about a desired state that is valid but likely to hurt: certificates that cannot be
/// issued, a proxy loop, a service open to the whole internet with nothing in front of it. Each names the
/// desired state's file:line:column. (A host outside the domain is not here: the parser refuses it.)
enum Preflight {
    /// `proxy`: Caddy's service in the live compose file, when it is there; `changes`: the Caddyfile's.
    static func warnings(_ desired: DesiredState, proxyService: String, proxy: ComposeServiceIdentity? = nil, composeFile: String = "",
                         changes: [PlannedChange] = []) -> [PlanWarning] {
        var out: [PlanWarning] = []
        // A host about to become public needs a certificate: with neither 443 nor 80 published for Caddy, no
        // ACME challenge (TLS-ALPN-01 on 443, HTTP-01 on 80) can reach it.
        let newlyPublic = changes.filter { $0.exposure == .becomesPublic }.compactMap(\.host)
        if let proxy, !newlyPublic.isEmpty, !proxy.publishedPorts.contains(443), !proxy.publishedPorts.contains(80) {
            let published = proxy.publishedPorts.isEmpty ? "publishes no port" : "publishes only \(proxy.publishedPorts.map(String.init).joined(separator: ", "))"
            out.append(PlanWarning(.noCertificate, file: composeFile, position: proxy.position,
                                   "\(newlyPublic.joined(separator: ", ")) will need a certificate, and Caddy's service '\(proxy.service)' \(published): "
                       + "Let's Encrypt's TLS-ALPN-01 challenge needs port 443 and HTTP-01 port 80; publish 443:443 (as the stock gateway does), "
                       + "or use a Caddy build with a DNS provider module for DNS-01"))
        }
        let ports = desired.externalPorts
        if ports.https != 443 && ports.http != 80 && !desired.services.isEmpty {
            let http = ports.http.map { "external port \($0)" } ?? "nothing"
            out.append(PlanWarning(.noCertificate, file: desired.file, position: ports.position, "HTTPS comes in on external port \(ports.https) and \(http) reaches port 80: "
                       + "Let's Encrypt cannot issue public certificates (HTTP-01 needs external port 80, TLS-ALPN-01 needs external port 443); "
                       + "forward external port 80 (or 443) to Caddy, or use a Caddy build with a DNS provider module for DNS-01"))
        }
        let selfHosts = Set(["localhost", "127.0.0.1", "[::1]", "0.0.0.0", "host.docker.internal", proxyService, desired.domain]
                            + desired.services.map(\.fqdn))
        let proxyPorts = Set([80, 443, ports.https])
        for service in desired.services {
            let host = service.upstream.host.lowercased(), port = service.upstream.port
            let isLocal = selfHosts.contains(host) || host.hasPrefix("127.")
            if isLocal && port == 2019 {
                out.append(PlanWarning(.upstreamIsAdminAPI, file: desired.file, position: service.position, services: [service.name],
                                       "service '\(service.name)' proxies to \(service.upstream), where Caddy's admin API usually listens: "
                           + "whoever reaches it can reconfigure the gateway; point it at the service's own port"))
            } else if isLocal && proxyPorts.contains(port) {
                out.append(PlanWarning(.proxyLoop, file: desired.file, position: service.position, services: [service.name],
                                       "service '\(service.name)' proxies to \(service.upstream), which is Caddy itself: "
                           + "requests would loop until they fail; point it at the service's own port (e.g. host.docker.internal:8096)"))
            }
            let exposure = service.exposure
            if !exposure.isRestricted && !service.hasOwnLogin && !exposure.maintenance {
                out.append(PlanWarning(.openToInternet, file: desired.file, position: service.position, services: [service.name],
                                       "service '\(service.name)' is open to the whole internet with no access restriction and no login of its own declared: "
                           + "add access: lan (or a list of networks) or basic_auth, or declare own_login: true if it asks for a login itself"))
            }
        }
        return out
    }
}
