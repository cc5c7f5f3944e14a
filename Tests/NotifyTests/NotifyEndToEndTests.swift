import Foundation
import TestSupport
import XCTest

/// `reconcile apply` (the real binary) with `notify:` targets on the real things: an ntfy server with access
/// control, Apprise's own command posting to a `json://` receiver, the signed JSON webhook; the gateway's
/// Caddy really runs (so a rollback is a real one), the exposure repo is a bare git repo.
final class NotifyEndToEndTests: XCTestCase {
    let environment = ["GIT_CONFIG_GLOBAL": "/dev/null", "GIT_CONFIG_NOSYSTEM": "1", "GIT_AUTHOR_NAME": "Ann Owner",
                       "GIT_AUTHOR_EMAIL": "ann@example.org", "GIT_COMMITTER_NAME": "Ann Owner", "GIT_COMMITTER_EMAIL": "ann@example.org"]

    /// A bare repo and a clone to commit in; `commit` writes exposure.yaml, commits and pushes, and returns the id.
    struct Repo {
        let bare: String, work: String
        let environment: [String: String]

        init(root: String, environment: [String: String]) {
            (bare, work, self.environment) = (root + "/exposure.git", root + "/work", environment)
            XCTAssertEqual(shell("git init -q --bare -b main \(bare) && git clone -q \(bare) \(work) 2>&1 && cd \(work) && git checkout -q -b main",
                                 in: root, environment: environment).status, 0)
        }

        func commit(_ text: String, _ subject: String) throws -> String {
            try Data(text.utf8).write(to: URL(fileURLWithPath: work + "/exposure.yaml"))
            let result = shell("git add exposure.yaml && git commit -q -m '\(subject)' && git push -q origin main && git rev-parse HEAD",
                               in: work, environment: environment)
            XCTAssertEqual(result.status, 0, result.output)
            return String(result.trimmed.split(separator: "\n").last ?? "")
        }
    }

    func apply(_ config: String) throws -> RunResult {
        try runProcess(try reconcileBinary(), ["apply", "--config", config, "--ha-restart", "none"],
                       environment: ProcessInfo.processInfo.environment.merging(["PATH": "/usr/local/bin:/usr/bin:/bin"]) { $1 },
                       timeout: 120)
    }

    func settings(_ gateway: CaddyGateway, repo: Repo, notify: String) -> String {
        """
        repo: \(repo.bare)
        branch: main
        gateway: home
        root: \(gateway.tree.root.path)
        caddy_admin: 127.0.0.1:\(gateway.adminPort)
        compose: none
        probe: https://127.0.0.1:\(gateway.httpsPort)
        probe_timeout: 2
        probe_attempts: 2
        \(notify)
        """
    }

    func testRefusalRollbackAndRecoveryArriveOnceOnEveryChannelWithTheirCommitAndCause() throws {
        let gateway = try CaddyGateway()
        let root = gateway.root.path
        try FileManager.default.createDirectory(atPath: root + "/ntfy", withIntermediateDirectories: true)
        let ntfy = try NtfyTestServer(directory: root + "/ntfy")
        let hook = try RecordingReceiver(.ok, directory: root + "/hook")
        let appriseInbox = try RecordingReceiver(.ok, directory: root + "/apprise")
        let webhookSecret = "whsec-\(UUID().uuidString)", appriseSecret = "apprise-\(UUID().uuidString)"
        let tokenFile = root + "/ntfy-token", secretFile = root + "/notify-secret", urlFile = root + "/apprise-urls"
        try Data("\(ntfy.token)\n".utf8).write(to: URL(fileURLWithPath: tokenFile))
        try Data("\(webhookSecret)\n".utf8).write(to: URL(fileURLWithPath: secretFile))
        try Data("json://127.0.0.1:\(appriseInbox.port)/\(appriseSecret)\n".utf8).write(to: URL(fileURLWithPath: urlFile))
        for file in [tokenFile, secretFile, urlFile] { try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: file) }
        let repo = Repo(root: root, environment: environment)
        let config = root + "/config.yaml"
        try Data(settings(gateway, repo: repo, notify: """
            notify:
              - ntfy: http://127.0.0.1:\(ntfy.port)/gateway-alerts
                token_file: \(tokenFile)
              - webhook: http://127.0.0.1:\(hook.port)/reconcile
                secret_file: \(secretFile)
              - apprise: \(urlFile)
            """).utf8).write(to: URL(fileURLWithPath: config))

        let good = "domain: gateway.test\nservices:\n  first:\n    host: first\n    upstream: 127.0.0.1:\(gateway.homeAssistantPort)\n"
        var outputs: [String] = []
        func applied(_ expectSuccess: Bool) throws {
            let result = try apply(config)
            outputs.append(result.output)
            XCTAssertEqual(result.status == 0, expectSuccess, result.output)
            XCTAssertFalse(result.output.contains("notification not sent"), result.output)
        }

