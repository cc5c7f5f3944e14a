import Foundation
import Notifications
import TestSupport
import XCTest
@testable import Adapters

/// The channels' edges: what curl is told, and secret files that are missing or empty.
final class ChannelAdapterTests: XCTestCase {
    func testNothingInAPostCanAddALineToCurlsConfig() {
        let post = OutgoingPost(url: "http://127.0.0.1:1/x\"\nurl = \"http://evil.example/",
                                headers: [.init("Authorization", "Bearer t\"\noutput = \"/etc/passwd")],
                                body: Array("a\"b\\c\nd\re\tf\u{1}g".utf8))
        let lines = String(decoding: CurlPost.config(post, timeout: 2), as: UTF8.self).split(separator: "\n")
        XCTAssertEqual(lines.filter { $0.hasPrefix("url") }.count, 1, "\(lines)")
        XCTAssertEqual(lines.filter { $0.hasPrefix("output") }, [#"output = "/dev/null""#])
        XCTAssertTrue(lines.contains(#"data-binary = "a\"b\\c\nd\re\tf g""#), "\(lines)")
        XCTAssertTrue(lines.contains(#"proto = "=http,https""#), "no file://, no other protocol")
    }

    /// A body arrives byte for byte, DEL included (JSON leaves DEL raw; a changed byte would break the
    /// signature made over it): through the real curl to a real receiver.
    func testABodyArrivesByteForByteThroughCurl() throws {
        let directory = TemporaryDirectory()
        let receiver = try RecordingReceiver(.ok, directory: directory.sub("inbox"))
        let body = Array(#"{"subject":"del\#u{7F}here","n":"é✓"}"#.utf8)
        try CurlPost.send(OutgoingPost(url: "http://127.0.0.1:\(receiver.port)/hook", headers: [], body: body), timeout: 5, target: "t")
        XCTAssertEqual(try receiver.requests().map { Array($0.body) }, [body])
    }

    func testAMissingOrEmptyTokenFileIsAFailureThatNamesTheFileOnly() throws {
        let directory = TemporaryDirectory()
        let message = NotificationMessage(NotificationEvent(gateway: "home", commit: nil, detail: .recovered(after: .applyFailed, reason: "x", since: 0)))
        let missing = NtfyChannel(topicURL: "http://127.0.0.1:1/alerts", tokenFile: directory.sub("nope"))
        XCTAssertThrowsError(try missing.send(message, now: 0, timeout: 1)) { error in
            XCTAssertEqual((error as? NotifyError)?.reason, "cannot use the token file \(directory.sub("nope")): it does not exist (check the path)")
            XCTAssertEqual((error as? NotifyError)?.retryable, true)
        }
        let empty = WebhookChannel(url: "http://127.0.0.1:1/x", secretFile: directory.file("empty", "\n  \n", mode: 0o600))
        XCTAssertThrowsError(try empty.send(message, now: 0, timeout: 1)) { error in
            XCTAssertEqual((error as? NotifyError)?.retryable, false)
        }
        XCTAssertEqual(try readSecret(directory.file("token", "  tk_abc  \nsecond\n", mode: 0o600), what: "token", target: "t"), "tk_abc")
        // A token others may read is refused until its owner fixes the mode: no retry helps.
        XCTAssertThrowsError(try readSecret(directory.file("open-token", "tk_abc\n", mode: 0o644), what: "token", target: "t")) { error in
            XCTAssertEqual((error as? NotifyError)?.retryable, false)
            XCTAssertTrue((error as? NotifyError)?.reason.contains("chmod 600") ?? false, "\(error)")
        }
    }

    func testATargetsNameNeverHoldsItsPathOrCredentials() {
        XCTAssertEqual(NtfyChannel(topicURL: "https://me:pw@ntfy.example.org/secret-topic?x=1", tokenFile: nil).name, "ntfy ntfy.example.org")
        XCTAssertEqual(WebhookChannel(url: "https://hooks.example.org/api/123/TOKEN", secretFile: nil).name, "webhook hooks.example.org")
        // A password written raw, with '#' or '?' in it, never reaches the name.
        XCTAssertEqual(WebhookChannel(url: "https://u:pa#ss@hooks.example.org/x", secretFile: nil).name, "webhook hooks.example.org")
        XCTAssertEqual(WebhookChannel(url: "https://u:p?w@hooks.example.org:8443?q=1", secretFile: nil).name, "webhook hooks.example.org:8443")
    }
}
