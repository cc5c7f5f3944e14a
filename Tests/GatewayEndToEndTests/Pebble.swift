import Foundation
import TestSupport
import XCTest

/// Let's Encrypt's test CA (Debian's `pebble`) with its DNS stand-in (`pebble-challtestsrv`), as a gateway's
/// Caddy in its container meets them: the directory at `https://host.docker.internal:PORT/dir` on the test
/// engine's bridge, validation of TLS-ALPN-01 on the published 443, every name resolving to 127.0.0.1
/// unless a test says otherwise. Pebble's own TLS certificate comes from a CA made here with openssl,
/// handed to Caddy as `trusted_roots`.
final class Pebble {
    let scratch = TemporaryDirectory(prefix: "reconcile-pebble")
    let directoryPort: Int, managementPort: Int, dnsPort: Int, challengeManagementPort: Int
    let bridge: String
    var processes: [Process] = []
    /// The CA that signed Pebble's listener certificate (PEM), for Caddy's `trusted_roots`.
    let listenerRoot: Data

    var directory: String { "https://host.docker.internal:\(directoryPort)/dir" }

    init(engine: DockerTestEngine) throws {
        for tool in ["/usr/bin/pebble", "/usr/bin/pebble-challtestsrv"] {
            guard FileManager.default.isExecutableFile(atPath: tool) else { throw Gateway.Failure("\(tool) is missing: run scripts/setup.sh") }
        }
        bridge = try engine.bridgeAddress()
        (directoryPort, managementPort, dnsPort, challengeManagementPort) = (try freeLoopbackPort(), try freeLoopbackPort(), try freeLoopbackPort(), try freeLoopbackPort())
        let key = scratch.sub("listener.key"), cert = scratch.sub("listener.pem")
        let made = try run(["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-days", "2",
                            "-keyout", key, "-out", cert, "-subj", "/CN=reconcile test Pebble listener",
                            "-addext", "subjectAltName=DNS:host.docker.internal,DNS:localhost,IP:127.0.0.1,IP:\(bridge)"])
        guard made.status == 0 else { throw Gateway.Failure("openssl: \(made.output)") }
        listenerRoot = try Data(contentsOf: URL(fileURLWithPath: cert))
        let config = """
            {"pebble": {"listenAddress": "\(bridge):\(directoryPort)", "managementListenAddress": "127.0.0.1:\(managementPort)",
              "certificate": "\(cert)", "privateKey": "\(key)", "httpPort": \(try freeLoopbackPort()), "tlsPort": 443,
              "ocspResponderURL": "", "externalAccountBindingRequired": false}}
            """
        try Data(config.utf8).write(to: URL(fileURLWithPath: scratch.sub("pebble.json")))
        try start("/usr/bin/pebble-challtestsrv", ["-defaultIPv4", "127.0.0.1", "-defaultIPv6", "", "-dns01", "127.0.0.1:\(dnsPort)",
                                                   "-http01", "", "-https01", "", "-tlsalpn01", "", "-management", "127.0.0.1:\(challengeManagementPort)"],
                  log: "challtestsrv.log")
        try start("/usr/bin/pebble", ["-config", scratch.sub("pebble.json"), "-dnsserver", "127.0.0.1:\(dnsPort)"], log: "pebble.log",
                  environment: ["PEBBLE_VA_NOSLEEP": "1", "PEBBLE_WFE_NONCEREJECT": "0", "PEBBLE_AUTHZREUSE": "0"])
        guard eventually(within: .seconds(20), { curl("https://\(self.bridge):\(self.directoryPort)/dir").status == 200 }) else {
            throw Gateway.Failure("Pebble did not answer:\n\(log())")
        }
    }

    func start(_ tool: String, _ arguments: [String], log: String, environment: [String: String] = [:]) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: tool)
        process.arguments = arguments
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        FileManager.default.createFile(atPath: scratch.sub(log), contents: nil)
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: scratch.sub(log)))
        process.standardOutput = handle
        process.standardError = handle
        try process.run()
        processes.append(process)
    }

    /// Makes `host` unresolvable (SERVFAIL) for Pebble: its challenge cannot succeed.
    func breakDNS(_ host: String) throws {
        let answer = try run(["curl", "-sf", "-X", "POST", "-d", #"{"host":"\#(host)"}"#, "http://127.0.0.1:\(challengeManagementPort)/set-servfail"])
        guard answer.status == 0 else { throw Gateway.Failure("set-servfail: \(answer.output)") }
    }

    func log() -> String {
        ["pebble.log", "challtestsrv.log"].map { (try? String(contentsOfFile: scratch.sub($0), encoding: .utf8))?.suffix(3000) ?? "" }
            .joined(separator: "\n---\n")
    }

    deinit {
        for process in processes where process.isRunning { process.terminate(); process.waitUntilExit() }
    }
}
