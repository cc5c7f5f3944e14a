import Crypto
import Diagnostics
import Foundation
import Notifications
import Webhooks
import XCTest

final class NotificationMessageTests: XCTestCase {
    let commit = CommitRef(id: "c0ffee0000000000000000000000000000000001", subject: "expose jellyfin", author: "Ann <ann@example.org>")

    func testARefusedCommitNamesTheCommitItsAuthorAndTheFirstErrorPosition() {
        let diagnostic = Diagnostic(file: "exposure.yaml", position: SourcePosition(line: 12, column: 5), message: "unknown key 'acess'")
        let message = NotificationMessage(NotificationEvent(gateway: "home", commit: commit, detail: .commitRefused(
            FailureFacts(reason: "invalid_desired_state", retryable: false, message: diagnostic.description, diagnostics: [diagnostic]))))
        XCTAssertEqual(message.title, "home: commit c0ffee000000 refused (invalid_desired_state)")
        XCTAssertTrue(message.body.contains("Commit c0ffee000000 \"expose jellyfin\" by Ann <ann@example.org>"), message.body)
        XCTAssertTrue(message.body.contains("exposure.yaml:12:5: unknown key 'acess'"), message.body)
        XCTAssertTrue(message.body.contains("terminal"), message.body)
        XCTAssertEqual(message.priority, 4)
        XCTAssertTrue(message.tags.contains("commit_refused"))
    }

    func testARollbackNamesTheStepTheReasonWhatWasRestoredAndTheChanges() {
        let facts = ApplyFailureFacts(failure: FailureFacts(reason: "probe_failed", retryable: true, message: "probe of jf.example.org failed"),
                                      step: "probe jf.example.org", restored: ["/usr/local/caddy/Caddyfile"], rollbackFailed: false,
                                      changes: [ChangeFacts(summary: "+ https://jf.example.org -> 10.0.0.5:8096", region: "Caddyfile:12-14",
                                                            restarts: ["caddy"])])
        let message = NotificationMessage(NotificationEvent(gateway: "home", commit: commit, detail: .applyFailed(facts)))
        XCTAssertTrue(message.title.contains("rolled back (probe_failed)"), message.title)
        XCTAssertTrue(message.body.contains("Failed at step probe jf.example.org: probe_failed, retryable"), message.body)
        XCTAssertTrue(message.body.contains("Rolled back: restored /usr/local/caddy/Caddyfile."), message.body)
        XCTAssertTrue(message.body.contains("+ https://jf.example.org -> 10.0.0.5:8096 [Caddyfile:12-14] (restarts caddy)"), message.body)
        XCTAssertEqual(message.priority, 4)
        var failedTwice = facts
        failedTwice.rollbackFailed = true
        let urgent = NotificationMessage(NotificationEvent(gateway: "home", commit: commit, detail: .applyFailed(failedTwice)))
        XCTAssertEqual(urgent.priority, 5)
        XCTAssertTrue(urgent.body.contains("act by hand"), urgent.body)
    }

    func testALongListIsCutWithACount() {
        let changes = (1...40).map { ChangeFacts(summary: "+ https://s\($0).example.org -> 10.0.0.1:\($0)") }
        let diagnostics = (1...30).map { Diagnostic(file: "exposure.yaml", position: SourcePosition(line: $0, column: 1), message: "bad") }
        let message = NotificationMessage(NotificationEvent(gateway: "home", commit: commit, detail: .applyFailed(ApplyFailureFacts(
            failure: FailureFacts(reason: "caddy_rejected", retryable: false, message: "", diagnostics: diagnostics), step: "validate_caddy",
            restored: [], rollbackFailed: false, changes: changes))))
        XCTAssertTrue(message.body.contains("(and 25 more)"), message.body)
        XCTAssertTrue(message.body.contains("  (and 35 more)"), message.body)
        XCTAssertLessThan(message.body.utf8.count, 2048)
    }

    func testAReminderSaysSince() {
        var event = NotificationEvent(gateway: "home", commit: commit, detail: .reconcileFailed(
            FailureFacts(reason: "git_unreachable", retryable: true, message: "cannot connect")))
        event.reminder = true
        event.since = 1_800_000_000
        XCTAssertTrue(NotificationMessage(event).body.contains("Reminder: still failing, since 2027-01-15T08:00:00Z."),
                      NotificationMessage(event).body)
    }

    func testTheNtfyTopicURLIsSplitAtItsLastSegment() {
        XCTAssertEqual(NtfyFormat.split(topicURL: "https://ntfy.sh/alerts")?.server, "https://ntfy.sh/")
        XCTAssertEqual(NtfyFormat.split(topicURL: "https://ntfy.sh/alerts")?.topic, "alerts")
        XCTAssertEqual(NtfyFormat.split(topicURL: "http://10.0.0.2:81/ntfy/alerts/")?.server, "http://10.0.0.2:81/ntfy/")
        XCTAssertNil(NtfyFormat.split(topicURL: "https://ntfy.sh/"))
        XCTAssertNil(NtfyFormat.split(topicURL: "https://ntfy.sh"))
    }

    func testTheWebhookPayloadIsSignedOverItsExactBytes() throws {
        let message = NotificationMessage(NotificationEvent(gateway: "home", commit: commit, detail: .recovered(
            after: .applyFailed, reason: "probe_failed", since: 1000)))
        let secret = Array("s3cret".utf8)
        let post = WebhookFormat.post(message, url: "https://hooks.example.org/x", secret: secret, now: 2000)
        let mac = HMAC<SHA256>.authenticationCode(for: post.body, using: SymmetricKey(data: secret))
        let hex = mac.map { String(format: "%02x", $0) }.joined()
        XCTAssertEqual(post.headers.first { $0.name == "X-Reconcile-Signature" }?.value, "sha256=" + hex)
        let json = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(post.body)) as? [String: Any])
        XCTAssertEqual(json["event"] as? String, "recovered")
        XCTAssertEqual(json["schema"] as? Int, 1)
        XCTAssertEqual((json["commit"] as? [String: Any])?["id"] as? String, commit.id)
        XCTAssertEqual(json["sent_at"] as? String, "1970-01-01T00:33:20Z")
        XCTAssertNil(WebhookFormat.post(message, url: "https://x", secret: nil, now: 0).headers.first { $0.name == "X-Reconcile-Signature" })
    }
}
