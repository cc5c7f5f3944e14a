import Adapters
import Crypto
import Foundation
import TestSupport
import XCTest

/// The real `reconcile serve` binary over HTTP: webhook answers, timer, /healthz, /metrics, SIGTERM.
final class ServeBinaryTests: XCTestCase {
    func sign(_ body: [UInt8], _ secret: String) -> String {
        "sha256=" + HMAC<SHA256>.authenticationCode(for: body, using: SymmetricKey(data: Array(secret.utf8)))
            .map { String(format: "%02x", $0) }.joined()
    }

    /// The metric samples as Prometheus' own parser (prometheus_client, PyPI) reads the text.
    func parseMetrics(_ text: String, in sandbox: DaemonSandbox) throws -> [(name: String, labels: [String: String], value: Double)] {
        let file = sandbox.directory.file("metrics.txt", text)
        let script = """
            import json, sys
            from prometheus_client.parser import text_string_to_metric_families
            out = []
            for family in text_string_to_metric_families(open(sys.argv[1]).read()):
                for s in family.samples:
                    out.append([s.name, s.labels, s.value])
            print(json.dumps(out))
            """
        let result = try TestSupport.run(["python3", "-c", script, file])
        XCTAssertEqual(result.status, 0, "prometheus_client could not parse /metrics (run scripts/setup.sh): \(result.stderr)")
        let rows = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [[Any]] ?? []
        return rows.map { ($0[0] as? String ?? "", $0[1] as? [String: String] ?? [:], ($0[2] as? NSNumber)?.doubleValue ?? .nan) }
    }

    func value(_ samples: [(name: String, labels: [String: String], value: Double)], _ name: String, _ labels: [String: String] = [:]) -> Double? {
        samples.first { $0.name == name && $0.labels == labels }?.value
    }

    func runCount(_ serve: ServeProcess, _ sandbox: DaemonSandbox) throws -> Double {
        let samples = try parseMetrics(try serve.get("/metrics").text, in: sandbox)
        return samples.filter { $0.name == "reconcile_runs_total" }.map(\.value).reduce(0, +)
    }

