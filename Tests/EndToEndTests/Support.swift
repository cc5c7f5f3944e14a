import Foundation
import TestSupport
import XCTest

/// A copy of the bundled example gateway and repo in a fresh directory (a `GatewayTree`).
class Sandbox {
    let tree: GatewayTree
    var root: URL { tree.folder }
    var gateway: URL { tree.root }
    var repo: URL { tree.repo }
    var caddyfile: URL { tree.caddyfile }
    var configurationYAML: URL { tree.configurationYAML }
    var composeFile: URL { tree.composeFile }
    var stateDir: URL { tree.stateDir }

    init(prefix: String = "reconcile-e2e") throws {
        tree = try GatewayTree(prefix: prefix, contents: .example)
    }

    func reconcile(_ arguments: [String], environment: [String: String]? = nil) throws -> RunResult {
        try runProcess(try reconcileBinary(), arguments + tree.arguments, environment: environment)
    }

    func writeDesired(_ text: String) throws { try tree.writeExposure(text) }

    func read(_ url: URL) throws -> Data { try Data(contentsOf: url) }

    /// Every live path of the gateway (not the state dir) with what is there: a file that is missing is
    /// `.absent`, never a dropped key, so a crash that loses a file cannot go unseen.
    func liveFiles() throws -> [String: LiveFileState] {
        var files: [String: LiveFileState] = [:]
        for url in [caddyfile, configurationYAML, composeFile] {
            files[url.path] = FileManager.default.fileExists(atPath: url.path) ? .content(try Data(contentsOf: url)) : .absent
        }
        return files
    }
}

/// What a live path holds, for before/after comparisons.
enum LiveFileState: Equatable, CustomStringConvertible {
    case absent
    case content(Data)

    /// The bytes, or nil for an absent file.
    var bytes: Data? {
        if case .content(let data) = self { return data }
        return nil
    }

    var description: String {
        switch self {
        case .absent: return "absent"
        case .content(let data): return "\(data.count) bytes"
        }
    }
}

/// `caddy` from Debian, required: the suite checks what we write with the real thing.
func caddyBinary() -> URL {
    let path = "/usr/bin/caddy"
    XCTAssertTrue(FileManager.default.isExecutableFile(atPath: path),
                  "caddy is not installed: run scripts/setup.sh (apt-get install caddy); these checks need the real Caddy")
    return URL(fileURLWithPath: path)
}

/// `caddy adapt` of a Caddyfile: the JSON config, or a failure with Caddy's message.
func caddyAdapt(_ caddyfile: URL) throws -> [String: Any] {
    let result = try runProcess(caddyBinary(), ["adapt", "--config", caddyfile.path, "--adapter", "caddyfile"])
    XCTAssertEqual(result.status, 0, "caddy adapt failed: \(result.stderr)")
    let object = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8))
    return object as? [String: Any] ?? [:]
}

/// host -> upstream dial addresses, from adapted JSON (reverse_proxy may sit inside a subroute).
func proxiedHosts(_ config: [String: Any]) -> [String: [String]] {
    var result: [String: [String]] = [:]
    let servers = ((config["apps"] as? [String: Any])?["http"] as? [String: Any])?["servers"] as? [String: Any] ?? [:]
    for case let server as [String: Any] in servers.values {
        for case let route as [String: Any] in server["routes"] as? [Any] ?? [] {
            let hosts = (route["match"] as? [[String: Any]])?.flatMap { $0["host"] as? [String] ?? [] } ?? []
            let dials = upstreamDials(route["handle"] as? [Any] ?? [])
            for host in hosts { result[host, default: []] += dials }
        }
    }
    return result
}

private func upstreamDials(_ handlers: [Any]) -> [String] {
    var dials: [String] = []
    for case let handler as [String: Any] in handlers {
        if handler["handler"] as? String == "reverse_proxy" {
            dials += (handler["upstreams"] as? [[String: Any]] ?? []).compactMap { $0["dial"] as? String }
        }
        for case let route as [String: Any] in handler["routes"] as? [Any] ?? [] {
            dials += upstreamDials(route["handle"] as? [Any] ?? [])
        }
    }
    return dials
}

/// Loads a YAML file with PyYAML (Home Assistant's tags accepted) and returns `expression` as JSON.
func pythonYAML(_ file: URL, expression: String) throws -> Any {
    let script = """
    import json, sys, yaml
    class Loader(yaml.SafeLoader): pass
    for tag in ["!include", "!include_dir_list", "!include_dir_merge_list", "!include_dir_named",
                "!include_dir_merge_named", "!secret", "!env_var", "!input"]:
        Loader.add_constructor(tag, lambda loader, node: {"tag": node.tag, "value": loader.construct_scalar(node)})
    doc = yaml.load(open(sys.argv[1], encoding="utf-8"), Loader=Loader)
    print(json.dumps(\(expression)))
    """
    let result = try runProcess(URL(fileURLWithPath: "/usr/bin/env"), ["python3", "-c", script, file.path])
    XCTAssertEqual(result.status, 0, "PyYAML could not read \(file.path): \(result.stderr)")
    return try JSONSerialization.jsonObject(with: Data(result.stdout.utf8), options: [.fragmentsAllowed])
}