        let published = try repo.commit(good, "publish first")
        try applied(true)
        // A typo in the key of the upstream, line 5, column 5.
        let typo = try repo.commit(good.replacingOccurrences(of: "    upstream:", with: "    upstrem:"), "typo")
        try applied(false)
        try applied(false)
        let deadPort = try freeLoopbackPort()
        let broken = try repo.commit(good + "  broken:\n    host: broken\n    upstream: 127.0.0.1:\(deadPort)\n", "publish broken")
        try applied(false)
        try applied(false)
        let fixed = try repo.commit(good + "# broken dropped\n", "drop broken")
        try applied(true)
        try applied(true)
        XCTAssertEqual(gateway.fetch("first.gateway.test"), "home assistant")

        // ntfy: one message per event, in order, each naming its commit.
        let messages = try ntfy.messages("gateway-alerts")
        let kinds = messages.map { ($0["tags"] as? [String])?.last ?? "?" }
        XCTAssertEqual(kinds, ["exposure_widened", "commit_refused", "apply_failed", "recovered"], "\(messages)")
        let bodies = messages.map { ($0["title"] as? String ?? "") + "\n" + ($0["message"] as? String ?? "") }
        print("ntfy received:\n" + bodies.joined(separator: "\n---\n"))
        guard bodies.count == 4 else { return }
        XCTAssertTrue(bodies[0].contains("https://first.gateway.test") && bodies[0].contains(String(published.prefix(12))), bodies[0])
        XCTAssertTrue(bodies[0].contains("first is now served at https://first.gateway.test (access: public), declared at exposure.yaml:3:3."), bodies[0])
        XCTAssertTrue(bodies[1].contains(String(typo.prefix(12))) && bodies[1].contains("by Ann Owner <ann@example.org>"), bodies[1])
        XCTAssertTrue(bodies[1].contains("exposure.yaml:5:5"), "the refusal names file:line:column: \(bodies[1])")
        XCTAssertTrue(bodies[2].contains(String(broken.prefix(12))) && bodies[2].contains("Failed at step probe"), bodies[2])
        XCTAssertTrue(bodies[2].contains("Rolled back: restored") && bodies[2].contains("Caddyfile"), bodies[2])
        XCTAssertTrue(bodies[2].contains("+ https://broken.gateway.test -> 127.0.0.1:\(deadPort), declared at exposure.yaml:6:3"), bodies[2])
        XCTAssertTrue(bodies[3].contains(String(fixed.prefix(12))) && bodies[3].contains("after apply_failed (probe_failed)"), bodies[3])
        XCTAssertEqual(messages.map { $0["priority"] as? Int }, [4, 4, 4, 3])

        // The webhook: the same events, each signed over its exact bytes (checked with openssl, not our code).
        let deliveries = try hook.requests()
        XCTAssertEqual(deliveries.compactMap { hook.header("X-Reconcile-Event", in: $0.headers) }, kinds)
        for (index, delivery) in deliveries.enumerated() {
            let file = root + "/hook/body-\(index)"
            try delivery.body.write(to: URL(fileURLWithPath: file))
            let digest = shell("openssl dgst -sha256 -hmac '\(webhookSecret)' -r \(file) | cut -d' ' -f1", in: root).trimmed
            XCTAssertEqual(hook.header("X-Reconcile-Signature", in: delivery.headers), "sha256=" + digest)
            let json = try XCTUnwrap(JSONSerialization.jsonObject(with: delivery.body) as? [String: Any])
            XCTAssertEqual(json["gateway"] as? String, "home")
            XCTAssertNotNil((json["commit"] as? [String: Any])?["id"] as? String)
        }
        if deliveries.count == 4 {
            let refusal = try XCTUnwrap(JSONSerialization.jsonObject(with: deliveries[1].body) as? [String: Any])
            let positions = try XCTUnwrap(refusal["diagnostics"] as? [[String: Any]])
            XCTAssertTrue(positions.contains { $0["file"] as? String == "exposure.yaml" && $0["line"] as? Int == 5 && $0["column"] as? Int == 5 },
                          "\(positions)")
            let rollback = try XCTUnwrap(JSONSerialization.jsonObject(with: deliveries[2].body) as? [String: Any])
            XCTAssertEqual(rollback["reason"] as? String, "probe_failed")
            XCTAssertEqual(rollback["rollback_failed"] as? Bool, false)
        }

        // Apprise's command, to its json:// receiver: the same four, with their titles and types.
        let apprised = try appriseInbox.requests().compactMap { try JSONSerialization.jsonObject(with: $0.body) as? [String: Any] }
        XCTAssertEqual(apprised.map { $0["type"] as? String ?? "?" }, ["warning", "failure", "failure", "success"], "\(apprised)")
        XCTAssertEqual(apprised.map { $0["title"] as? String ?? "" }, messages.map { $0["title"] as? String ?? "" })
        XCTAssertEqual(apprised.map { $0["message"] as? String ?? "" }, messages.map { $0["message"] as? String ?? "" })

