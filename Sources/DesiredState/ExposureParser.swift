import Caddyfile
import Diagnostics
import Networks
import YAMLEdit

/// The per-service exposure fields and `external_ports:`. Values are allow-listed: nothing read here can
/// add a token, a brace or a placeholder to the Caddyfile.
extension Reader {
    /// nil when any field is wrong (each problem is reported).
    mutating func readExposure(_ fields: KeyedFields, service: String) -> ServiceExposure? {
        var exposure = ServiceExposure()
        var valid = true
        if let node = fields["access"] {
            if let access = readAccess(node, service: service) {
                exposure.access = access
                exposure.accessPosition = node.start.position
            } else { valid = false }
        }
        if let node = fields["basic_auth"] {
            if let users = readBasicAuth(node, service: service) { exposure.basicAuth = users } else { valid = false }
        }
        if let node = fields["headers"] {
            if let headers = readHeaders(node) { exposure.headers = headers } else { valid = false }
        }
        if let node = fields["maintenance"] {
            if let flag = readFlag(node, key: "maintenance") { exposure.maintenance = flag } else { valid = false }
        }
        if let node = fields["own_login"] {
            if let flag = readFlag(node, key: "own_login") { exposure.ownLogin = flag } else { valid = false }
        }
        return valid ? exposure : nil
    }

    mutating func readFlag(_ node: YAMLNode, key: String) -> Bool? {
        guard let text = plainScalar(node, what: "true or false") else { return nil }
        switch text {
        case "true": return true
        case "false": return false
        default:
            report(node, "\(key) must be true or false, not '\(sanitized(text))'")
            return nil
        }
    }

    /// `public`, `lan`, or a list of networks.
    mutating func readAccess(_ node: YAMLNode, service: String) -> ServiceExposure.Access? {
        let example = "access: public, access: lan, or a list such as access: [192.168.1.0/24, 203.0.113.7]"
        if let text = node.scalarValue, node.items == nil {
            guard let word = plainScalar(node, what: "public, lan or a list of networks") else { return nil }
            switch word {
            case "public": return .public
            case "lan": return .lan
            default:
                // A single network written without brackets is a common slip: say so.
                let hint = (try? IPNetwork.parse(text).get()) != nil ? "write a list: access: [\(sanitized(text))]" : example
                report(node, "service '\(service)': access must be public, lan or a list of networks, not '\(sanitized(word))'", hint: hint)
                return nil
            }
        }
        guard let items = node.items else {
            report(node, "service '\(service)': expected public, lan or a list of networks, found \(node.kindDescription)", hint: example)
            return nil
        }
        guard !items.isEmpty else {
            report(node, "service '\(service)': an empty access list would refuse everyone", hint: "use maintenance: true to close a service, or remove it")
            return nil
        }
        var networks: [String] = []
        var valid = true
        for item in items {
            guard let text = plainScalar(item, what: "an IP address or network") else { valid = false; continue }
            switch IPNetwork.parse(text) {
            case .failure(let error):
                report(item, sanitizedError(error), hint: "e.g. 192.168.1.0/24, 203.0.113.7 or 2001:db8::/32")
                valid = false
            case .success(let network):
                if network.prefixLength == 0 {
                    report(item, "'\(text)' is every address: that is access: public", hint: "write access: public if that is what you mean")
                    valid = false
                } else if !networks.contains(network.description) {
                    networks.append(network.description)
                }
            }
        }
        return valid ? .networks(networks) : nil
    }

    /// `basic_auth: {user: bcrypt-hash, …}`; a plaintext password is refused without echoing it.
    mutating func readBasicAuth(_ node: YAMLNode, service: String) -> [BasicAuthUser]? {
        guard let pairs = node.pairs, !pairs.isEmpty else {
            report(node, "service '\(service)': basic_auth expects a mapping of user names to bcrypt hashes, found \(node.kindDescription)",
                   hint: "e.g. basic_auth: {alice: \"$2a$14$…\"}; make a hash with: caddy hash-password")
            return nil
        }
        var users: [BasicAuthUser] = []
        var valid = true
        for pair in pairs {
            guard let user = plainScalar(pair.key, what: "a user name") else { valid = false; continue }
            guard BasicAuthRules.isUserName(user) else {
                report(pair.key, "basic_auth user '\(sanitized(user))' is not valid",
                       hint: "1-64 letters, digits, '.', '_', '@' or '-'")
                valid = false
                continue
            }
            if let word = CaddyReservedWords.reserved(user, in: CaddyReservedWords.basicAuthBlock) {
                report(pair.key, "basic_auth user '\(user)' cannot be written in a Caddyfile: Caddy reads '\(word)' at the start of a line as its own keyword",
                       hint: "choose another user name")
                valid = false
                continue
            }
            if users.contains(where: { $0.user == user }) {
                report(pair.key, "basic_auth user '\(user)' is listed twice")
                valid = false
                continue
            }
            guard let hash = plainScalar(pair.value, what: "a bcrypt hash") else { valid = false; continue }
            guard BasicAuthRules.isBcryptHash(hash) else {
                // Never echo the value: it may be the password itself.
                report(pair.value, "basic_auth for '\(user)' is not a bcrypt hash; plaintext passwords are not accepted in the repo",
                       hint: "run `caddy hash-password` (it prompts for the password) and paste the $2a$… line it prints, in quotes")
                valid = false
                continue
            }
            users.append(BasicAuthUser(user: user, hash: hash))
        }
        return valid ? users : nil
    }

