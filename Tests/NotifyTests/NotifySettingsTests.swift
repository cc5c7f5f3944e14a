import Controller
import Diagnostics
import Notifications
import XCTest

/// `notify:` of the settings file: every mistake at its file:line:column, with what to do.
final class NotifySettingsTests: XCTestCase {
    func parse(_ text: String) throws(DiagnosticList) -> SettingsFile {
        try SettingsFile.parse(Array(text.utf8), file: "config.yaml")
    }

    func problems(_ text: String) -> [String] {
        do {
            _ = try parse(text)
            return []
        } catch {
            return error.diagnostics.map(\.description)
        }
    }

    func testTheThreeChannelsWithTheirFilesAndEvents() throws {
        let settings = try parse("""
            notify:
              - ntfy: https://ntfy.example.org/alerts
                token_file: /etc/reconcile/ntfy-token
              - webhook: https://hooks.example.org/x
                secret_file: /etc/reconcile/notify-secret
                events: [commit_refused, recovered]
              - apprise: /etc/reconcile/apprise-urls
            """)
        XCTAssertEqual(settings.notify, [
            NotifyTarget(channel: .ntfy(topicURL: "https://ntfy.example.org/alerts", tokenFile: "/etc/reconcile/ntfy-token")),
            NotifyTarget(channel: .webhook(url: "https://hooks.example.org/x", secretFile: "/etc/reconcile/notify-secret"),
                         events: [.commitRefused, .recovered]),
            NotifyTarget(channel: .apprise(urlFile: "/etc/reconcile/apprise-urls")),
        ])
    }

    func testMistakesArePositioned() {
        XCTAssertEqual(problems("notify:\n  - ntfy: https://ntfy.sh/a\n    tokn_file: /x\n"),
                       ["config.yaml:3:5: unknown setting 'notify.tokn_file' (did you mean 'token_file'?)"])
        XCTAssertEqual(problems("notify:\n  - ntfy: https://ntfy.sh/a\n    webhook: https://x/y\n"),
                       ["config.yaml:2:5: a notify target names more than one channel (ntfy, webhook) (one of: ntfy, webhook, apprise)"])
        XCTAssertEqual(problems("notify:\n  - webhook: https://x/y\n    token_file: /t\n"),
                       ["config.yaml:3:17: 'token_file' belongs to a ntfy target, not to webhook"])
        XCTAssertEqual(problems("notify:\n  - ntfy: https://ntfy.sh/a\n    events: [commit_refusd]\n"),
                       ["config.yaml:3:14: 'commit_refusd' is not an event (did you mean 'commit_refused'?)"])
        XCTAssertEqual(problems("notify:\n  - ntfy: ntfy.sh/alerts\n"),
                       ["config.yaml:2:11: 'ntfy' must be the topic's URL (e.g. https://ntfy.sh/my-gateway-alerts)"])
    }

    /// As git's token: an ntfy token never crosses a network over plain http://; a server on this machine may.
    func testAnNtfyTokenIsNeverSentOverPlainHTTPToAnotherMachine() throws {
        XCTAssertEqual(problems("notify:\n  - ntfy: http://ntfy.lan:8090/alerts\n    token_file: /etc/reconcile/ntfy-token\n"),
                       ["config.yaml:2:11: a token_file is never sent over plain http:// to another machine (http://ntfy.lan:8090/alerts): anyone on the way could read it (use the server's https:// URL, or reach it on this machine (http://127.0.0.1:PORT/…))"])
        for url in ["http://127.0.0.1:8090/alerts", "http://[::1]:8090/alerts", "http://localhost/alerts"] {
            XCTAssertEqual(try parse("notify:\n  - ntfy: \(url)\n    token_file: /t\n").notify?.count, 1, url)
        }
        XCTAssertEqual(try parse("notify:\n  - ntfy: http://ntfy.lan:8090/alerts\n").notify?.count, 1, "no token, nothing to leak")
    }

    func testAnAppriseURLIsRefusedInTheSettingsFileSinceItHoldsTokens() {
        let found = problems("notify:\n  - apprise: tgram://123456:SECRET/987\n")
        XCTAssertEqual(found.count, 1)
        XCTAssertTrue(found.first?.hasPrefix("config.yaml:2:14: 'apprise' is the path of a file holding the Apprise URL") == true, "\(found)")
        XCTAssertFalse(found.joined().contains("SECRET"), "the diagnostic does not repeat the URL")
    }

    func testTheCommandLinesLayerKeepsTheFilesTargets() throws {
        let file = try parse("notify:\n  - ntfy: https://ntfy.sh/a\n")
        XCTAssertEqual(SettingsFile().over(file).notify?.count, 1)
    }
}
