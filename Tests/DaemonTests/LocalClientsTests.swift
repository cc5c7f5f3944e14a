import Daemon
import XCTest

/// Who the gateway's own pages answer, address by address (the network-namespace test of
/// `ServeHardeningTests` shows the same through the real listener).
final class LocalClientsTests: XCTestCase {
    func testOnlyTheGatewaysOwnNetworksSpeakingDirectlyAreAnswered() {
        for local in ["127.0.0.1", "127.8.9.10", "::1", "10.1.2.3", "172.17.0.1", "192.168.1.20", "169.254.3.4", "fe80::1", "fd00::5",
                      "::ffff:192.168.1.20", "::ffff:127.0.0.1"] {
            XCTAssertNil(LocalClients.refusal(peer: local, proxied: false), local)
            XCTAssertNotNil(LocalClients.refusal(peer: local, proxied: true), "\(local) through a proxy")
            XCTAssertNil(LocalClients.refusal(peer: local, proxied: true, allowProxied: true), "\(local) through an allowed proxy")
        }
        for outside in ["198.51.100.7", "8.8.8.8", "100.64.0.1", "172.32.0.1", "2001:db8::1", "::ffff:8.8.8.8", "not an address"] {
            let refusal = LocalClients.refusal(peer: outside, proxied: false, allowProxied: true)
            XCTAssertNotNil(refusal, outside)
            XCTAssertTrue(refusal?.contains("own networks") == true, refusal ?? "")
        }
        XCTAssertNotNil(LocalClients.refusal(peer: nil, proxied: false), "an unknown peer is refused")
    }

    func testOnlyLoopbackListenersAreNotWarnedOf() {
        for loopback in ["127.0.0.1", "127.0.0.2", "::1", "localhost"] { XCTAssertTrue(LocalClients.isLoopback(loopback), loopback) }
        for beyond in ["0.0.0.0", "::", "192.168.1.2", "172.17.0.1", "gateway.lan"] { XCTAssertFalse(LocalClients.isLoopback(beyond), beyond) }
    }
}
