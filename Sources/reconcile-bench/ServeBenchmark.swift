import Adapters
import Foundation
import GatewayHarness
import TestSupportCore
import Webhooks

/// Issue #8: what `reconcile serve` costs: verifying one delivery, the webhook's round trip, webhook ->
/// the real Caddy running the new config, and the idle daemon's memory. Runs the `reconcile` binary built
/// next to this one (`swift build -c release` builds both).
enum ServeBenchmark {
    static func run() throws {
        let secret = Array("bench-secret-of-32-bytes-or-more".utf8)
        var payload = #"{"ref":"refs/heads/main","commits":["#
        payload += (0..<40).map { #"{"id":"\#(String(repeating: "a", count: 40))","message":"change \#($0)","added":[],"modified":["exposure.yaml"]}"# }.joined(separator: ",")
        payload += "]}"
        let body = Array(payload.utf8)
        // GitHub's `X-Hub-Signature-256` and our own `X-Reconcile-Signature` have the one form.
        func signature(_ body: [UInt8]) -> String { WebhookSignature.sign(body, secret: secret) }
        let settings = WebhookSettings(secrets: [secret], branch: "main")
        let headers = [(name: "X-Hub-Signature-256", value: signature(body)), (name: "X-GitHub-Event", value: "push")]
        var verdict = ""
        let perThousand = Measure.median(runs: 9) {
            // A verifier each time: one that saw this body already ignores it as a replay, which is not the path measured.
            for _ in 0..<1000 {
                var verifier = WebhookVerifier(settings: settings)
                verdict = verifier.verify(headers: headers, body: body).label
            }
        }
        print("== serve")
        print("verify a \(body.count / 1024) KiB GitHub push (HMAC, parse, branch): \(String(format: "%.1f", perThousand)) µs [\(verdict)]")

        let binary = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent()
            .appendingPathComponent("reconcile").path
        guard FileManager.default.isExecutableFile(atPath: binary), FileManager.default.isExecutableFile(atPath: "/usr/bin/caddy") else {
            print("daemon figures: needs \(binary) and /usr/bin/caddy")
            return
        }
        let gateway = try CaddyGateway()
        defer { withExtendedLifetime(gateway) {} }
        try gateway.declare(services: 20)
        let secretFile = gateway.root.appendingPathComponent("secret").path
        try Data(secret).write(to: URL(fileURLWithPath: secretFile))
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: secretFile)
        let port = try freeLoopbackPort()
        let daemon = Process()
        daemon.executableURL = URL(fileURLWithPath: binary)
        daemon.arguments = ["serve", "--repo", gateway.repo.path, "--root", gateway.tree.root.path,
                            "--caddy-admin", "127.0.0.1:\(gateway.adminPort)", "--compose", "none", "--ha-restart", "none", "--probe", "none",
                            "--webhook-secret-file", secretFile, "--listen", "127.0.0.1:\(port)", "--interval", "1h", "--burst-window", "0"]
        daemon.standardOutput = FileHandle.nullDevice
        daemon.standardError = FileHandle.nullDevice
        try daemon.run()
        defer { daemon.terminate(); daemon.waitUntilExit() }
        let admin = CaddyAdmin(endpoint: "127.0.0.1:\(gateway.adminPort)", timeout: 2)
        func served(_ host: String) -> Bool { (try? admin.config()).map { String(decoding: $0, as: UTF8.self).contains(host) } ?? false }
        let deadline = Date().addingTimeInterval(30)
        while Date() < deadline && !served("svc19.bench.test") { usleep(10_000) }
        guard served("svc19.bench.test") else {
            print("daemon figures: the startup reconcile did not load Caddy")
            return
        }
        usleep(500_000)
        #if DEBUG
        let build = "debug"
        #else
        let build = "release"
        #endif
        print("idle daemon (\(build) build): \(memory(daemon.processIdentifier))")

        func post(_ body: [UInt8]) -> Int {
            let request = HTTPRequest(method: "POST", address: "127.0.0.1", port: port, path: "/hooks/reconcile",
                                      headers: [("X-Reconcile-Signature", signature(body))], body: body)
            return (try? HTTPClient.send(request).status) ?? -1
        }
        let ignored = Array(#"{"ref":"refs/tags/bench"}"#.utf8)
        var status = 0
        let roundTrip = Measure.median(runs: 21) { status = post(ignored) }
        print("webhook round trip, POST -> 202 (median of 21): \(Measure.format(roundTrip)) [\(status)]")

        var samples: [Double] = []
        for services in 21...25 {
            try gateway.declare(services: services)
            let start = DispatchTime.now().uptimeNanoseconds
            _ = post(Array(#"{"ref":"refs/heads/main"}"#.utf8))
            while !served("svc\(services - 1).bench.test") && DispatchTime.now().uptimeNanoseconds - start < 10_000_000_000 { usleep(1_000) }
            samples.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1_000_000)
            usleep(200_000)
        }
        print("webhook -> Caddy running the new site, 20 services (median of 5): \(Measure.format(samples.sorted()[2])); target 1 s")
    }

    static func memory(_ pid: Int32) -> String {
        func field(_ file: String, _ name: String) -> Int {
            let text = (try? String(contentsOfFile: "/proc/\(pid)/\(file)", encoding: .utf8)) ?? ""
            let line = text.split(separator: "\n").first { $0.hasPrefix(name + ":") } ?? ""
            return Int(line.split(separator: " ").dropFirst().first ?? "") ?? -1
        }
        return "VmRSS \(field("status", "VmRSS") / 1024) MiB, of which RssAnon \(field("status", "RssAnon") / 1024) MiB; Pss \(field("smaps_rollup", "Pss") / 1024) MiB"
    }
}
