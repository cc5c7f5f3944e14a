import Foundation
import TestSupport

/// The corpus: generic hostile YAML for the three YAML files, then what is peculiar to each file.
extension BadInputCorpusTests {
    static func original(_ target: Target) -> [UInt8] {
        let relative: String
        switch target {
        case .desired: relative = "example-repo/exposure.yaml"
        case .caddyfile: relative = "example-gateway/usr/local/caddy/Caddyfile"
        case .configuration: relative = "example-gateway/usr/local/homeassistant/configuration.yaml"
        case .storage: relative = "Tests/HomeAssistantTests/Fixtures/storage-http.json"
        case .compose: relative = "example-gateway/home/root/mapio/docker-compose.yml"
        }
        return Array(try! Data(contentsOf: packageRoot.appendingPathComponent(relative)))
    }

    static func text(_ target: Target) -> String { String(decoding: original(target), as: UTF8.self) }

    static func bytes(_ text: String) -> [UInt8] { Array(text.utf8) }

    /// `count` bytes of comment lines after the original: a file far over every bound.
    static func padded(_ target: Target, to count: Int, comment: String = "#") -> [UInt8] {
        var out = original(target)
        let line = Array((comment + String(repeating: "x", count: 1022) + "\n").utf8)
        out.reserveCapacity(count + line.count)
        while out.count < count { out += line }
        return out
    }

    static func nestedFlow(_ depth: Int, open: String = "[", close: String = "]") -> String {
        String(repeating: open, count: depth) + String(repeating: close, count: depth)
    }

    /// Nine levels of nine aliases: a billion "lol"s if anything expanded them.
    static let billionLaughs: String = {
        var text = "x-lol0: &l0 [\"lol\", \"lol\", \"lol\", \"lol\", \"lol\", \"lol\", \"lol\", \"lol\", \"lol\"]\n"
        for level in 1...9 {
            let refs = Array(repeating: "*l\(level - 1)", count: 9).joined(separator: ", ")
            text += "x-lol\(level): &l\(level) [\(refs)]\n"
        }
        return text
    }()

    static let aliasFlood: String = "x-base: &b 1\nx-many: [" + Array(repeating: "*b", count: 2_000).joined(separator: ", ") + "]\n"