        // No secret anywhere reconcile writes: its output, its state dir, the status branch, the messages.
        var everything = outputs + bodies + deliveries.map { String(decoding: $0.body, as: UTF8.self) }
            + apprised.map { "\($0)" }
        let state = gateway.stateDir.path
        let files = FileManager.default.enumerator(atPath: state)
        while let name = files?.nextObject() as? String {
            if let data = FileManager.default.contents(atPath: state + "/" + name) { everything.append(String(decoding: data, as: UTF8.self)) }
        }
        let statusBranch = shell("git log -p reconcile-status", in: repo.bare, environment: environment)
        XCTAssertEqual(statusBranch.status, 0, statusBranch.output)
        XCTAssertTrue(statusBranch.output.contains("status/home/status.json"), "the status branch holds no report: \(statusBranch.output.prefix(300))")
        everything.append(statusBranch.output)
        for secret in [ntfy.token, webhookSecret, appriseSecret] {
            for text in everything { XCTAssertFalse(text.contains(secret), "a secret leaked into: \(text.prefix(400))") }
        }
        XCTAssertTrue(everything.contains { $0.contains(#""first.gateway.test""#) && $0.contains(#""logins""#) },
                      "the notification memory is in the state dir")
    }

    func testDeadTargetsCostAtMostTheBudgetAndLoseNoStatus() throws {
        let gateway = try CaddyGateway()
        let root = gateway.root.path
        let failing = try RecordingReceiver(.fail, directory: root + "/fail")
        let hanging = try RecordingReceiver(.hang, directory: root + "/hang")
        let refused = try freeLoopbackPort()
        let repo = Repo(root: root, environment: environment)
        let quiet = root + "/quiet.yaml", dead = root + "/dead.yaml"
        try Data(settings(gateway, repo: repo, notify: "").utf8).write(to: URL(fileURLWithPath: quiet))
        try Data(settings(gateway, repo: repo, notify: """
            notify:
              - ntfy: http://127.0.0.1:\(refused)/alerts
              - webhook: http://127.0.0.1:\(failing.port)/hook
              - webhook: http://127.0.0.1:\(hanging.port)/hook
            """).utf8).write(to: URL(fileURLWithPath: dead))
        let commit = try repo.commit("domain: gateway.test\nservices:\n  first:\n    hots: first\n", "refused")

        let clock = ContinuousClock()
        var start = clock.now
        let baseline = try apply(quiet)
        let quietTime = clock.now - start
        XCTAssertEqual(baseline.status, 1, baseline.output)
        start = clock.now
        let result = try apply(dead)
        let deadTime = clock.now - start
        print("refused commit, apply: \(quietTime) without targets, \(deadTime) with three dead ones (bound: + 15.5 s)")
        XCTAssertEqual(result.status, 1, "the refusal is the outcome, not the notifications: \(result.output)")
        XCTAssertLessThan(deadTime - quietTime, .milliseconds(15_500), "dead targets slowed the reconcile past the notification budget")
        for target in ["ntfy 127.0.0.1:\(refused): connection refused", "webhook 127.0.0.1:\(failing.port): answered HTTP 500",
                       "webhook 127.0.0.1:\(hanging.port): no answer"] {
            XCTAssertTrue(result.stderr.contains("commit_refused notification not sent to \(target)"), "\(target): \(result.stderr)")
        }
        XCTAssertEqual(try failing.requests().count, 3, "a 500 is retried, a bounded number of times")

        // The status is all there: in the state dir and on the status branch, for the refused commit.
        let status = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(contentsOf: gateway.stateDir.appendingPathComponent("status/status.json")))
                                   as? [String: Any])
        XCTAssertEqual(status["reason"] as? String, "invalid_desired_state")
        XCTAssertEqual((status["desired"] as? [String: Any])?["id"] as? String, commit)
        let published = shell("git show reconcile-status:status/home/status.json", in: repo.bare, environment: environment)
        XCTAssertTrue(published.output.contains(commit), published.output)

        // A good commit applies and exits 0 though its news (a host now public) reaches no target.
        _ = try repo.commit("domain: gateway.test\nservices:\n  first:\n    host: first\n    upstream: 127.0.0.1:\(gateway.homeAssistantPort)\n", "fix")
        let fixed = try apply(dead)
        XCTAssertEqual(fixed.status, 0, fixed.output)
        XCTAssertTrue(fixed.stderr.contains("exposure_widened notification not sent"), fixed.stderr)
        XCTAssertEqual(gateway.fetch("first.gateway.test"), "home assistant")
    }
}
