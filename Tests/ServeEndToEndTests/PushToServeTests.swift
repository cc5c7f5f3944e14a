import Foundation
import TestSupport
import XCTest

/// The way a user lives with it: a bare repo on the gateway whose post-receive hook (deploy/post-receive)
/// calls the webhook of a running `reconcile serve` (the real binary), which applies through the real Caddy.
final class PushToServeTests: XCTestCase {
    func testPushIsServedByCaddyThroughThePostReceiveHook() throws {
        let gateway = try CaddyGateway()
        let root = gateway.root.path
        let bare = root + "/exposure.git", work = root + "/work", secretFile = root + "/webhook-secret"
        let environment = ["GIT_CONFIG_GLOBAL": "/dev/null", "GIT_CONFIG_NOSYSTEM": "1", "GIT_AUTHOR_NAME": "t",
                           "GIT_AUTHOR_EMAIL": "t@example.org", "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.org"]
        func git(_ command: String, in directory: String) -> ShellResult {
            let result = shell("git \(command)", in: directory, environment: environment)
            XCTAssertEqual(result.status, 0, "git \(command): \(result.output)")
            return result
        }
        try Data("\(UUID().uuidString)\n".utf8).write(to: URL(fileURLWithPath: secretFile))
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: secretFile)
        _ = git("init -q --bare -b main \(bare)", in: root)
        _ = git("clone -q \(bare) \(work)", in: root)
        let first = "domain: gateway.test\nservices:\n  first:\n    host: first\n    upstream: 127.0.0.1:\(gateway.homeAssistantPort)\n"
        try Data(first.utf8).write(to: URL(fileURLWithPath: work + "/exposure.yaml"))
        _ = git("checkout -q -b main && git add exposure.yaml && git commit -q -m 'publish first' && git push -q origin main", in: work)

        let serve = try ServeProcess([
            "--repo", bare, "--branch", "main", "--root", gateway.tree.root.path,
            "--caddy-admin", "127.0.0.1:\(gateway.adminPort)", "--compose", "none", "--ha-restart", "none",
            "--probe", "https://127.0.0.1:\(gateway.httpsPort)", "--probe-timeout", "3",
            "--webhook-secret-file", secretFile, "--interval", "1h", "--log-format", "json",
        ], logFile: root + "/serve.log")
        XCTAssertTrue(serve.wait(timeout: 60) { gateway.fetch("first.gateway.test") == "home assistant" },
                      "the startup reconcile did not publish the first service: \(serve.log())")
        XCTAssertTrue(serve.wait(timeout: 30) { (try serve.health()["reconciling"] as? Bool) == false })

        // The hook from deploy/, pointed at this daemon.
        let hook = bare + "/hooks/post-receive"
        try FileManager.default.copyItem(atPath: packageRoot.appendingPathComponent("deploy/post-receive").path, toPath: hook)
        _ = git("config reconcile.url http://127.0.0.1:\(serve.port)/hooks/reconcile && git config reconcile.secretFile \(secretFile)", in: bare)

        // Idle: the startup reconcile started more than a burst window (1 s) ago, so the push starts one at once.
        usleep(1_100_000)
        let idle = try XCTUnwrap(serve.memory, "no /proc entry for the daemon")
        print("idle reconcile serve (\(try reconcileBinary().path)): \(idle); target < 30 MiB")

        let added = first + "  media:\n    host: media\n    upstream: 127.0.0.1:\(gateway.mediaPort)\n"
        try Data(added.utf8).write(to: URL(fileURLWithPath: work + "/exposure.yaml"))
        _ = git("commit -q -am 'publish media'", in: work)
        XCTAssertNil(gateway.fetch("media.gateway.test").flatMap { $0 == "media" ? $0 : nil }, "media must not be served before the push")

        let clock = ContinuousClock(), start = clock.now
        let push = git("push origin main", in: work)
        var served = false
        let deadline = Date().addingTimeInterval(30)
        while !served && Date() < deadline {
            served = gateway.fetch("media.gateway.test") == "media"
            if !served { usleep(10_000) }
        }
        let elapsed = clock.now - start
        print("push -> Caddy serving the new route: \(elapsed.formatted(.units(allowed: [.milliseconds]))) (target < 1 s), through post-receive and the webhook")
        XCTAssertTrue(served, "Caddy never served the pushed service: \(serve.log())")
        XCTAssertTrue(push.output.contains("reconcile: main: accepted"), "the hook did not reach the webhook: \(push.output)")
        XCTAssertLessThan(elapsed, .seconds(5), "far over the 1 s target")
        XCTAssertEqual(gateway.fetch("first.gateway.test"), "home assistant", "the first service is still served")

        XCTAssertTrue(serve.wait(timeout: 30) { (try serve.health()["last_reconcile"] as? [String: Any])?["applied_commit"] as? String
                                                 == git("rev-parse HEAD", in: work).trimmed })
        XCTAssertTrue(serve.log().contains(#""triggers":"webhook""#), "no reconcile was triggered by the webhook: \(serve.log())")
        // The log says what the apply did and why, as its status report does.
        XCTAssertTrue(serve.log().split(separator: "\n").contains { $0.contains(#""message":"apply step""#) && $0.contains("exposure.yaml:") },
                      "no apply step with its cause in the log: \(serve.log())")
        XCTAssertEqual(serve.terminate(), 0, serve.log())
        // --log-format json: every line is one object with its time, level and message.
        for line in serve.log().split(separator: "\n") where !line.isEmpty {
            let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
            XCTAssertNotNil(object?["time"] as? String, "not a JSON log line: \(line)")
            XCTAssertNotNil(object?["level"] as? String, String(line))
            XCTAssertNotNil(object?["message"] as? String, String(line))
        }
        // What the daemon allocates is held to the budget; the mapped code (VmRSS minus RssAnon) depends on
        // the build (debug here, about 11 MiB less in release) and is shared and reclaimable: printed above.
        XCTAssertLessThan(idle.anonymous, 30 * 1024, "the idle daemon's own memory is over its 30 MiB budget")
    }
}