    func testTimerFiresAndMetricsParseWithPrometheusClient() throws {
        let sandbox = try DaemonSandbox()
        let serve = try ServeProcess(sandbox.serveArguments(["--interval", "300ms", "--jitter", "0"]), logFile: sandbox.root + "/serve.log")
        XCTAssertTrue(serve.wait(timeout: 15) { try self.runCount(serve, sandbox) >= 4 }, "the timer did not fire: \(serve.log())")
        let health = try serve.health()
        let last = health["last_reconcile"] as? [String: Any]
        XCTAssertEqual(health["status"] as? String, "ok")
        XCTAssertEqual(last?["triggers"] as? [String], ["timer"])
        XCTAssertEqual(last?["result"] as? String, "in_sync")
        XCTAssertEqual(last?["applied_commit"] as? String, sandbox.head)

        let body = Array(#"{"ref":"refs/heads/main"}"#.utf8)
        XCTAssertEqual(try serve.request("POST", "/hooks/reconcile", headers: [("X-Reconcile-Signature", "sha256=00")], body: body).status, 401)

        let response = try serve.get("/metrics")
        XCTAssertEqual(response.status, 200)
        XCTAssertTrue(response.header("Content-Type")?.hasPrefix("text/plain; version=0.0.4") == true)
        let samples = try parseMetrics(response.text, in: sandbox)
        XCTAssertEqual(value(samples, "reconcile_runs_total", ["result": "applied"]), 1, "the startup reconcile applied the example")
        let inSync = value(samples, "reconcile_runs_total", ["result": "in_sync"]) ?? 0
        XCTAssertGreaterThanOrEqual(inSync, 3, "timer reconciles found it in sync")
        XCTAssertEqual(value(samples, "reconcile_runs_total", ["result": "failed"]), 0)
        XCTAssertEqual(value(samples, "reconcile_runs_total", ["result": "invalid_input"]), 0)
        let total = samples.filter { $0.name == "reconcile_runs_total" }.map(\.value).reduce(0, +)
        XCTAssertEqual(value(samples, "reconcile_duration_seconds_count"), total, "one duration per reconcile")
        XCTAssertEqual(value(samples, "reconcile_duration_seconds_bucket", ["le": "+Inf"]), total)
        XCTAssertGreaterThan(value(samples, "reconcile_duration_seconds_sum") ?? 0, 0)
        XCTAssertEqual(value(samples, "reconcile_last_applied_commit_info", ["commit": sandbox.head]), 1)
        XCTAssertEqual(value(samples, "reconcile_webhook_requests_total", ["result": "unauthorized"]), 1)
        XCTAssertEqual(value(samples, "reconcile_webhook_requests_total", ["result": "accepted"]), 0)
        XCTAssertGreaterThan(value(samples, "reconcile_last_run_timestamp_seconds") ?? 0, Date().timeIntervalSince1970 - 60)
        XCTAssertEqual(serve.terminate(), 0)
    }

    func testWebhookAnswersAndNoReconcileOnAnyError() throws {
        let sandbox = try DaemonSandbox()
        let serve = try ServeProcess(sandbox.serveArguments(["--interval", "1h", "--max-body", "2048", "--burst-window", "0"]),
                                     logFile: sandbox.root + "/serve.log")
        XCTAssertTrue(serve.wait(timeout: 15) { try self.runCount(serve, sandbox) == 1 }, "startup reconcile: \(serve.log())")
        let push = Array(#"{"ref":"refs/heads/main","commits":[]}"#.utf8)
        func post(_ headers: [(String, String)], _ body: [UInt8]) throws -> HTTPResponse {
            try serve.request("POST", "/hooks/reconcile", headers: headers, body: body)
        }
        // Errors first: none of them may cause a reconcile.
        let wrongSecret = try post([("X-Hub-Signature-256", sign(push, "guessed")), ("X-GitHub-Event", "push")], push)
        XCTAssertEqual(wrongSecret.status, 401)
        XCTAssertEqual(try post([], push).status, 401, "no signature")
        let big = Array(repeating: UInt8(ascii: " "), count: 4096)
        XCTAssertEqual(try post([("X-Hub-Signature-256", sign(big, sandbox.secret))], big).status, 413)
        let garbage = Array("{not json".utf8)
        XCTAssertEqual(try post([("X-Gitea-Signature", String(sign(garbage, sandbox.secret).dropFirst(7)))], garbage).status, 400)
        // A local folder follows no named branch (unit tests cover the branch filter); a tag is never a branch.
        let feature = Array(#"{"ref":"refs/tags/v1"}"#.utf8)
        let other = try post([("X-Gitlab-Token", sandbox.secret), ("X-Gitlab-Event", "Push Hook")], feature)
        XCTAssertEqual(other.status, 202)
        XCTAssertTrue(other.text.hasPrefix("ignored"), other.text)
        let status = Array(#"{"ref":"refs/heads/reconcile-status"}"#.utf8)
        XCTAssertEqual(try post([("X-Forgejo-Signature", String(sign(status, sandbox.secret).dropFirst(7)))], status).status, 202)
        usleep(300_000)
        XCTAssertEqual(try runCount(serve, sandbox), 1, "a refused or ignored delivery caused a reconcile: \(serve.log())")

        // Nothing about the gateway in any answer.
        for answer in [wrongSecret, other] {
            XCTAssertFalse(answer.text.contains(sandbox.root) || answer.text.contains("Caddyfile") || answer.text.contains("mondomaine"), answer.text)
        }

        // A signed push wakes the loop, once: the same delivery again is a replay.
        sandbox.commitService("hooked")
        let signed = [("X-Hub-Signature-256", sign(push, sandbox.secret)), ("X-GitHub-Event", "push"), ("X-GitHub-Delivery", "d-1")]
        let accepted = try post(signed, push)
        XCTAssertEqual(accepted.status, 202)
        XCTAssertTrue(accepted.text.hasPrefix("accepted"), accepted.text)
        XCTAssertTrue(serve.wait(timeout: 15) { try self.runCount(serve, sandbox) == 2 })
        XCTAssertTrue(serve.wait(timeout: 5) { (try serve.health()["last_reconcile"] as? [String: Any])?["applied_commit"] as? String == sandbox.head })
        XCTAssertTrue(sandbox.read(sandbox.caddyfile).contains("hooked.mondomaine.ddnsfree.com"))
        let replay = try post(signed, push)
        XCTAssertEqual(replay.status, 202)
        XCTAssertTrue(replay.text.contains("already received"), replay.text)
        usleep(300_000)
        XCTAssertEqual(try runCount(serve, sandbox), 2, "a replayed delivery caused a reconcile")
        XCTAssertEqual(try serve.get("/nothing-here").status, 404)

        // The webhook secret never leaves its file: not in an answer, /healthz, /metrics or the log
        // (one delivery above carried it as a GitLab token).
        let outputs = [wrongSecret, other, accepted, replay].map(\.text)
            + [try serve.get("/metrics").text, try serve.get("/healthz").text, serve.log()]
        for text in outputs { XCTAssertFalse(text.contains(sandbox.secret), "the webhook secret leaked: \(text.prefix(300))") }
        XCTAssertEqual(serve.terminate(), 0)
    }

    /// SIGTERM while a reconcile holds between two writes: the daemon lets it finish every file, then exits 0.
    func testSIGTERMDuringAReconcileFinishesItThenExitsZero() throws {
        let sandbox = try DaemonSandbox()
        let before = sandbox.read(sandbox.caddyfile), composeBefore = sandbox.read(sandbox.composeFile)
        XCTAssertEqual(try sandbox.planStatus(), 2, "the example starts with changes pending")
        let serve = try ServeProcess(sandbox.serveArguments(["--interval", "1h"]),
                                     environment: ["RECONCILE_FAILPOINT_PAUSE": "after-write:caddyfile=3"], logFile: sandbox.root + "/serve.log")
        XCTAssertTrue(serve.wait(timeout: 10) { sandbox.read(sandbox.caddyfile) != before }, "the reconcile never wrote the Caddyfile")
        XCTAssertEqual(sandbox.read(sandbox.composeFile), composeBefore, "caught between two writes")
        XCTAssertEqual(try serve.health()["reconciling"] as? Bool, true)
        let clock = ContinuousClock(), start = clock.now
        let status = serve.terminate()
        let took = clock.now - start
        print("SIGTERM mid-reconcile: exit \(status.map(String.init) ?? "none") after \(took)")
        XCTAssertEqual(status, 0, serve.log())
        XCTAssertGreaterThan(took, .milliseconds(1500), "it exited without waiting for the reconcile")
        XCTAssertNotEqual(sandbox.read(sandbox.composeFile), composeBefore, "the reconcile was cut after its first write")
        XCTAssertEqual(try sandbox.planStatus(), 0, "every file is whole and new: the gateway matches the repo")
        XCTAssertTrue(serve.log().contains("waiting for the running reconcile to finish"), serve.log())
    }

    /// The red team's case: a named pipe where the Caddyfile should be kept /healthz at "reconciling"
    /// forever and made the daemon deaf to SIGTERM. Now the reconcile fails at once, naming the file.
    func testANamedPipeInPlaceOfTheCaddyfileFailsTheReconcileAndSIGTERMStillStops() throws {
        let sandbox = try DaemonSandbox()
        try FileManager.default.removeItem(atPath: sandbox.caddyfile)
        XCTAssertEqual(mkfifo(sandbox.caddyfile, 0o644), 0)
        let serve = try ServeProcess(sandbox.serveArguments(["--interval", "1h"]), logFile: sandbox.root + "/serve.log")
        // Before the fix the reconcile waits in open(2): a writer that opens and closes the pipe lets it go.
        func unblock() {
            let writer = open(sandbox.caddyfile, O_WRONLY | O_NONBLOCK)
            if writer >= 0 { close(writer) }
        }
        let finished = serve.wait(timeout: 10) { (try serve.health()["last_reconcile"] as? [String: Any])?["reason"] != nil }
        if !finished { unblock() }
        XCTAssertTrue(finished, "the reconcile never finished: \(serve.log())")
        let health = try serve.health()
        XCTAssertEqual(health["reconciling"] as? Bool, false)
        let last = health["last_reconcile"] as? [String: Any]
        XCTAssertEqual(last?["reason"] as? String, "unreadable_live_file", "\(health)")
        XCTAssertTrue(serve.log().contains("named pipe (FIFO)"), serve.log())
        let status = serve.terminate(timeout: 10)
        if status == nil { unblock() }
        XCTAssertEqual(status, 0, "SIGTERM stops the daemon: \(serve.log())")
    }

    /// A daemon that cannot listen reconciles nothing: it says where, and exits 1.
    func testAPortInUseStopsBeforeAnyReconcile() throws {
        let first = try DaemonSandbox(), second = try DaemonSandbox()
        let serve = try ServeProcess(first.serveArguments(["--interval", "1h"]), logFile: first.root + "/serve.log")
        let before = second.read(second.caddyfile)
        let result = try runProcess(try reconcileBinary(), ["serve"] + second.serveArguments(["--listen", "127.0.0.1:\(serve.port)"]),
                                    timeout: 60)
        XCTAssertEqual(result.status, 1, result.output)
        XCTAssertTrue(result.stderr.contains("127.0.0.1:\(serve.port)") && result.stderr.contains("Address already in use"), result.stderr)
        XCTAssertEqual(second.read(second.caddyfile), before, "it reconciled without being able to serve")
        XCTAssertFalse(FileManager.default.fileExists(atPath: second.stateDir), "it created state without being able to serve")
        XCTAssertEqual(serve.terminate(), 0)
    }
}
