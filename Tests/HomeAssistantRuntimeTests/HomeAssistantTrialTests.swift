import Adapters
import Foundation
import TestSupport
import XCTest

/// Home Assistant's own trial (2026.8+, with a token): configure → probe → promote, against
/// `HomeAssistantWebSocketDouble` (2026.8 cannot run here) through the real WebSocket client.
final class HomeAssistantTrialTests: XCTestCase {
    let token = "eyJhbGciOiJIUzI1NiJ9.test-token-never-shown"

    /// data.stable of the core#182040 file, and the same with the mask back.
    func slots() throws -> (corrupted: [String: Any], repaired: [String: Any]) {
        let data = try Data(contentsOf: packageRoot.appendingPathComponent("Tests/HomeAssistantTests/Fixtures/storage-http-182040.json"))
        let tree = try XCTUnwrap(JSONSerialization.jsonObject(with: data) as? [String: Any])
        let stable = try XCTUnwrap((tree["data"] as? [String: Any])?["stable"] as? [String: Any])
        var repaired = stable
        repaired["trusted_proxies"] = ["127.0.0.1/32", "172.16.0.0/12", "::1/128"]
        return (stable, repaired)
    }

    func session(_ double: HomeAssistantWebSocketDouble, token: String? = nil, window: Duration = .seconds(240)) -> HomeAssistantTrialSession {
        HomeAssistantTrialSession(trial: HomeAssistantTrial(
            address: "127.0.0.1", port: double.port, token: token ?? self.token,
            readiness: HomeAssistantReadiness(timeout: .seconds(5), interval: .milliseconds(50)), window: window, requestTimeout: 5))
    }

    /// A planned `.storage/http` whose `data.stable` is `stable`, as the apply hands it to the session.
    func storage(_ stable: [String: Any]) throws -> [UInt8] {
        Array(try JSONSerialization.data(withJSONObject: ["version": 2, "minor_version": 3, "key": "http", "data": ["stable": stable]]))
    }

    func testAPassingProbeIsPromotedWithinTheWindow() throws {
        let (corrupted, repaired) = try slots()
        let double = try HomeAssistantWebSocketDouble(token: token, stable: corrupted)
        let trial = session(double)
        try trial.configureTrial(storage: try storage(repaired))
        XCTAssertEqual(double.state.active, "pending", "the probe (next) runs against the trial")
        try trial.promoteTrial()
        XCTAssertEqual(double.state.stable["trusted_proxies"] as? [String], ["127.0.0.1/32", "172.16.0.0/12", "::1/128"])
        XCTAssertNil(double.state.pending)
        // The whole config, metadata stripped.
        let sent = try XCTUnwrap(double.configured.first)
        XCTAssertEqual(Set(sent.keys), Set(repaired.keys).subtracting(["created_at", "error", "error_message"]))
        XCTAssertEqual(sent["server_port"] as? Int, 8123)
        XCTAssertEqual(double.received.compactMap { $0["type"] as? String }, ["http/config/configure", "http/config", "http/config/promote"])
    }

    func testATrialThatIsNotPromotedRevertsByItselfAndCannotBePromotedLater() throws {
        let (corrupted, repaired) = try slots()
        let double = try HomeAssistantWebSocketDouble(token: token, stable: corrupted)
        try session(double).configureTrial(storage: try storage(repaired))
        // The probe failed: the apply does not promote.
        XCTAssertEqual(double.state.active, "pending", "the trial runs until its window ends")
        double.revert()
        XCTAssertEqual(double.state.active, "stable")
        XCTAssertEqual(double.state.stable["trusted_proxies"] as? [String], corrupted["trusted_proxies"] as? [String])
        XCTAssertEqual(double.state.pending?["error"] as? String, "not_promoted")
        // A failed pending cannot be promoted afterwards.
        let socket = try HomeAssistantWebSocket(address: "127.0.0.1", port: double.port, token: token)
        XCTAssertThrowsError(try socket.command("http/config/promote")) { error in
            XCTAssertEqual((error as? HomeAssistantWebSocketError)?.code, "not_allowed")
        }
    }

    func testPromotingPastTheWindowOrWithoutAConfigureIsRefused() throws {
        let (corrupted, repaired) = try slots()
        let double = try HomeAssistantWebSocketDouble(token: token, stable: corrupted)
        XCTAssertThrowsError(try session(double).promoteTrial()) { error in
            XCTAssertTrue("\(error)".contains("no trial was configured"), "\(error)")
        }
        let late = session(double, window: .milliseconds(1))
        try late.configureTrial(storage: try storage(repaired))
        Thread.sleep(forTimeInterval: 0.01)
        XCTAssertThrowsError(try late.promoteTrial()) { error in
            XCTAssertTrue("\(error)".contains("too late to promote"), "\(error)")
        }
        XCTAssertFalse(double.received.contains { $0["type"] as? String == "http/config/promote" })
    }

    func testAWrongTokenIsRefusedWithoutShowingItOrLeakingItsConnection() throws {
        let (corrupted, repaired) = try slots()
        let double = try HomeAssistantWebSocketDouble(token: token, stable: corrupted)
        let wrong = "wrong-secret-token-1234"
        let openBefore = try FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd").count
        for _ in 1...20 {
            XCTAssertThrowsError(try session(double, token: wrong).configureTrial(storage: try storage(repaired))) { error in
                let text = "\(error)"
                XCTAssertTrue(text.contains("auth_invalid"), text)
                XCTAssertFalse(text.contains(wrong), text)
                XCTAssertEqual((error as? HomeAssistantWebSocketError)?.code, "auth_invalid")
            }
        }
        let openAfter = try FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd").count
        XCTAssertLessThan(openAfter - openBefore, 5, "each refused connection is closed (by the socket's deinit)")
        XCTAssertTrue(double.configured.isEmpty)
    }

    func testTheTokenIsTheFilesFirstLine() throws {
        let directory = TemporaryDirectory()
        let file = directory.file("token", "  \(token)  \nsecond line\n", mode: 0o600)
        XCTAssertEqual(try HomeAssistantToken.read(file: file), token)
        XCTAssertThrowsError(try HomeAssistantToken.read(file: directory.file("empty", "\n", mode: 0o600))) { error in
            XCTAssertTrue("\(error)".contains("empty"), "\(error)")
        }
        XCTAssertThrowsError(try HomeAssistantToken.read(file: directory.sub("missing")))
    }

    /// An administrator's token others on the machine can read is already leaked: refused with the fix.
    func testATokenFileGroupOrOthersCanReadIsRefusedWithTheFix() throws {
        let directory = TemporaryDirectory()
        for mode in [0o644, 0o640, 0o604, 0o620] {
            let file = directory.file("token-\(String(mode, radix: 8))", token + "\n", mode: mode)
            XCTAssertThrowsError(try HomeAssistantToken.read(file: file), "mode \(String(mode, radix: 8))") { error in
                XCTAssertTrue("\(error)".contains("chmod 600 \(file)"), "\(error)")
                XCTAssertFalse("\(error)".contains(token))
            }
        }
        XCTAssertThrowsError(try HomeAssistantToken.read(file: "/dev/zero")) { error in
            XCTAssertTrue("\(error)".contains("not a regular file"), "\(error)")
        }
    }
}
