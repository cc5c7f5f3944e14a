import Compose
import DesiredState
import Diagnostics
import XCTest
@testable import Policy

/// The gateway policy file and what it refuses.
final class PolicyCheckTests: XCTestCase {
    let hash = "$2a$14$2ZTXvhIT42MeaQLN0yo1xuI8ShVC52L8XXlba4vl6DOhcU1fPi2gG"

    func desired(_ text: String) throws -> DesiredState {
        try DesiredStateParser.parse(Array(text.utf8), file: "exposure.yaml")
    }

    func policy(_ text: String) throws -> GatewayPolicy {
        try PolicyParser.parse(Array(text.utf8), file: "/etc/reconcile/policy.yaml")
    }

    var state: String {
        """
        domain: example.com
        services:
          homeassistant:
            host: "@"
            upstream: host.docker.internal:8123
            compose_service: homeassistant
            basic_auth: {alice: "\(hash)"}
          nextcloud:
            host: cloud
            upstream: host.docker.internal:8092
            access: [192.168.1.0/24]
          db:
            host: db
            upstream: host.docker.internal:5432
            compose_service: postgres
            access: [192.168.1.0/24, 203.0.113.0/24]

        """
    }

    func testEachRuleNamesItsPolicyLineAndTheDesiredStateLine() throws {
        let rules = try policy("""
        # set on the gateway
        never_expose: [postgres]
        forbidden_upstream_ports: [22, 5432]
        require_auth: [nextcloud]
        require_lan: [db]
        require_auth_or_lan: ["*"]
        max_exposed_hosts: 2

        """)
        let found = PolicyCheck.violations(of: rules, in: try desired(state)).map(\.description)
        XCTAssertEqual(found, [
            "exposure.yaml:8:3: refused by the gateway policy: service 'nextcloud' needs basic_auth (rule require_auth at /etc/reconcile/policy.yaml:4:16) (this rule is set on the gateway, not in the repo: add basic_auth with a hash from `caddy hash-password` (own_login does not count: a commit can set it))",
            "exposure.yaml:12:3: refused by the gateway policy: service 'db' must never be exposed (rule never_expose at /etc/reconcile/policy.yaml:2:16) (this rule is set on the gateway, not in the repo: remove 'db' from the desired state)",
            "exposure.yaml:12:3: refused by the gateway policy: service 'db' publishes upstream port 5432 (rule forbidden_upstream_ports at /etc/reconcile/policy.yaml:3:32) (this rule is set on the gateway, not in the repo: publish another port, or remove the service)",
            "exposure.yaml:16:13: refused by the gateway policy: service 'db' must be reachable from the LAN only, and its access is 192.168.1.0/24, 203.0.113.0/24 (rule require_lan at /etc/reconcile/policy.yaml:5:15) (this rule is set on the gateway, not in the repo: write access: lan, or networks inside 10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16, 127.0.0.0/8, ::1/128, 169.254.0.0/16, fe80::/10, fc00::/7)",
            "exposure.yaml:16:13: refused by the gateway policy: service 'db' needs basic_auth or LAN-only access (rule require_auth_or_lan at /etc/reconcile/policy.yaml:6:23) (this rule is set on the gateway, not in the repo: add basic_auth, or write access: lan)",
            "exposure.yaml:12:3: refused by the gateway policy: 3 hosts are declared, at most 2 may be exposed; 'db' is the first over the limit (rule max_exposed_hosts at /etc/reconcile/policy.yaml:7:20) (this rule is set on the gateway, not in the repo: declare fewer services)",
        ])
    }

