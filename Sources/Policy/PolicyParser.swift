import Diagnostics
import YAMLEdit

/// Reads the gateway's policy file, reporting every problem with its file:line:column.
public enum PolicyParser {
    public static func parse(_ bytes: [UInt8], file: String) throws(DiagnosticList) -> GatewayPolicy {
        let document: YAMLDocument
        do {
            document = try YAMLDocument.parse(bytes, file: file)
        } catch {
            throw DiagnosticList([error])
        }
        var policy = GatewayPolicy(file: file)
        // An empty file (or only comments) is a policy with no rules.
        guard let root = document.root, !isNull(root) else { return policy }
        var problems: [Diagnostic] = []
        func report(_ node: YAMLNode, _ message: String, hint: String? = nil) {
            problems.append(Diagnostic(file: file, position: node.start.position, message: message, hint: hint))
        }
        guard let pairs = root.pairs else {
            throw DiagnosticList([Diagnostic(file: file, position: root.start.position, message: "expected a mapping of policy rules",
                                             hint: "keys: \(GatewayPolicy.keys.joined(separator: ", "))")])
        }
        var seen: Set<String> = []
        func scalar(_ node: YAMLNode, _ what: String) -> String? {
            guard let value = node.scalarValue, node.tag == nil, !value.isEmpty else {
                report(node, "expected \(what), found \(node.kindDescription)")
                return nil
            }
            return value
        }
        func names(_ node: YAMLNode, key: String) -> [GatewayPolicy.Rule<String>] {
            guard let items = node.items else {
                report(node, "'\(key)' expects a list of service names", hint: "e.g. \(key): [homeassistant, nextcloud], or [\"*\"] for every service")
                return []
            }
            return items.compactMap { item in scalar(item, "a service name").map { GatewayPolicy.Rule($0, at: item.start.position) } }
        }
        func number(_ node: YAMLNode, _ what: String, _ range: ClosedRange<Int>) -> Int? {
            guard let text = scalar(node, what) else { return nil }
            guard let value = Int(text), range.contains(value) else {
                report(node, "'\(text)' is not \(what) (\(range.lowerBound)-\(range.upperBound))")
                return nil
            }
            return value
        }
        for pair in pairs {
            guard let key = pair.key.scalarValue else {
                report(pair.key, "expected a rule name")
                continue
            }
            guard GatewayPolicy.keys.contains(key) else {
                let hint = Suggestion.nearest(to: key, in: GatewayPolicy.keys).map { "did you mean '\($0)'?" }
                    ?? "keys: \(GatewayPolicy.keys.joined(separator: ", "))"
                report(pair.key, "unknown policy rule '\(key)'", hint: hint)
                continue
            }
            guard seen.insert(key).inserted else {
                report(pair.key, "rule '\(key)' is written twice", hint: "merge the two lists")
                continue
            }
            let value = pair.value
            switch key {
            case "version":
                if value.scalarValue != "1" { report(value, "unsupported policy version", hint: "this reconcile reads version 1") }
            case "never_expose": policy.neverExpose = names(value, key: key)
            case "require_auth": policy.requireAuth = names(value, key: key)
            case "require_lan": policy.requireLAN = names(value, key: key)
            case "require_auth_or_lan": policy.requireAuthOrLAN = names(value, key: key)
            case "forbidden_upstream_ports":
                guard let items = value.items else {
                    report(value, "'\(key)' expects a list of port numbers", hint: "e.g. \(key): [22, 2375, 5432]")
                    continue
                }
                policy.forbiddenUpstreamPorts = items.compactMap { item in
                    number(item, "a port number", 1...65535).map { GatewayPolicy.Rule($0, at: item.start.position) }
                }
            case "max_exposed_hosts":
                if let limit = number(value, "a number of hosts", 0...100_000) {
                    policy.maxExposedHosts = GatewayPolicy.Rule(limit, at: value.start.position)
                }
            default:
                break
            }
        }
        if !problems.isEmpty { throw DiagnosticList(problems) }
        return policy
    }

    static func isNull(_ node: YAMLNode) -> Bool {
        guard case .scalar(let value, .plain) = node.kind, node.tag == nil else { return false }
        return value.isEmpty || value == "~" || value == "null"
    }
}
