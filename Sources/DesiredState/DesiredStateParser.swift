import Diagnostics
import Networks
import Parallel
import YAMLEdit

/// Reads `exposure.yaml` into a `DesiredState`, reporting every problem of the file at once.
public enum DesiredStateParser {
    static let topLevelKeys = ["version", "domain", "trusted_proxies", "services", "external_ports"]
    static let serviceKeys = ["host", "upstream", "compose_service", "home_assistant",
                              "access", "basic_auth", "headers", "maintenance", "own_login"]

    public static func parse(_ bytes: [UInt8], file: String, limits: DesiredStateLimits = .default) throws(DiagnosticList) -> DesiredState {
        if bytes.count > limits.maxFileBytes {
            throw DiagnosticList([Diagnostic(file: file, position: nil,
                                             message: "file is \(bytes.count) bytes, over the limit of \(limits.maxFileBytes)",
                                             hint: "an exposure file is a few kilobytes: check that this is the right file")])
        }
        let document: YAMLDocument
        do {
            document = try YAMLDocument.parse(bytes, file: file)
        } catch {
            var problem = error
            problem.hint = problem.hint ?? "fix the YAML at that position; nothing is changed until the file reads"
            throw DiagnosticList([problem])
        }
        var reader = Reader(file: file, limits: limits)
        let state = reader.read(document)
        if !reader.problems.isEmpty { throw DiagnosticList(reader.problems) }
        return state!
    }
}

/// Walks the node tree once; every check appends to `problems` and carries on.
struct Reader {
    let file: String
    let limits: DesiredStateLimits
    var problems: [Diagnostic] = []

    init(file: String, limits: DesiredStateLimits) {
        self.file = file
        self.limits = limits
    }

    mutating func report(_ node: YAMLNode, _ message: String, hint: String? = nil) {
        problems.append(Diagnostic(file: file, position: node.start.position, message: message, hint: hint))
    }

    mutating func read(_ document: YAMLDocument) -> DesiredState? {
        guard document.documents.count <= 1 else {
            report(document.documents[1], "more than one YAML document", hint: "keep one document per file")
            return nil
        }
        guard let root = document.root, let pairs = root.pairs else {
            problems.append(Diagnostic(file: file, position: document.root?.start.position ?? SourcePosition(line: 1, column: 1),
                                       message: "expected a mapping with 'domain' and 'services'",
                                       hint: "see example-repo/exposure.yaml"))
            return nil
        }
        let fields = keyedFields(pairs, allowed: DesiredStateParser.topLevelKeys, context: "top level")
        if let version = fields["version"], version.scalarValue != "1" {
            report(version, "unsupported version '\(sanitized(version.scalarValue ?? version.kindDescription))'", hint: "this reconcile reads version 1")
        }
        let domain = fields["domain"].flatMap { readDomain($0) }
        if fields["domain"] == nil { report(root, "missing required key 'domain'", hint: "e.g. domain: example.com") }
        let trusted = fields["trusted_proxies"].flatMap { readTrustedProxies($0) }
        var services: [ServiceSpec] = []
        if let servicesNode = fields["services"] {
            services = readServices(servicesNode, domain: domain)
        } else {
            report(root, "missing required key 'services'", hint: "declare at least 'services: {}'")
        }
        let ports = fields["external_ports"].flatMap { readExternalPorts($0) }
        guard let domain else { return nil }
        var state = DesiredState(file: file, domain: domain, services: services, trustedProxies: trusted)
        if let ports { state.externalPorts = ports }
        return state
    }

    /// The values of a mapping by key; unknown or repeated keys are reported with a suggestion.
    /// `context` is only worded when a key is unknown (it is built per service otherwise: 1,000 per plan).
    mutating func keyedFields(_ pairs: [YAMLPair], allowed: [String], context: @autoclosure () -> String) -> KeyedFields {
        var fields = KeyedFields()
        for pair in pairs {
            guard let key = plainScalar(pair.key, what: "a key") else { continue }
            guard allowed.contains(key) else {
                let hint = Suggestion.nearest(to: key, in: allowed).map { "did you mean '\($0)'?" }
                    ?? "known keys: \(allowed.joined(separator: ", "))"
                report(pair.key, "unknown key '\(sanitized(key))' at \(context())", hint: hint)
                continue
            }
            if fields[key] != nil {
                report(pair.key, "duplicate key '\(sanitized(key))'", hint: "each key may appear once")
                continue
            }
            fields.add(key, pair.value)
        }
        return fields
    }