    /// Issue #23: `never_expose: [portainer]` let `portainer-renamed` with the same upstream through. A rule's
    /// name is matched against the gateway's own compose file: the ports the service publishes and its
    /// container's names, which a commit does not choose.
    func testARuleHoldsForAServiceRenamedInTheCommitThatReachesTheSameContainer() throws {
        let compose = Array("""
        services:
          portainer:
            image: portainer/portainer-ce
            ports: ["127.0.0.1:9000:9000", {published: 9443, target: 9443}]
          other:
            container_name: my-nas
            ports: ["9000"]
        """.utf8)
        let gateway = GatewayServices(file: "docker-compose.yml",
                                      services: ComposeServiceIdentities.read(composeBytes: compose, composeFile: "docker-compose.yml"))
        XCTAssertEqual(gateway.services.map(\.publishedPorts), [[9000, 9443], []])
        let rules = try policy("never_expose: [portainer]\n")
        func refused(_ upstream: String) throws -> [String] {
            let state = try desired("domain: example.com\nservices:\n  portainer-renamed:\n    host: p\n    upstream: \(upstream)\n")
            return PolicyCheck.violations(of: rules, in: state, gateway: gateway).map(\.message)
        }
        XCTAssertEqual(try refused("host.docker.internal:9000"), [
            "refused by the gateway policy: service 'portainer-renamed' must never be exposed: its upstream port 9000 is published by compose service 'portainer' (docker-compose.yml:2) (rule never_expose at /etc/reconcile/policy.yaml:1:16)",
        ])
        XCTAssertEqual(try refused("192.168.1.10:9443").count, 1, "any address of the gateway reaches a published port")
        XCTAssertEqual(try refused("portainer:9000").first?.contains("its upstream host portainer is the container of compose service 'portainer'"), true)
        XCTAssertEqual(try refused("mapio-portainer-1:8000").count, 1, "Compose v2's container name")
        XCTAssertEqual(try refused("mapio_portainer_1:8000").count, 1, "Compose v1's container name")
        XCTAssertEqual(try refused("host.docker.internal:8096"), [], "another port is another service")
        XCTAssertEqual(try refused("my-nas:9000"), [], "port 9000 of another container is not portainer's host port")
        XCTAssertEqual(try refused("mapio-portainerx-1:9001"), [])
        // Without the compose file, only the names the commit declares are matched (as before).
        let state = try desired("domain: example.com\nservices:\n  portainer-renamed:\n    host: p\n    upstream: host.docker.internal:9000\n")
        XCTAssertEqual(PolicyCheck.violations(of: rules, in: state), [])
    }

    func testASatisfiedPolicyAndAnEmptyOneRefuseNothing() throws {
        let rules = try policy("require_auth_or_lan: ['*']\nforbidden_upstream_ports: [22]\nmax_exposed_hosts: 3\nnever_expose: [zigbee2mqtt]\n")
        XCTAssertFalse(rules.isEmpty)
        var fixed = state.replacingOccurrences(of: ", 203.0.113.0/24", with: "")
        XCTAssertEqual(PolicyCheck.violations(of: rules, in: try desired(fixed)), [])
        fixed = fixed.replacingOccurrences(of: ":8092\n    access: [192.168.1.0/24]\n", with: ":8092\n    own_login: true\n")
        XCTAssertEqual(PolicyCheck.violations(of: rules, in: try desired(fixed)).count, 1, "own_login is the repo's claim: it does not satisfy the gateway")
        XCTAssertTrue(try policy("# nothing yet\n").isEmpty)
        XCTAssertEqual(PolicyCheck.violations(of: try policy(""), in: try desired(state)), [])
    }

    func testTheDeployExampleParsesAndRefusesThePublicNextcloudOfTheExampleRepo() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let rules = try PolicyParser.parse(Array(try Data(contentsOf: root.appendingPathComponent("deploy/policy.example.yaml"))), file: "policy.yaml")
        XCTAssertEqual(rules.forbiddenUpstreamPorts.map(\.value), [22, 2375, 2376, 3306, 5432, 6379, 2019])
        let example = try DesiredStateParser.parse(Array(try Data(contentsOf: root.appendingPathComponent("example-repo/exposure.yaml"))), file: "exposure.yaml")
        let found = PolicyCheck.violations(of: rules, in: example)
        XCTAssertEqual(found.map(\.message), ["refused by the gateway policy: service 'nextcloud' must be reachable from the LAN only, and its access is public (rule require_lan at policy.yaml:19:15)"])
    }

    func testABadPolicyFileIsReportedWithPositions() {
        do {
            _ = try policy("never_expose: db\nmax_exposed_hosts: many\nrequire_ath: [x]\nforbidden_upstream_ports: [70000]\n")
            XCTFail("accepted")
        } catch let list as DiagnosticList {
            XCTAssertEqual(list.diagnostics.map(\.description), [
                "/etc/reconcile/policy.yaml:1:15: 'never_expose' expects a list of service names (e.g. never_expose: [homeassistant, nextcloud], or [\"*\"] for every service)",
                "/etc/reconcile/policy.yaml:2:20: 'many' is not a number of hosts (0-100000)",
                "/etc/reconcile/policy.yaml:3:1: unknown policy rule 'require_ath' (did you mean 'require_auth'?)",
                "/etc/reconcile/policy.yaml:4:28: '70000' is not a port number (1-65535)",
            ])
        } catch {
            XCTFail("\(error)")
        }
    }
}