    static func yamlCases(_ target: Target) -> [Case] {
        let t = target.rawValue
        let original = text(target)
        let lines = original.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        // The first indented line, to indent it with a tab instead.
        let indented = lines.firstIndex { $0.hasPrefix("  ") && !$0.trimmingCharacters(in: .whitespaces).hasPrefix("#") }!
        var tabbed = lines
        tabbed[indented] = "\t" + tabbed[indented].drop { $0 == " " }
        let lineCount = lines.count - (original.hasSuffix("\n") ? 1 : 0)
        return [
            Case(name: "\(t): invalid UTF-8 lead byte", target: target,
                 content: { bytes(original) + [0x78, 0x3A, 0x20, 0xFF, 0x0A] }, position: .at(lineCount + 1, 4), mentions: "UTF-8"),
            Case(name: "\(t): invalid UTF-8 overlong slash", target: target,
                 content: { bytes(original) + [0x78, 0x3A, 0x20, 0xC0, 0xAF, 0x0A] }, mentions: "UTF-8"),
            Case(name: "\(t): truncated UTF-8 sequence", target: target,
                 content: { bytes(original) + [0x78, 0x3A, 0x20, 0x63, 0x61, 0x66, 0xC3] }, mentions: "UTF-8"),
            Case(name: "\(t): UTF-16 little-endian", target: target,
                 content: { [0xFF, 0xFE] + original.utf16.flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] } }, position: .at(1, 1), mentions: "UTF-16"),
            Case(name: "\(t): UTF-16 big-endian", target: target,
                 content: { [0xFE, 0xFF] + original.utf16.flatMap { [UInt8($0 >> 8), UInt8($0 & 0xFF)] } }, position: .at(1, 1), mentions: "UTF-16"),
            Case(name: "\(t): tab indentation", target: target,
                 content: { bytes(tabbed.joined(separator: "\n")) }, position: .some, mentions: "tab"),
            Case(name: "\(t): NUL byte", target: target,
                 content: { bytes(original) + bytes("x-nul: a") + [0] + bytes("b\n") }, mentions: "control"),
            Case(name: "\(t): 10,000-level flow sequence nesting", target: target,
                 content: { bytes(original + "x-deep: " + nestedFlow(10_000) + "\n") }, position: .some, mentions: "nesting deeper"),
            Case(name: "\(t): 10,000-level flow mapping nesting", target: target,
                 content: { bytes(original + "x-deep: " + nestedFlow(10_000, open: "{a: ", close: "}") + "\n") }, position: .some, mentions: "nesting deeper"),
            Case(name: "\(t): 100 MB", target: target, content: { padded(target, to: 100 << 20) }, position: .wholeFile, mentions: "over the limit"),
            Case(name: "\(t): 10 MB, under the read bound", target: target, content: { padded(target, to: 10 << 20) }, position: .wholeFile, mentions: "over the limit"),
            Case(name: "\(t): 2,000 aliases", target: target, content: { bytes(original + aliasFlood) }, position: .some, mentions: "aliases"),
            Case(name: "\(t): unclosed double quote", target: target,
                 content: { bytes(original + "x-cut: \"never closed\n") }, position: .some, mentions: "quoted scalar"),
            Case(name: "\(t): unclosed flow sequence", target: target,
                 content: { bytes(original + "x-cut: [a, b\n") }, position: .some, mentions: "flow"),
            Case(name: "\(t): indentation that breaks the mapping", target: target,
                 content: { bytes(original + "x-a: 1\n   x-b: 2\n") }, position: .some, mentions: "invalid YAML"),
        ]
    }

    static func cases() -> [Case] {
        yamlCases(.desired) + yamlCases(.configuration) + yamlCases(.compose)
            + desiredCases() + caddyfileCases() + configurationCases() + storageCases() + composeCases()
            + fileSystemCases()
    }

    static func desiredCases() -> [Case] {
        let d = Target.desired
        let head = "version: 1\ndomain: mondomaine.ddnsfree.com\nservices:\n"
        func service(_ body: String) -> () -> [UInt8] { { bytes(head + body) } }
        return [
            Case(name: "desired: empty file", target: d, content: { [] }, position: .at(1, 1), mentions: "expected a mapping"),
            Case(name: "desired: truncated in a key", target: d, content: { Array(original(d).prefix(while: { $0 != UInt8(ascii: "@") })) },
                 position: .some, mentions: "quoted scalar"),
            Case(name: "desired: duplicate key", target: d, content: { bytes(text(d) + "domain: other.example.org\n") }, position: .some, mentions: "domain"),
            Case(name: "desired: duplicate service", target: d,
                 content: service("  a:\n    host: a\n    upstream: 127.0.0.1:1\n  a:\n    host: b\n    upstream: 127.0.0.1:2\n"), position: .at(7, 3), mentions: "'a'"),
            Case(name: "desired: version 2", target: d, content: { bytes(text(d).replacingOccurrences(of: "version: 1", with: "version: 2")) },
                 position: .at(6, 10), mentions: "version"),
            Case(name: "desired: no domain", target: d, content: { bytes("version: 1\nservices:\n") }, position: .some, mentions: "domain"),
            Case(name: "desired: unknown top-level key", target: d, content: { bytes(text(d) + "servises: {}\n") }, position: .some, mentions: "servises"),
            Case(name: "desired: unknown service key", target: d, content: service("  a:\n    host: a\n    upstrem: 127.0.0.1:1\n"), position: .at(6, 5), mentions: "upstrem"),
            Case(name: "desired: services as a list", target: d, content: service("  - a\n"), position: .some, mentions: "mapping of service names"),
            Case(name: "desired: a list at the top", target: d, content: { bytes("- version: 1\n") }, position: .some, mentions: "mapping"),
            Case(name: "desired: two documents", target: d, content: { bytes(text(d) + "---\nversion: 1\n") }, position: .some, mentions: "document"),
            Case(name: "desired: host injects a Caddy block", target: d,
                 content: service("  a:\n    host: \"a {\\n respond 200\\n}\"\n    upstream: 127.0.0.1:1\n"), position: .some, mentions: "host"),
            Case(name: "desired: host with a space", target: d, content: service("  a:\n    host: \"a b\"\n    upstream: 127.0.0.1:1\n"), position: .some, mentions: "host"),
            Case(name: "desired: upstream injects a directive", target: d,
                 content: service("  a:\n    host: a\n    upstream: \"127.0.0.1:1\\nimport /etc/passwd\"\n"), position: .some, mentions: "upstream"),
            // Issue #23 (high): words Caddy reads as its own at the start of a line inside header { } and basic_auth { }.
            Case(name: "desired: header named import reads a file", target: d,
                 content: service("  a:\n    host: a\n    upstream: 127.0.0.1:1\n    headers:\n      import: /data/caddy/secret\n"), position: .at(8, 7), mentions: "header name"),
            Case(name: "desired: header named defer deletes HSTS", target: d,
                 content: service("  a:\n    host: a\n    upstream: 127.0.0.1:1\n    headers:\n      defer: -Strict-Transport-Security\n"), position: .at(8, 7), mentions: "header name"),
            Case(name: "desired: header named match breaks the config", target: d,
                 content: service("  a:\n    host: a\n    upstream: 127.0.0.1:1\n    headers:\n      match: status 500\n"), position: .at(8, 7), mentions: "header name"),
            Case(name: "desired: basic_auth user named import", target: d,
                 content: service("  a:\n    host: a\n    upstream: 127.0.0.1:1\n    basic_auth:\n      import: \"$2a$14$2ZTXvhIT42MeaQLN0yo1xuI8ShVC52L8XXlba4vl6DOhcU1fPi2gG\"\n"), position: .at(8, 7), mentions: "basic_auth user"),
            Case(name: "desired: upstream opens a block", target: d, content: service("  a:\n    host: a\n    upstream: \"127.0.0.1:1 {\"\n"), position: .some, mentions: "upstream"),
            Case(name: "desired: upstream closes the site", target: d, content: service("  a:\n    host: a\n    upstream: \"127.0.0.1:1 }\"\n"), position: .some, mentions: "upstream"),
            Case(name: "desired: upstream with a placeholder", target: d, content: service("  a:\n    host: a\n    upstream: \"{env.SECRET}:80\"\n"), position: .some, mentions: "upstream"),
            Case(name: "desired: upstream port out of range", target: d, content: service("  a:\n    host: a\n    upstream: 127.0.0.1:99999\n"), position: .some, mentions: "port"),
            Case(name: "desired: upstream scheme ftp", target: d, content: service("  a:\n    host: a\n    upstream: ftp://127.0.0.1:21\n"), position: .some, mentions: "upstream"),
            Case(name: "desired: service name injects a marker", target: d,
                 content: service("  \"a\\n# managed by reconcile: b\":\n    host: a\n    upstream: 127.0.0.1:1\n"), position: .some, mentions: "name"),
            Case(name: "desired: compose_service injects a YAML key", target: d,
                 content: service("  a:\n    host: a\n    upstream: 127.0.0.1:1\n    compose_service: \"a\\n    privileged: true\"\n"), position: .some, mentions: "compose service name"),
            Case(name: "desired: trusted proxies the whole internet", target: d, content: { bytes(text(d) + "trusted_proxies: [0.0.0.0/0]\n") }, position: .some, mentions: "0.0.0.0/0"),
            Case(name: "desired: trusted proxy not an address", target: d, content: { bytes(text(d) + "trusted_proxies: [\"127.0.0.1\\n  use_x_forwarded_for: false\"]\n") }, position: .some, mentions: "not an IPv4"),
            Case(name: "desired: two Home Assistants", target: d,
                 content: service("  a:\n    host: a\n    upstream: 127.0.0.1:1\n    home_assistant: true\n  b:\n    host: b\n    upstream: 127.0.0.1:2\n    home_assistant: true\n"), position: .some, mentions: "home_assistant"),
            Case(name: "desired: home_assistant not a boolean", target: d, content: service("  a:\n    host: a\n    upstream: 127.0.0.1:1\n    home_assistant: \"yes\"\n"), position: .some, mentions: "home_assistant"),
            Case(name: "desired: two services one host", target: d,
                 content: service("  a:\n    host: a\n    upstream: 127.0.0.1:1\n  b:\n    host: a\n    upstream: 127.0.0.1:2\n"), position: .some, mentions: "host"),
            Case(name: "desired: a label longer than DNS allows", target: d, content: service("  a:\n    host: \(String(repeating: "a", count: 64))\n    upstream: 127.0.0.1:1\n"), position: .some, mentions: "host"),
            Case(name: "desired: binary tag", target: d, content: service("  a:\n    host: !!binary YQ==\n    upstream: 127.0.0.1:1\n"), position: .some, mentions: "tag"),
            Case(name: "desired: service is an alias", target: d,
                 content: { bytes("version: 1\ndomain: mondomaine.ddnsfree.com\nx: &s {host: a, upstream: 127.0.0.1:1}\nservices:\n  a: *s\n") }, position: .some, mentions: "alias"),
            Case(name: "desired: 5,001 services", target: d, content: {
                var text = head
                for i in 0...5_000 { text += "  s\(i):\n    host: s\(i)\n    upstream: 127.0.0.1:\(1000 + i % 60000)\n" }
                return bytes(text)
            }, position: .some, mentions: "5000"),
            Case(name: "desired: 5 MB, over its own bound", target: d, content: { padded(d, to: 5 << 20) }, position: .wholeFile, mentions: "over the limit"),
            Case(name: "desired: CRLF line endings", target: d, content: { bytes(text(d).replacingOccurrences(of: "\n", with: "\r\n")) }, mentions: "", accepted: true),
            Case(name: "desired: UTF-8 byte-order mark", target: d, content: { [0xEF, 0xBB, 0xBF] + original(d) }, mentions: "", accepted: true),
        ]
    }

    static func caddyfileCases() -> [Case] {
        let c = Target.caddyfile
        let original = text(c)
        return [
            Case(name: "Caddyfile: truncated before the last brace", target: c,
                 content: { bytes(String(original[..<original.range(of: "}", options: .backwards)!.lowerBound])) }, position: .some, mentions: "never closed"),
            Case(name: "Caddyfile: an extra closing brace", target: c, content: { bytes(original + "}\n") }, position: .some, mentions: "}"),
            Case(name: "Caddyfile: unclosed quote", target: c, content: { bytes(original + "x.example.org {\n\trespond \"never closed\n}\n") }, position: .some, mentions: "quote"),
            Case(name: "Caddyfile: unclosed backtick", target: c, content: { bytes(original + "x.example.org {\n\trespond `never closed\n}\n") }, position: .some, mentions: "`"),
            // Caddy reads bytes: invalid UTF-8 or a NUL in a hand-written site is the user's, and is kept as it is.
            Case(name: "Caddyfile: invalid UTF-8, kept", target: c, content: { bytes(original) + bytes("x.example.org {\n\trespond caf") + [0xC3, 0x28] + bytes("\n}\n") }, mentions: "", accepted: true),
            Case(name: "Caddyfile: UTF-16", target: c, content: { [0xFF, 0xFE] + original.utf16.flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] } }, position: .some, mentions: "UTF-16"),
            Case(name: "Caddyfile: NUL byte, kept", target: c, content: { bytes(original + "x.example.org {\n\trespond a") + [0] + bytes("b\n}\n") }, mentions: "", accepted: true),
            Case(name: "Caddyfile: 10,000-level nesting", target: c, content: {
                bytes(original + "x.example.org {\n" + String(repeating: "route {\n", count: 10_000) + String(repeating: "}\n", count: 10_001))
            }, position: .some, mentions: "nested deeper than 64"),
            Case(name: "Caddyfile: 100 MB", target: c, content: { padded(c, to: 100 << 20) }, position: .wholeFile, mentions: "over the limit"),
            Case(name: "Caddyfile: a hand-written site for a declared host", target: c,
                 content: { bytes(original + "jellyfin.mondomaine.ddnsfree.com {\n\trespond 403\n}\n") }, position: .some, mentions: "hand-written"),
            Case(name: "Caddyfile: one site without braces", target: c, content: { bytes("example.org\nrespond 200\n") }, position: .some, mentions: "braces"),
            Case(name: "Caddyfile: a forged marker claims a hand-written site", target: c,
                 content: { bytes(original + "# managed by reconcile: jellyfin checksum=0000\njellyfin.mondomaine.ddnsfree.com {\n\treverse_proxy evil:80\n}\ncloud.mondomaine.ddnsfree.com {\n\trespond 1\n}\n") }, position: .some, mentions: "hand-written"),
            Case(name: "Caddyfile: CRLF line endings", target: c, content: { bytes(original.replacingOccurrences(of: "\n", with: "\r\n")) }, mentions: "", accepted: true),
        ]
    }

    static func configurationCases() -> [Case] {
        let h = Target.configuration
        let original = text(h)
        return [
            Case(name: "configuration.yaml: http is an include", target: h, content: { bytes(original + "http: !include http.yaml\n") }, position: .some, mentions: "include"),
            Case(name: "configuration.yaml: http is an alias", target: h, content: { bytes(original + "x-http: &h {server_port: 8123}\nhttp: *h\n") }, position: .some, mentions: "alias"),
            Case(name: "configuration.yaml: use_x_forwarded_for is a secret", target: h, content: { bytes(original + "http:\n  use_x_forwarded_for: !secret xff\n") }, position: .some, mentions: "secret"),
            Case(name: "configuration.yaml: trusted_proxies is a secret", target: h, content: { bytes(original + "http:\n  trusted_proxies: !secret proxies\n") }, position: .some, mentions: "secret"),
            Case(name: "configuration.yaml: http is a number", target: h, content: { bytes(original + "http: 5\n") }, position: .some, mentions: "http"),
            Case(name: "configuration.yaml: http twice", target: h, content: { bytes(original + "http:\n  server_port: 1\nhttp:\n  server_port: 2\n") }, position: .some, mentions: "http"),
            Case(name: "configuration.yaml: use_x_forwarded_for twice", target: h,
                 content: { bytes(original + "http:\n  use_x_forwarded_for: false\n  use_x_forwarded_for: false\n") }, position: .some, mentions: "use_x_forwarded_for"),
            // Home Assistant reads a scalar as a one-item list; reconcile does the same and keeps the entry.
            Case(name: "configuration.yaml: trusted_proxies a scalar, kept", target: h, content: { bytes(original + "http:\n  trusted_proxies: 10.0.0.1\n") }, mentions: "", accepted: true),
            Case(name: "configuration.yaml: billion laughs, never expanded", target: h, content: { bytes(original + billionLaughs) }, mentions: "", accepted: true),
            Case(name: "configuration.yaml: CRLF line endings", target: h, content: { bytes(original.replacingOccurrences(of: "\n", with: "\r\n")) }, mentions: "", accepted: true),
            Case(name: "configuration.yaml: UTF-8 byte-order mark", target: h, content: { [0xEF, 0xBB, 0xBF] + bytes(original) }, mentions: "", accepted: true),
        ]
    }

    static func storageCases() -> [Case] {
        let s = Target.storage
        let original = text(s)
        func replacing(_ old: String, _ new: String) -> () -> [UInt8] {
            { precondition(original.contains(old)); return bytes(original.replacingOccurrences(of: old, with: new)) }
        }
        return [
            Case(name: ".storage/http: truncated", target: s, content: { Array(Self.original(s).prefix(original.utf8.count / 2)) }, position: .some, mentions: "unterminated"),
            Case(name: ".storage/http: empty", target: s, content: { [] }, position: .some, mentions: "JSON"),
            // Values of fields reconcile does not own are copied byte for byte, however odd.
            Case(name: ".storage/http: invalid UTF-8 in a string, kept", target: s, content: { bytes(String(original.dropLast(3))) + bytes(", \"x\": \"") + [0xFF] + bytes("\"}}") }, mentions: "", accepted: true, keeps: [0x22, 0xFF, 0x22]),
            Case(name: ".storage/http: version 3", target: s, content: replacing("\"version\": 2", "\"version\": 3"), position: .at(2, 14), mentions: "version 3"),
            Case(name: ".storage/http: stable not an object", target: s, content: { bytes("{\"version\": 2, \"minor_version\": 1, \"key\": \"http\", \"data\": {\"stable\": [], \"yaml_migration_done\": true}}") }, position: .some, mentions: "data.stable"),
            Case(name: ".storage/http: 10,000-level nesting", target: s, content: replacing("\"pending\": null", "\"pending\": null, \"x\": " + nestedFlow(10_000)), position: .some, mentions: "deep"),
            Case(name: ".storage/http: 100 MB", target: s, content: {
                var out = bytes(String(original.dropLast(3)) + ", \"x\": \"")
                out += [UInt8](repeating: 0x61, count: 100 << 20)
                return out + bytes("\"}}")
            }, position: .wholeFile, mentions: "over the limit"),
            Case(name: ".storage/http: text after the object", target: s, content: { bytes(original + "{}") }, position: .some, mentions: "after"),
            Case(name: ".storage/http: byte-order mark", target: s, content: { [0xEF, 0xBB, 0xBF] + Self.original(s) }, position: .at(1, 1), mentions: "JSON"),
            Case(name: ".storage/http: use_x_forwarded_for a string", target: s, content: replacing("\"use_x_forwarded_for\": false", "\"use_x_forwarded_for\": \"true\""), position: .some, mentions: "use_x_forwarded_for"),
            Case(name: ".storage/http: trusted_proxies not a list", target: s, content: replacing("\"trusted_proxies\": [\n        \"192.168.1.0/24\"\n      ]", "\"trusted_proxies\": \"192.168.1.0/24\""), position: .some, mentions: "trusted_proxies"),
            Case(name: ".storage/http: NaN", target: s, content: replacing("\"login_attempts_threshold\": -1", "\"login_attempts_threshold\": NaN"), position: .some, mentions: "JSON"),
            Case(name: ".storage/http: a comment", target: s, content: replacing("\"ssl_profile\": \"modern\",", "\"ssl_profile\": \"modern\", // mine"), position: .some, mentions: "JSON"),
            Case(name: ".storage/http: yaml_migration_done a string", target: s, content: replacing("\"yaml_migration_done\": true", "\"yaml_migration_done\": \"yes\""), position: .some, mentions: "yaml_migration_done\" is not true or false"),
            Case(name: ".storage/http: lone surrogate, kept", target: s, content: replacing("\"modern\"", "\"\\ud800\""), mentions: "", accepted: true, keeps: bytes("\"\\ud800\"")),
            Case(name: ".storage/http: control character in a string", target: s, content: replacing("\"modern\"", "\"mod\u{01}ern\""), position: .some, mentions: "control"),
            Case(name: ".storage/http: a number too large, kept", target: s, content: replacing("\"server_port\": 8123", "\"server_port\": 1e999999"), mentions: "", accepted: true, keeps: bytes("\"server_port\": 1e999999")),
        ]
    }

    static func composeCases() -> [Case] {
        let c = Target.compose
        let original = text(c)
        return [
            Case(name: "compose: services is a list", target: c, content: { bytes("version: \"3.7\"\nservices:\n  - caddy\n") }, position: .some, mentions: "services"),
            Case(name: "compose: no services", target: c, content: { bytes("version: \"3.7\"\n") }, position: .some, mentions: "services"),
            Case(name: "compose: depends_on a number", target: c,
                 content: { bytes(original.replacingOccurrences(of: "    depends_on:\n      # the Zigbee bridge must be up before Home Assistant\n      - zigbee2mqtt\n", with: "    depends_on: 5\n")) }, position: .some, mentions: "depends_on"),
            Case(name: "compose: two documents", target: c, content: { bytes(original + "---\nservices: {}\n") }, position: .some, mentions: "documents"),
            Case(name: "compose: a list at the top", target: c, content: { bytes("- services\n") }, position: .some, mentions: "mapping"),
            Case(name: "compose: services twice", target: c, content: { bytes(original + "services:\n  other:\n    image: x\n") }, position: .some, mentions: "appears twice"),
            Case(name: "compose: billion laughs, never expanded", target: c, content: { bytes(original + billionLaughs) }, mentions: "", accepted: true),
        ]
    }

    /// The live path itself: a link out of its folder, a read-only file, a folder instead of a file.
    static func fileSystemCases() -> [Case] {
        var cases: [Case] = []
        for target in [Target.caddyfile, .configuration, .compose, .storage] {
            cases.append(Case(name: "\(target.rawValue): a symlink out of its folder", target: target, prepare: { box, url in
                let outside = box.root.appendingPathComponent("outside-\(url.lastPathComponent)")
                try FileManager.default.moveItem(at: url, to: outside)
                try FileManager.default.createSymbolicLink(atPath: url.path, withDestinationPath: outside.path)
            }, position: .wholeFile, mentions: "symbolic link"))
            cases.append(Case(name: "\(target.rawValue): read-only", target: target, prepare: { _, url in
                try FileManager.default.setAttributes([.posixPermissions: 0o444], ofItemAtPath: url.path)
            }, position: .wholeFile, mentions: "read-only", planStatus: 2))
            cases.append(Case(name: "\(target.rawValue): a folder instead of a file", target: target, prepare: { _, url in
                try FileManager.default.removeItem(at: url)
                try FileManager.default.createDirectory(at: url, withIntermediateDirectories: false)
            }, position: .wholeFile, mentions: "not a regular file"))
        }
        return cases
    }
}
