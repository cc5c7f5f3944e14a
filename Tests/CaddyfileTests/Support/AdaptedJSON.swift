import Foundation

/// Compares what `caddy adapt` makes of a Caddyfile before and after managed sites are added.
///
/// Normalization, applied the same way to both sides, removes only what new sites bring:
/// - routes whose every matcher set matches only managed hosts, and a server left with no route
///   at all when every one of its routes was such a route (Caddy made it for the new sites);
/// - the order of `tls.certificates.automate` (a set Caddy builds from a map);
/// - managed hosts in TLS automation policy subjects, in `certificates.automate`, in `automatic_https.skip` /
///   `skip_certificates`, in `logs.skip_hosts` / `logger_names` and in connection policy SNI
///   lists, and the policies or lists that held nothing else;
/// - server names (`srv0`, `srv1`…): Caddy numbers servers in order of appearance, so servers
///   are compared by their `listen` addresses instead;
/// - a lone hostless site's routes wrapped in a terminal subroute (see `unwrappingLoneSubroute`);
/// - route group names (`group0`…), numbered by a counter the new sites advance (see
///   `renumberGroups`);
/// - containers (servers, the http app, apps) left empty by the above.
enum AdaptedJSON {
    static func parse(_ data: Data) -> Any? {
        try? JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed])
    }

    static func canonical(_ value: Any) -> String {
        guard let data = try? JSONSerialization.data(withJSONObject: value, options: [.sortedKeys, .prettyPrinted, .fragmentsAllowed]) else {
            return "\(value)"
        }
        return String(decoding: data, as: UTF8.self)
    }

    static func normalized(_ root: Any, managedHosts: Set<String>) -> Any {
        guard var config = root as? [String: Any], var apps = config["apps"] as? [String: Any] else { return root }
        if var http = apps["http"] as? [String: Any], let servers = http["servers"] as? [String: Any] {
            var byListen: [String: Any] = [:]
            for (name, value) in servers {
                guard var server = value as? [String: Any] else { byListen[name] = value; continue }
                if let routes = server["routes"] as? [Any], !routes.isEmpty {
                    let kept = routes.filter { !isManagedRoute($0, managedHosts) }
                    if kept.isEmpty { continue }
                    server["routes"] = unwrappingLoneSubroute(kept)
                }
                removeHosts(&server, path: ["automatic_https", "skip"], managedHosts)
                removeHosts(&server, path: ["automatic_https", "skip_certificates"], managedHosts)
                removeHosts(&server, path: ["logs", "skip_hosts"], managedHosts)
                if var logs = server["logs"] as? [String: Any], var names = logs["logger_names"] as? [String: Any] {
                    for host in managedHosts { names[host] = nil }
                    logs["logger_names"] = names.isEmpty ? nil : names
                    server["logs"] = logs.isEmpty ? nil : logs
                }
                if let policies = server["tls_connection_policies"] as? [Any] {
                    let kept = policies.compactMap { policy -> Any? in
                        guard var policy = policy as? [String: Any], var match = policy["match"] as? [String: Any],
                              let sni = match["sni"] as? [String], !sni.isEmpty else { return policy }
                        let remaining = sni.filter { !managedHosts.contains($0) }
                        if remaining.isEmpty { return nil }
                        match["sni"] = remaining
                        policy["match"] = match
                        return policy
                    }
                    server["tls_connection_policies"] = kept.isEmpty ? nil : kept
                }
                let listen = (server["listen"] as? [String] ?? []).sorted().joined(separator: " ")
                byListen["listen: " + listen] = server
            }
            http["servers"] = byListen.isEmpty ? nil : byListen
            apps["http"] = http.isEmpty ? nil : http
        }
        if var tls = apps["tls"] as? [String: Any], var certificates = tls["certificates"] as? [String: Any],
           let automate = certificates["automate"] as? [String] {
            // A set of names: Caddy builds it from a map, so its order varies from run to run.
            let remaining = automate.filter { !managedHosts.contains($0) }.sorted()
            certificates["automate"] = remaining.isEmpty ? nil : remaining
            tls["certificates"] = certificates.isEmpty ? nil : certificates
            apps["tls"] = tls.isEmpty ? nil : tls
        }
        if var tls = apps["tls"] as? [String: Any], var automation = tls["automation"] as? [String: Any],
           let policies = automation["policies"] as? [Any] {
            let kept = policies.compactMap { policy -> Any? in
                guard var policy = policy as? [String: Any], let subjects = policy["subjects"] as? [String], !subjects.isEmpty else { return policy }
                let remaining = subjects.filter { !managedHosts.contains($0) }
                if remaining.isEmpty { return nil }
                policy["subjects"] = remaining
                return policy
            }
            automation["policies"] = kept.isEmpty ? nil : kept
            tls["automation"] = automation.isEmpty ? nil : automation
            apps["tls"] = tls.isEmpty ? nil : tls
        }
        config["apps"] = apps.isEmpty ? nil : apps
        return renumberGroups(config)
    }

    /// Route `group` names are only identities (routes of one group exclude each other), and Caddy
    /// numbers them with a counter over all sites, in its own sort order, so new sites shift them.
    /// Renaming them by order of first appearance keeps the meaning and drops the numbering.
    static func renumberGroups(_ root: Any) -> Any {
        var names: [String: String] = [:]
        func walk(_ value: Any) -> Any {
            if let object = value as? [String: Any] {
                var copy: [String: Any] = [:]
                for key in object.keys.sorted() {
                    if key == "group", let group = object[key] as? String {
                        if names[group] == nil { names[group] = "group#\(names.count + 1)" }
                        copy[key] = names[group]
                    } else {
                        copy[key] = walk(object[key]!)
                    }
                }
                return copy
            }
            if let array = value as? [Any] { return array.map(walk) }
            return value
        }
        return walk(root)
    }

    /// Caddy puts the routes of a server's only site straight into the server when that site has
    /// no host matcher, and wraps them in one terminal subroute when the server has more sites.
    /// With no other route around, both behave the same: compare them flattened.
    static func unwrappingLoneSubroute(_ routes: [Any]) -> [Any] {
        guard routes.count == 1, let route = routes[0] as? [String: Any], route["match"] == nil,
              Set(route.keys).isSubset(of: ["handle", "terminal"]),
              let handlers = route["handle"] as? [Any], handlers.count == 1,
              let subroute = handlers[0] as? [String: Any], subroute["handler"] as? String == "subroute",
              Set(subroute.keys).isSubset(of: ["handler", "routes"]),
              let inner = subroute["routes"] as? [Any] else { return routes }
        return inner
    }

    /// Applies `transform` to the TLS automation policies, if any.
    static func mapPolicies(_ root: Any, _ transform: ([Any]) -> [Any]) -> Any {
        guard var config = root as? [String: Any], var apps = config["apps"] as? [String: Any],
              var tls = apps["tls"] as? [String: Any], var automation = tls["automation"] as? [String: Any],
              let policies = automation["policies"] as? [Any] else { return root }
        automation["policies"] = transform(policies)
        tls["automation"] = automation
        apps["tls"] = tls
        config["apps"] = apps
        return config
    }

    static func removing(_ key: String, from value: Any) -> Any {
        guard var object = value as? [String: Any] else { return value }
        object[key] = nil
        return object
    }

    /// Drops policies with subjects whose other settings equal those of the catch-all policy.
    static func dropPoliciesEqualToCatchAll(_ policies: [Any]) -> [Any] {
        guard let catchAll = policies.last(where: { ($0 as? [String: Any])?["subjects"] == nil }) else { return policies }
        let reference = canonical(catchAll)
        return policies.filter { policy in
            guard let object = policy as? [String: Any], object["subjects"] != nil else { return true }
            return canonical(removing("subjects", from: object)) != reference
        }
    }

    /// A route that only matches managed hosts: every matcher set has a host list of managed hosts.
    static func isManagedRoute(_ route: Any, _ managedHosts: Set<String>) -> Bool {
        guard let route = route as? [String: Any], let match = route["match"] as? [Any], !match.isEmpty else { return false }
        return match.allSatisfy { set in
            guard let set = set as? [String: Any], let hosts = set["host"] as? [String], !hosts.isEmpty else { return false }
            return hosts.allSatisfy(managedHosts.contains)
        }
    }

    static func removeHosts(_ object: inout [String: Any], path: [String], _ managedHosts: Set<String>) {
        guard path.count == 2, var inner = object[path[0]] as? [String: Any], let list = inner[path[1]] as? [String] else { return }
        let remaining = list.filter { !managedHosts.contains($0) }
        inner[path[1]] = remaining.isEmpty ? nil : remaining
        object[path[0]] = inner.isEmpty ? nil : inner
    }

    /// Every route (depth first, through subroutes) whose first matcher set's host list is exactly [host].
    static func routes(forHost host: String, in root: Any) -> [[String: Any]] {
        guard let servers = ((root as? [String: Any])?["apps"] as? [String: Any]).flatMap({ ($0["http"] as? [String: Any])?["servers"] as? [String: Any] })
        else { return [] }
        var found: [[String: Any]] = []
        for case let server as [String: Any] in servers.values {
            for case let route as [String: Any] in server["routes"] as? [Any] ?? [] {
                if let match = route["match"] as? [Any], let first = match.first as? [String: Any],
                   let hosts = first["host"] as? [String], hosts == [host] {
                    found.append(route)
                }
            }
        }
        return found
    }

    /// The `dial` of the first upstream of every reverse_proxy handler in a route, subroutes included.
    static func reverseProxyDials(in route: [String: Any]) -> [String] {
        var dials: [String] = []
        for case let handler as [String: Any] in route["handle"] as? [Any] ?? [] {
            if handler["handler"] as? String == "reverse_proxy",
               let upstreams = handler["upstreams"] as? [Any], let first = upstreams.first as? [String: Any],
               let dial = first["dial"] as? String {
                dials.append(dial)
            }
            if handler["handler"] as? String == "subroute" {
                for case let inner as [String: Any] in handler["routes"] as? [Any] ?? [] {
                    dials += reverseProxyDials(in: inner)
                }
            }
        }
        return dials
    }
}