    /// `headers: {Name: value, Other: null}`.
    mutating func readHeaders(_ node: YAMLNode) -> [HeaderOverride]? {
        guard let pairs = node.pairs else {
            report(node, "headers expects a mapping of header names to values (null drops a default), found \(node.kindDescription)",
                   hint: "e.g. headers: {Strict-Transport-Security: \"max-age=31536000\", X-Frame-Options: SAMEORIGIN}")
            return nil
        }
        var headers: [HeaderOverride] = []
        var valid = true
        for pair in pairs {
            guard let name = plainScalar(pair.key, what: "a header name") else { valid = false; continue }
            guard HeaderRules.isName(name) else {
                report(pair.key, "'\(sanitized(name))' is not a header name", hint: "letters, digits and '-', e.g. X-Frame-Options")
                valid = false
                continue
            }
            if let word = CaddyReservedWords.reserved(name, in: CaddyReservedWords.headerBlock) {
                report(pair.key, "'\(name)' cannot be a header name: Caddy's header directive reads '\(word)' as its own subdirective, not as a header",
                       hint: "headers named \(CaddyReservedWords.headerBlock.joined(separator: ", ")) cannot be set through reconcile")
                valid = false
                continue
            }
            if headers.contains(where: { $0.name.lowercased() == name.lowercased() }) {
                report(pair.key, "header '\(name)' is set twice")
                valid = false
                continue
            }
            if isNull(pair.value) {
                headers.append(HeaderOverride(name: name, value: nil))
                continue
            }
            guard let value = plainScalar(pair.value, what: "a header value") else { valid = false; continue }
            guard HeaderRules.isValue(value) else {
                report(pair.value, "the value of header '\(name)' holds a character that is not allowed",
                       hint: "printable ASCII without quotes, backslashes, backticks or braces; at most 1024 characters")
                valid = false
                continue
            }
            headers.append(HeaderOverride(name: name, value: value))
        }
        return valid ? headers : nil
    }

    /// `external_ports: {https: 8443, http: none}`.
    mutating func readExternalPorts(_ node: YAMLNode) -> ExternalPorts? {
        let example = "e.g. external_ports: {https: 443, http: 80}, or http: none when port 80 is not forwarded"
        guard let pairs = node.pairs else {
            report(node, "external_ports expects a mapping with 'https' and 'http', found \(node.kindDescription)", hint: example)
            return nil
        }
        let fields = keyedFields(pairs, allowed: ["https", "http"], context: "external_ports")
        var ports = ExternalPorts(position: node.start.position)
        var valid = true
        func port(_ field: YAMLNode, allowNone: Bool) -> (value: Int?, ok: Bool) {
            if allowNone, isNull(field) || field.scalarValue == "none" { return (nil, true) }
            guard let text = plainScalar(field, what: "a port number"), let number = Int(text), (1...65535).contains(number) else {
                report(field, "expected a port number from 1 to 65535\(allowNone ? " or none" : "")", hint: example)
                return (nil, false)
            }
            return (number, true)
        }
        if let field = fields["https"] {
            let (value, ok) = port(field, allowNone: false)
            if let value { ports.https = value }
            valid = valid && ok
        }
        if let field = fields["http"] {
            let (value, ok) = port(field, allowNone: true)
            ports.http = value
            valid = valid && ok
        }
        return valid ? ports : nil
    }
}

public enum BasicAuthRules {
    static func isUserName(_ user: String) -> Bool {
        (1...64).contains(user.utf8.count) && user.utf8.allSatisfy {
            Names.isAlnum($0) || $0 == UInt8(ascii: ".") || $0 == UInt8(ascii: "_") || $0 == UInt8(ascii: "@") || $0 == UInt8(ascii: "-")
        }
    }

    /// `$2a$NN$` + 53 characters of bcrypt's base64 alphabet, as `caddy hash-password` prints it.
    public static func isBcryptHash(_ text: String) -> Bool {
        let bytes = Array(text.utf8)
        guard bytes.count == 60, bytes[0] == UInt8(ascii: "$"), bytes[1] == UInt8(ascii: "2"),
              [UInt8(ascii: "a"), UInt8(ascii: "b"), UInt8(ascii: "y")].contains(bytes[2]), bytes[3] == UInt8(ascii: "$"),
              bytes[6] == UInt8(ascii: "$"), let cost = Int(String(decoding: bytes[4..<6], as: UTF8.self)), (4...31).contains(cost)
        else { return false }
        return bytes[7...].allSatisfy { Names.isAlnum($0) || $0 == UInt8(ascii: ".") || $0 == UInt8(ascii: "/") }
    }
}

enum HeaderRules {
    /// A subset of RFC 9110's token characters: letters, digits and '-' (no leading '-', which Caddy reads
    /// as "delete"; '+', '?' and '>' are its other operations and are not allowed at all).
    static func isName(_ name: String) -> Bool {
        (1...64).contains(name.utf8.count) && name.utf8.first != UInt8(ascii: "-")
            && name.utf8.allSatisfy { Names.isAlnum($0) || $0 == UInt8(ascii: "-") }
    }

    /// Printable ASCII; no quotes, backslash, backtick or braces (no Caddy placeholders from the repo).
    static func isValue(_ value: String) -> Bool {
        (1...1024).contains(value.utf8.count) && value.utf8.allSatisfy { byte in
            (0x20...0x7E).contains(byte) && !"\"'`\\{}".utf8.contains(byte)
        } && value.first != " " && value.last != " "
    }
}
