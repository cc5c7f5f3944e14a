import Crypto
import Foundation
import TestSupportCore
import Webhooks
import XCTest

/// Every forge's signature, computed here with swift-crypto (and once with openssl) from the secret and
/// the body: none is pasted in.
final class WebhookVerifierTests: XCTestCase {
    let secret = Array("a shared secret, 32 bytes or so.".utf8)
    let push = Array(#"{"ref":"refs/heads/main","after":"0123456789abcdef0123456789abcdef01234567","commits":[]}"#.utf8)

    func verifier(branch: String? = "main", maxBody: Int = WebhookSettings.defaultMaxBodyBytes, secrets: [[UInt8]]? = nil) -> WebhookVerifier {
        WebhookVerifier(settings: WebhookSettings(secrets: secrets ?? [secret], maxBodyBytes: maxBody, branch: branch,
                                                  statusBranch: "reconcile-status"))
    }

    func hmac(_ body: [UInt8], key: [UInt8]? = nil) -> String {
        HMAC<SHA256>.authenticationCode(for: body, using: SymmetricKey(data: key ?? secret)).map { String(format: "%02x", $0) }.joined()
    }

    func headers(_ forge: Forge, body: [UInt8], key: [UInt8]? = nil, delivery: String = UUID().uuidString, event: String? = nil) -> [(name: String, value: String)] {
        let mac = hmac(body, key: key)
        switch forge {
        case .github:
            return [("X-Hub-Signature-256", "sha256=" + mac), ("X-GitHub-Delivery", delivery), ("X-GitHub-Event", event ?? "push")]
        case .gitea:
            return [("X-Gitea-Signature", mac), ("X-Gitea-Delivery", delivery), ("X-Gitea-Event", event ?? "push")]
        case .forgejo:
            return [("X-Forgejo-Signature", mac), ("X-Forgejo-Delivery", delivery), ("X-Forgejo-Event", event ?? "push")]
        case .gitlab:
            return [("X-Gitlab-Token", String(decoding: key ?? secret, as: UTF8.self)), ("X-Gitlab-Event-UUID", delivery),
                    ("X-Gitlab-Event", event ?? "Push Hook")]
        case .generic:
            return [("X-Reconcile-Signature", "sha256=" + mac), ("X-Reconcile-Delivery", delivery)]
        }
    }

    func testEachForgeAcceptsItsRealSignature() {
        for forge in Forge.allCases {
            var verifier = verifier()
            let verdict = verifier.verify(headers: headers(forge, body: push), body: push)
            XCTAssertEqual(verdict, .accepted(verdict.delivery!), "\(forge)")
            XCTAssertEqual(verdict.delivery?.forge, forge)
            XCTAssertEqual(verdict.delivery?.ref, "refs/heads/main")
            XCTAssertEqual(verdict.httpStatus, 202)
        }
    }

    func testEachForgeRejectsAWrongSecret() {
        let wrong = Array("not the shared secret".utf8)
        for forge in Forge.allCases {
            var verifier = verifier()
            let verdict = verifier.verify(headers: headers(forge, body: push, key: wrong), body: push)
            guard case .unauthorized = verdict else { return XCTFail("\(forge): \(verdict)") }
            XCTAssertEqual(verdict.httpStatus, 401)
        }
    }

    func testEachHMACForgeRejectsATamperedBody() {
        for forge in Forge.allCases where forge != .gitlab {
            var verifier = verifier()
            var body = push
            body[body.count - 3] = UInt8(ascii: "1")   // "commits":[1] — the signature was made for the original
            let verdict = verifier.verify(headers: headers(forge, body: push), body: body)
            XCTAssertEqual(verdict, .unauthorized(reason: "the signature does not match"), "\(forge)")
        }
    }

    func testMissingMalformedAndRepeatedSignaturesAre401() {
        var verifier = verifier()
        XCTAssertEqual(verifier.verify(headers: [], body: push).httpStatus, 401)
        XCTAssertEqual(verifier.verify(headers: [("X-Hub-Signature-256", hmac(push))], body: push).httpStatus, 401, "no sha256= prefix")
        XCTAssertEqual(verifier.verify(headers: [("X-Hub-Signature-256", "sha256=zz")], body: push).httpStatus, 401)
        XCTAssertEqual(verifier.verify(headers: [("X-Gitea-Signature", String(hmac(push).dropLast(2)))], body: push).httpStatus, 401, "truncated")
        let twice = [("X-Hub-Signature-256", "sha256=" + hmac(push)), ("x-hub-signature-256", "sha256=" + hmac(push))]
        XCTAssertEqual(verifier.verify(headers: twice, body: push).httpStatus, 401)
    }

    func testHeaderNamesAreCaseInsensitiveAndHexCaseIsFree() {
        var verifier = verifier()
        let verdict = verifier.verify(headers: [("x-hub-signature-256", "sha256=" + hmac(push).uppercased()), ("x-github-event", "push")], body: push)
        XCTAssertEqual(verdict.label, "accepted")
    }

    /// The generic form is what deploy/post-receive sends with `openssl dgst -sha256 -hmac`: the same bytes must verify.
    func testOpenSSLSignatureVerifies() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("webhook-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let bodyFile = directory.appendingPathComponent("body")
        try Data(push).write(to: bodyFile)
        let openssl = try TestSupportCore.run(["/usr/bin/openssl", "dgst", "-sha256", "-hmac", String(decoding: secret, as: UTF8.self), "-r", bodyFile.path])
        let mac = openssl.stdout.split(separator: " ").first.map(String.init) ?? ""
        XCTAssertEqual(mac.count, 64, "openssl printed \(mac)")
        var verifier = verifier()
        XCTAssertEqual(verifier.verify(headers: [("X-Reconcile-Signature", "sha256=" + mac)], body: push).label, "accepted")
    }

    func testReplayedDeliveryIsIgnored() {
        var verifier = verifier()
        let sent = headers(.github, body: push, delivery: "72d3162e-cc78-11e3-81ab-4c9367dc0958")
        XCTAssertEqual(verifier.verify(headers: sent, body: push).label, "accepted")
        let again = verifier.verify(headers: sent, body: push)
        guard case .ignored(_, let reason) = again else { return XCTFail("\(again)") }
        XCTAssertTrue(reason.contains("already received"), reason)
        XCTAssertEqual(again.httpStatus, 202)
        // New content under a new id is a new delivery.
        let next = Array(#"{"ref":"refs/heads/main","after":"1123456789abcdef0123456789abcdef01234567","commits":[]}"#.utf8)
        XCTAssertEqual(verifier.verify(headers: headers(.github, body: next, delivery: "another"), body: next).label, "accepted")
    }

    /// The delivery id is not covered by the signature: a captured body sent again under a new id, or none,
    /// is still a replay, for every forge.
    func testASignedBodyReplayedWithANewOrNoDeliveryIDIsIgnored() {
        for forge in Forge.allCases {
            var verifier = verifier()
            XCTAssertEqual(verifier.verify(headers: headers(forge, body: push, delivery: "first"), body: push).label, "accepted", "\(forge)")
            let renamed = verifier.verify(headers: headers(forge, body: push, delivery: "second"), body: push)
            guard case .ignored(_, let reason) = renamed else { return XCTFail("\(forge): a new id replays the body: \(renamed)") }
            XCTAssertTrue(reason.contains("already received"), reason)
            let anonymous = headers(forge, body: push).filter { !$0.name.lowercased().contains("delivery") && !$0.name.lowercased().contains("uuid") }
            XCTAssertEqual(verifier.verify(headers: anonymous, body: push).label, "ignored", "\(forge): no id replays the body")
        }
    }

    /// An unsigned request carrying a delivery id must not burn that id for the real delivery.
    func testUnauthenticatedDeliveryIDIsNotRemembered() {
        var verifier = verifier()
        let forged = [("X-Hub-Signature-256", "sha256=" + hmac(push, key: Array("guess".utf8))), ("X-GitHub-Delivery", "id-1")]
        XCTAssertEqual(verifier.verify(headers: forged, body: push).httpStatus, 401)
        XCTAssertEqual(verifier.verify(headers: headers(.github, body: push, delivery: "id-1"), body: push).label, "accepted")
    }

    func testReplayMemoryForgetsTheOldestOnly() {
        var memory = ReplayMemory(capacity: 3)
        for id in ["a", "b", "c", "d"] { XCTAssertTrue(memory.insert(id)) }
        XCTAssertFalse(memory.contains("a"))
        XCTAssertTrue(memory.contains("b") && memory.contains("c") && memory.contains("d"))
        XCTAssertFalse(memory.insert("d"))
        XCTAssertEqual(memory.count, 3)
    }

    func testOversizedBodyIs413BeforeAnyCheck() {
        var verifier = verifier(maxBody: 64)
        let big = Array(repeating: UInt8(ascii: " "), count: 65)
        XCTAssertEqual(verifier.verify(headers: headers(.github, body: big), body: big), .tooLarge(limit: 64))
        // Unsigned, still 413: the size is decided first, nothing big is hashed.
        XCTAssertEqual(verifier.verify(headers: [], body: big).httpStatus, 413)
        // A declared length over the limit is refused even when the body was cut short.
        XCTAssertEqual(verifier.verify(headers: [("Content-Length", "100000")], body: []).httpStatus, 413)
        let small = Array(#"{"ref":"refs/heads/main"}"#.utf8)
        XCTAssertEqual(verifier.verify(headers: headers(.github, body: small), body: small).label, "accepted")
    }

    func testWrongBranchTagAndStatusBranchAreAcknowledgedAndIgnored() {
        for (ref, expected) in [("refs/heads/feature", "not the followed branch"), ("refs/tags/v1", "not a branch"),
                                ("refs/heads/reconcile-status", "status branch")] {
            var verifier = verifier()
            let body = Array(#"{"ref":"\#(ref)"}"#.utf8)
            let verdict = verifier.verify(headers: headers(.gitea, body: body), body: body)
            guard case .ignored(_, let reason) = verdict else { return XCTFail("\(ref): \(verdict)") }
            XCTAssertTrue(reason.contains(expected), reason)
            XCTAssertEqual(verdict.httpStatus, 202)
        }
    }

    func testWithoutAFollowedBranchAnyBranchButTheStatusOneWakes() {
        var verifier = verifier(branch: nil)
        let feature = Array(#"{"ref":"refs/heads/anything"}"#.utf8)
        XCTAssertEqual(verifier.verify(headers: headers(.gitlab, body: feature), body: feature).label, "accepted")
        let status = Array(#"{"ref":"refs/heads/reconcile-status"}"#.utf8)
        XCTAssertEqual(verifier.verify(headers: headers(.gitlab, body: status), body: status).label, "ignored")
    }

    func testNonPushEventsAreIgnored() {
        var verifier = verifier()
        let ping = Array(#"{"zen":"Keep it logically awesome.","hook_id":1}"#.utf8)
        XCTAssertEqual(verifier.verify(headers: headers(.github, body: ping, event: "ping"), body: ping).label, "ignored")
        XCTAssertEqual(verifier.verify(headers: headers(.gitlab, body: push, event: "Tag Push Hook"), body: push).label, "ignored")
    }

    func testSignedButUnreadableIs400() {
        var verifier = verifier()
        for body in [Array("not json".utf8), Array("[1,2]".utf8), Array(#"{"ref": 7}"#.utf8), [0xFF, 0xFE, 0x00]] {
            let verdict = verifier.verify(headers: headers(.github, body: body), body: body)
            XCTAssertEqual(verdict.httpStatus, 400, "\(body): \(verdict)")
        }
        // Unsigned garbage is 401, not 400: nothing unauthenticated is parsed.
        XCTAssertEqual(verifier.verify(headers: [], body: Array("not json".utf8)).httpStatus, 401)
    }

    func testGenericFormMayHaveAnEmptyBody() {
        var verifier = verifier()
        XCTAssertEqual(verifier.verify(headers: headers(.generic, body: []), body: []).label, "accepted")
        XCTAssertEqual(verifier.verify(headers: headers(.github, body: []), body: []).label, "ignored", "a forge push always names its ref")
    }

    func testASecondSecretLineAllowsRotation() {
        let old = Array("the old secret".utf8)
        var verifier = verifier(secrets: WebhookSettings.secrets(fromFile: Array("  \(String(decoding: secret, as: UTF8.self))\r\n\nthe old secret \n".utf8)))
        XCTAssertEqual(verifier.settings.secrets, [secret, old])
        XCTAssertEqual(verifier.verify(headers: headers(.forgejo, body: push, key: old), body: push).label, "accepted")
        XCTAssertNil(WebhookSettings.secrets(fromFile: Array(" \n\n".utf8)))
    }

    /// What a fuzzer would do, in small: random headers and bodies always give a verdict.
    func testArbitraryBytesNeverCrash() {
        var generator = SystemRandomNumberGenerator()
        var verifier = verifier(maxBody: 512)
        let names = ["X-Hub-Signature-256", "X-Gitea-Signature", "X-Gitlab-Token", "X-Reconcile-Signature", "Content-Length", "X-GitHub-Event"]
        for _ in 0..<2000 {
            let body = (0..<Int.random(in: 0..<600, using: &generator)).map { _ in UInt8.random(in: 0...255, using: &generator) }
            let value = String(decoding: (0..<Int.random(in: 0..<80, using: &generator)).map { _ in UInt8.random(in: 0...255, using: &generator) }, as: UTF8.self)
            let verdict = verifier.verify(headers: [(names.randomElement(using: &generator)!, "sha256=" + value)], body: body)
            XCTAssertTrue([400, 401, 413, 202].contains(verdict.httpStatus))
        }
    }
}