    /// A scalar without tags or anchors: the desired state is plain data.
    mutating func plainScalar(_ node: YAMLNode, what: String) -> String? {
        if case .alias(let name) = node.kind {
            report(node, "aliases (*\(sanitized(name))) are not allowed here", hint: "write the value out")
            return nil
        }
        guard let value = node.scalarValue else {
            report(node, "expected \(what), found \(node.kindDescription)")
            return nil
        }
        if let tag = node.tag, tag != "tag:yaml.org,2002:str" {
            report(node, "tags such as '\(sanitized(tag))' are not allowed in the desired state", hint: "write the plain value")
            return nil
        }
        return value
    }

    mutating func readDomain(_ node: YAMLNode) -> String? {
        guard let raw = plainScalar(node, what: "a domain name") else { return nil }
        let domain = raw.lowercased()
        if let bad = Names.firstHostileCharacter(in: raw) {
            report(node, "domain contains \(bad)", hint: "a domain is DNS labels separated by dots, e.g. example.com")
            return nil
        }
        guard Names.isHostName(domain, minLabels: 2) else {
            report(node, "'\(sanitized(raw))' is not a valid domain name",
                   hint: "labels of letters, digits and '-', 1-63 characters each, at least two labels, e.g. example.com")
            return nil
        }
        return domain
    }

    mutating func readTrustedProxies(_ node: YAMLNode) -> [String]? {
        if isNull(node) { return nil }
        guard let items = node.items else {
            report(node, "expected a list of IP addresses or networks, found \(node.kindDescription)",
                   hint: "e.g. trusted_proxies: [127.0.0.1, ::1, 172.16.0.0/12]")
            return nil
        }
        var result: [String] = []
        for item in items {
            guard let text = plainScalar(item, what: "an IP address or network") else { continue }
            let network: IPNetwork
            switch IPNetwork.parse(text) {
            case .success(let parsed): network = parsed
            case .failure(let error):
                report(item, "\(sanitizedError(error))", hint: "e.g. 172.16.0.0/12 or ::1")
                continue
            }
            if network.prefixLength == 0 {
                report(item, "'\(text)' would make Home Assistant trust every address on the internet",
                       hint: "anyone could then forge X-Forwarded-For; list only the networks your proxy connects from, e.g. 172.16.0.0/12")
                continue
            }
            // A proxy that Home Assistant should believe connects from the gateway itself or its LAN: any
            // network reaching beyond those (0.0.0.0/1 and 128.0.0.0/1 are the internet in two halves)
            // lets strangers forge X-Forwarded-For.
            if !LANRanges.contains(network) {
                report(item, "'\(text)' reaches beyond loopback and private networks: Home Assistant would trust X-Forwarded-For from addresses on the internet",
                       hint: "list only the networks your proxy connects from, inside \(LANRanges.networks.joined(separator: ", ")), e.g. 172.16.0.0/12")
                continue
            }
            result.append(text)
        }
        return result
    }

