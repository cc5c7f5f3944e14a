import Networks
import Diagnostics
@testable import HomeAssistant
import XCTest

/// Networks as Home Assistant's `ip_network` reads and prints them.
final class IPNetworkTests: XCTestCase {
    func network(_ text: String) -> String? { try? IPNetwork.parse(text).get().description }

    func testNormalisesLikePythonIPNetwork() {
        let cases = ["127.0.0.1": "127.0.0.1/32", "::1": "::1/128", "172.16.0.0/12": "172.16.0.0/12",
                     "10.0.0.0/255.0.0.0": "10.0.0.0/8", "FE80::/10": "fe80::/10", "2001:db8:0:0:0:0:0:1": "2001:db8::1/128",
                     "2001:0:0:1:0:0:0:1": "2001:0:0:1::1/128", "::": "::/128", "::ffff:192.168.1.1": "::ffff:c0a8:101/128",
                     "1:0:0:0:0:0:0:0/16": "1::/16", "fd00:1:2:3:4:5:6:7/128": "fd00:1:2:3:4:5:6:7/128"]
        for (input, expected) in cases { XCTAssertEqual(network(input), expected, input) }
    }

    func testRejectsWhatPythonRejects() {
        for bad in ["10.0.0.1/8", "256.0.0.1", "01.2.3.4", "1.2.3", "1.2.3.4/33", "::1/129", "1:::2", "1::2::3", "fe80::1%eth0",
                    "12345::", "", "/8", "10.0.0.0/", "10.0.0.0/+8", "10.0.0.0/255.0.255.0", "host.docker.internal", "1:2:3:4:5:6:7:8:9"] {
            XCTAssertNil(network(bad), bad)
        }
        XCTAssertEqual(IPNetwork.parse("10.0.0.1/8"), .failure(.hostBitsSet("10.0.0.1/8", network: "10.0.0.0/8")))
    }

    func testContainment() throws {
        let docker = try IPNetwork.parse("172.16.0.0/12").get()
        XCTAssertTrue(docker.contains(try IPNetwork.parse("172.18.0.1").get()))
        XCTAssertFalse(docker.contains(try IPNetwork.parse("172.32.0.1").get()))
        XCTAssertFalse(docker.contains(try IPNetwork.parse("::1").get()))
        XCTAssertFalse(try IPNetwork.parse("172.18.0.0/16").get().contains(docker))
    }

    func testPolicyValidation() {
        XCTAssertNoThrow(try ProxyTrustPolicy().validate(file: "exposure.yaml"))
        XCTAssertEqual(ProxyTrustPolicy().trustedProxies, ["127.0.0.1", "::1", "172.16.0.0/12"])
        let expectations = [["0.0.0.0/0"]: "trusts every address", ["::/0"]: "trusts every address",
                            ["127.0.0.1", "nope"]: "'nope' is not an IPv4", ["172.16.0.1/12"]: "host bits set (the network is 172.16.0.0/12)",
                            []: "empty"]
        for (proxies, expected) in expectations {
            XCTAssertThrowsError(try ProxyTrustPolicy(trustedProxies: proxies).validate(file: "exposure.yaml", position: .init(line: 7, column: 5))) { error in
                let diagnostic = error as? Diagnostic
                XCTAssertTrue(diagnostic?.message.contains(expected) ?? false, "\(error)")
                XCTAssertEqual(diagnostic?.description.hasPrefix("exposure.yaml:7:5: "), true)
                XCTAssertNotNil(diagnostic?.hint)
            }
        }
    }

    func testDesiredNetworksAreDeduplicatedKeepingTheFirstSpelling() {
        let policy = ProxyTrustPolicy(trustedProxies: ["127.0.0.1", "127.0.0.1/32", "::1", "0:0:0:0:0:0:0:1"])
        XCTAssertEqual(policy.networks.map(\.spelling), ["127.0.0.1", "::1"])
    }
}
