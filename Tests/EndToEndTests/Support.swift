import Foundation
import XCTest

/// The package root, found from this file's path.
let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

/// The `reconcile` executable built next to the test bundle.
func reconcileBinary() throws -> URL {
    let testBinary = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
    var directory = testBinary.deletingLastPathComponent()
    for _ in 0..<4 {
        let candidate = directory.appendingPathComponent("reconcile")
        if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
        directory = directory.deletingLastPathComponent()
    }
    struct NotBuilt: Error, CustomStringConvertible {
        var description: String { "the reconcile executable was not found next to the tests: run `swift build --build-tests` first" }
    }
    throw NotBuilt()
}

struct RunResult {
    var status: Int32
    var killedBySignal = false
    var stdout: String
    var stderr: String
}

/// Runs a program to completion with a timeout, capturing both streams (through files, so a chatty
/// program never blocks on a full pipe).
func runProcess(_ executable: URL, _ arguments: [String], in directory: URL? = nil, environment: [String: String]? = nil,
                timeout: TimeInterval = 60) throws -> RunResult {
    let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("reconcile-run-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: scratch) }
    let outURL = scratch.appendingPathComponent("out"), errURL = scratch.appendingPathComponent("err")
    _ = FileManager.default.createFile(atPath: outURL.path, contents: nil)
    _ = FileManager.default.createFile(atPath: errURL.path, contents: nil)
    let out = try FileHandle(forWritingTo: outURL), err = try FileHandle(forWritingTo: errURL)
    let process = Process()
    process.executableURL = executable
    process.arguments = arguments
    if let directory { process.currentDirectoryURL = directory }
    if let environment { process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 } }
    process.standardOutput = out
    process.standardError = err
    process.standardInput = FileHandle.nullDevice
    try process.run()
    let deadline = Date().addingTimeInterval(timeout)
    while process.isRunning && Date() < deadline { usleep(5_000) }
    if process.isRunning {
        process.terminate()
        XCTFail("\(executable.lastPathComponent) \(arguments.joined(separator: " ")) timed out after \(timeout) s")
    }
    process.waitUntilExit()
    try out.close()
    try err.close()
    return RunResult(status: process.terminationStatus, killedBySignal: process.terminationReason == .uncaughtSignal,
                     stdout: String(decoding: try Data(contentsOf: outURL), as: UTF8.self),
                     stderr: String(decoding: try Data(contentsOf: errURL), as: UTF8.self))
}

/// A copy of the bundled example gateway and repo in a fresh directory.
final class Sandbox {
    let root: URL
    var gateway: URL { root.appendingPathComponent("gateway") }
    var repo: URL { root.appendingPathComponent("repo") }
    var caddyfile: URL { gateway.appendingPathComponent("usr/local/caddy/Caddyfile") }
    var configurationYAML: URL { gateway.appendingPathComponent("usr/local/homeassistant/configuration.yaml") }
    var composeFile: URL { gateway.appendingPathComponent("home/root/mapio/docker-compose.yml") }
    var stateDir: URL { gateway.appendingPathComponent("var/lib/reconcile") }

    init() throws {
        root = FileManager.default.temporaryDirectory.appendingPathComponent("reconcile-e2e-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        try FileManager.default.copyItem(at: packageRoot.appendingPathComponent("example-gateway"), to: gateway)
        try FileManager.default.copyItem(at: packageRoot.appendingPathComponent("example-repo"), to: repo)
    }

    deinit { try? FileManager.default.removeItem(at: root) }

    func reconcile(_ arguments: [String], environment: [String: String]? = nil) throws -> RunResult {
        try runProcess(try reconcileBinary(), arguments + ["--repo", repo.path, "--root", gateway.path], environment: environment)
    }

    func writeDesired(_ text: String) throws {
        try Data(text.utf8).write(to: repo.appendingPathComponent("exposure.yaml"))
    }

    func read(_ url: URL) throws -> Data { try Data(contentsOf: url) }

    /// Every file under the gateway's live paths (not the state dir), with its content.
    func liveFiles() throws -> [String: Data] {
        var files: [String: Data] = [:]
        for url in [caddyfile, configurationYAML, composeFile] { files[url.path] = try? Data(contentsOf: url) }
        return files
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