    mutating func readServices(_ node: YAMLNode, domain: String?) -> [ServiceSpec] {
        // `services:` with every entry commented out is a null: nothing exposed, as meant.
        if isNull(node) { return [] }
        guard let pairs = node.pairs else {
            report(node, "expected a mapping of service names to their settings, found \(node.kindDescription)",
                   hint: "write each service as `name:` with `host:` and `upstream:` below it (see example-repo/exposure.yaml)")
            return []
        }
        if pairs.count > limits.maxServices {
            report(node, "\(pairs.count) services declared, over the limit of \(limits.maxServices)",
                   hint: "one gateway does not publish this many; check the file, or split it into gateways/NAME.yaml files")
            return []
        }
        // Each service reads on its own, over the cores for a large file; what relates them (names, hosts,
        // Home Assistant) is checked after, in file order, so the problems are those one pass in order reports.
        let (file, limits) = (file, limits)
        let reads = Parallel.map(pairs) { pair in
            var reader = Reader(file: file, limits: limits)
            let name = reader.plainScalar(pair.key, what: "a service name")
            let nameProblems = reader.problems
            reader.problems = []
            let service = name.flatMap { reader.readService(name: $0, key: pair.key, value: pair.value, domain: domain) }
            return (name: name, nameProblems: nameProblems, service: service, serviceProblems: reader.problems)
        }
        var services: [ServiceSpec] = []
        var seenNames: [String: SourcePosition] = [:]
        var seenHosts: [String: (name: String, position: SourcePosition)] = [:]
        var homeAssistant: (name: String, position: SourcePosition)?
        for (pair, read) in zip(pairs, reads) {
            problems += read.nameProblems
            guard let name = read.name else { continue }
            if let first = seenNames[name] {
                report(pair.key, "service '\(sanitized(name))' is declared twice", hint: "first declared at line \(first.line)")
                continue
            }
            seenNames[name] = pair.key.start.position
            problems += read.serviceProblems
            guard let service = read.service else { continue }
            if let other = seenHosts[service.fqdn] {
                report(pair.key, "services '\(other.name)' and '\(name)' both claim the host \(service.fqdn)",
                       hint: "'\(other.name)' is at line \(other.position.line); give each service its own host")
                continue
            }
            seenHosts[service.fqdn] = (name, service.position)
            if service.isHomeAssistant {
                if let first = homeAssistant {
                    report(pair.key, "more than one service is marked home_assistant: true",
                           hint: "'\(first.name)' at line \(first.position.line) already is; one gateway runs one Home Assistant")
                    continue
                }
                homeAssistant = (name, service.position)
            }
            services.append(service)
        }
        return services
    }

    mutating func readService(name: String, key: YAMLNode, value: YAMLNode, domain: String?) -> ServiceSpec? {
        var valid = true
        if let bad = Names.firstHostileCharacter(in: name) {
            report(key, "service name '\(sanitized(name))' contains \(bad)",
                   hint: "use lower-case letters, digits, '-' and '_', e.g. jellyfin")
            valid = false
        } else if !Names.isServiceName(name) {
            report(key, "service name '\(sanitized(name))' is not valid",
                   hint: "start with a lower-case letter or digit; then letters, digits, '-' or '_'; at most 63 characters")
            valid = false
        }
        guard let pairs = value.pairs else {
            report(value, "service '\(sanitized(name))': expected a mapping with 'host' and 'upstream', found \(value.kindDescription)")
            return nil
        }
        let fields = keyedFields(pairs, allowed: DesiredStateParser.serviceKeys, context: "service '\(Reader.sanitized(name))'")
        var fqdn: String?
        var host: String?
        if let hostNode = fields["host"] {
            host = plainScalar(hostNode, what: "a host")
            if let written = host, let domain { fqdn = readHost(written, node: hostNode, domain: domain) }
        } else {
            report(key, "service '\(sanitized(name))' is missing 'host'", hint: "'@' for the domain itself, or a label such as '\(name)'")
        }
        var upstream: Upstream?
        if let upstreamNode = fields["upstream"] {
            upstream = readUpstream(upstreamNode)
        } else {
            report(key, "service '\(sanitized(name))' is missing 'upstream'", hint: "host:port, e.g. host.docker.internal:8096")
        }
        var composeService: String?
        if let node = fields["compose_service"], let text = plainScalar(node, what: "a compose service name") {
            if Names.isComposeServiceName(text) {
                composeService = text
            } else {
                report(node, "'\(sanitized(text))' is not a valid compose service name",
                       hint: Names.firstHostileCharacter(in: text).map { "it contains \($0)" } ?? "letters, digits, '_', '.', '-'")
                valid = false
            }
        }
        var isHomeAssistant = false
        if let node = fields["home_assistant"], let text = plainScalar(node, what: "true or false") {
            switch text {
            case "true": isHomeAssistant = true
            case "false": isHomeAssistant = false
            default:
                report(node, "home_assistant must be true or false, not '\(sanitized(text))'", hint: "write home_assistant: true, or leave the key out")
                valid = false
            }
        }
        // A valid name is printable already (sanitizing it costs a string per service: 1,000 per plan).
        let exposure = readExposure(fields, service: valid ? name : sanitized(name))
        guard valid, let host, let fqdn, let upstream, let exposure else { return nil }
        var spec = ServiceSpec(name: name, host: host, fqdn: fqdn, upstream: upstream, composeService: composeService,
                               isHomeAssistant: isHomeAssistant, position: key.start.position)
        spec.exposure = exposure
        return spec
    }

    /// `@`, one label, or a full name under the domain.
    mutating func readHost(_ written: String, node: YAMLNode, domain: String) -> String? {
        if written == "@" { return domain }
        if let bad = Names.firstHostileCharacter(in: written) {
            report(node, "host contains \(bad)", hint: "'@' for \(domain), or a label such as 'jellyfin'")
            return nil
        }
        let host = written.lowercased()
        if host.contains(".") {
            guard host.hasSuffix("." + domain), Names.isHostName(host) else {
                report(node, "host '\(sanitized(written))' is not under the domain \(domain)",
                       hint: "write a label such as '\(host.split(separator: ".").first ?? "app")' or a name ending in '.\(domain)'")
                return nil
            }
            return host
        }
        guard Names.isDNSLabel(Substring(host)) else {
            report(node, "host '\(sanitized(written))' is not a valid DNS label",
                   hint: "letters, digits and '-', 1-63 characters, not starting or ending with '-'")
            return nil
        }
        return host + "." + domain
    }

    /// `host:port`, `[v6]:port`; the port in 1-65535.
    mutating func readUpstream(_ node: YAMLNode) -> Upstream? {
        guard let text = plainScalar(node, what: "host:port") else { return nil }
        let example = "host:port, e.g. host.docker.internal:8096"
        if let bad = Names.firstHostileCharacter(in: text) {
            report(node, "upstream contains \(bad)", hint: example)
            return nil
        }
        var host: String
        var portText: Substring
        if text.hasPrefix("[") {
            guard let close = text.firstIndex(of: "]"), text[text.index(after: close)...].hasPrefix(":") else {
                report(node, "upstream '\(sanitized(text))' is not [IPv6]:port", hint: "e.g. [::1]:8096")
                return nil
            }
            host = String(text[text.index(after: text.startIndex)..<close])
            portText = text[text.index(close, offsetBy: 2)...]
            guard !host.contains("/"), let network = try? IPNetwork.parse(host).get(), !network.isIPv4 else {
                report(node, "'\(sanitized(host))' is not an IPv6 address")
                return nil
            }
            host = "[\(host)]"
        } else {
            // ASCII here (firstHostileCharacter refused the rest): bytes are characters.
            guard let colon = text.utf8.lastIndex(of: UInt8(ascii: ":")) else {
                report(node, "upstream '\(sanitized(text))' has no port", hint: example)
                return nil
            }
            host = String(text[..<colon])
            portText = text[text.utf8.index(after: colon)...]
            if host.utf8.contains(UInt8(ascii: "/")) {
                report(node, "upstream '\(sanitized(text))' should be host:port without a scheme or path", hint: example)
                return nil
            }
            // A host name needs no address parse (1,000 upstreams per plan): test that first.
            let isIPv4 = { (try? IPNetwork.parse(host).get())?.isIPv4 ?? false }
            if !(Names.isHostName(host.lowercased(), allowUnderscore: true) || isIPv4()) {
                report(node, "upstream host '\(sanitized(host))' is not a host name or IPv4 address", hint: example)
                return nil
            }
        }
        guard !portText.isEmpty, portText.utf8.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }),
              let port = Int(portText), (1...65535).contains(port) else {
            report(node, "upstream port '\(sanitized(String(portText)))' is not a number from 1 to 65535", hint: example)
            return nil
        }
        return Upstream(host: host, port: port)
    }

    func isNull(_ node: YAMLNode) -> Bool {
        guard case .scalar(let value, .plain) = node.kind, node.tag == nil else { return false }
        return value.isEmpty || value == "~" || value == "null"
    }

    func sanitizedError(_ error: IPNetworkError) -> String {
        sanitized(error.description)
    }

    /// Values echoed in messages must not carry the newlines or control characters that made them invalid.
    func sanitized(_ text: String) -> String { Reader.sanitized(text) }

    static func sanitized(_ text: String) -> String {
        var out = ""
        for scalar in text.unicodeScalars.prefix(80) {
            switch scalar {
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default: out.unicodeScalars.append(scalar.value < 0x20 || scalar.value == 0x7F ? "?" : scalar)
            }
        }
        return text.unicodeScalars.count > 80 ? out + "…" : out
    }
}
