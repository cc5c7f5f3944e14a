import Foundation
import TestSupport
import XCTest

/// Issue #16: `reconcile apply` with default settings on the gateway as its OS ships it (see
/// `StockGateway`), under Compose v1 and v2: Caddy is reached in its container (its admin API is not
/// published), the plan says what each client restarts, and the tests check container ids.
final class StockGatewayTests: XCTestCase {
    func testFirstApplyServesThroughTheStockCaddyAndTheSecondTouchesNothingV1() throws { try firstAndSecondApply(.v1) }
    func testFirstApplyServesThroughTheStockCaddyAndTheSecondTouchesNothingV2() throws { try firstAndSecondApply(.v2) }
    func testCaddyRefusingTheConfigRollsBackV1() throws { try caddyRefuses(.v1) }
    func testCaddyRefusingTheConfigRollsBackV2() throws { try caddyRefuses(.v2) }
    func testHomeAssistantAsAComposeServiceRestartsThroughComposeV1() throws { try homeAssistantService(.v1) }
    func testHomeAssistantAsAComposeServiceRestartsThroughComposeV2() throws { try homeAssistantService(.v2) }

    private func assertServes(_ gateway: StockGateway, _ service: String, _ context: String, file: StaticString = #filePath, line: UInt = #line) {
        let answer = gateway.throughCaddy(StockGateway.host(service))
        XCTAssertEqual(answer.status, 200, "\(context): \(StockGateway.host(service)) through 443: \(answer)\n\(gateway.caddyDiagnostics())", file: file, line: line)
        XCTAssertTrue(answer.body.contains("\(service) upstream"), "\(context): \(answer)", file: file, line: line)
    }

    private func firstAndSecondApply(_ client: StockGateway.Client) throws {
        let gateway = try StockGateway(for: self, client: client)
        let before = try gateway.containerIDs()
        XCTAssertEqual(Set(before.keys), ["caddy", "jellyfin", "nextcloud"])
        XCTAssertNotEqual(gateway.throughCaddy(StockGateway.host("jellyfin")).status, 200, "served before it was declared")

        // `reconcile plan` names the way an apply will take, and the Compose client's restarts.
        let planned = try gateway.plan()
        XCTAssertEqual(planned.status, 2, planned.output)
        XCTAssertTrue(planned.stdout.contains("Caddy: loaded by Caddy in its container mapio"), planned.stdout)
        let explained = try gateway.plan(["--verbose"])
        XCTAssertTrue(explained.stdout.contains("Caddy: validated (`caddy adapt --validate`) and loaded (`caddy reload`) by Caddy in its container mapio"), explained.stdout)
        XCTAssertTrue(explained.stdout.contains("auto: the admin API at 127.0.0.1:2019 did not answer"), explained.stdout)
        XCTAssertTrue(planned.stdout.contains(client == .v1 ? "Compose v1 (1.29.2)" : "Compose v2 (2.40.3)"), planned.stdout)

        let first = try gateway.apply()
        XCTAssertEqual(first.status, 0, "\(client): the first apply with default settings failed:\n\(first.output)\n\(gateway.caddyDiagnostics())")
        // The plan says how Caddy is reached and which Caddy it is.
        XCTAssertTrue(first.stdout.contains("by Caddy in its container mapio"), first.stdout)
        XCTAssertTrue(first.stdout.contains("(Caddy v2.11.7)"), first.stdout)
        XCTAssertTrue(first.stdout.contains("Caddy loaded the new Caddyfile through `caddy reload` in its container"), first.stdout)
        XCTAssertTrue(first.stdout.contains("probe jellyfin.\(StockGateway.domain): ok"), first.stdout)
        assertServes(gateway, "jellyfin", "\(client) after the first apply")
        XCTAssertEqual(gateway.throughCaddy("status.\(StockGateway.domain)").status, 200, "the hand-written site")

        // What each client restarts, as the plan said: v1 recreates jellyfin (its depends_on is in the
        // config hash), v2 recreates nothing. Caddy is reloaded, never recreated.
        let after = try gateway.containerIDs()
        XCTAssertEqual(after["caddy"], before["caddy"], "\(client): caddy was recreated")
        XCTAssertEqual(after["nextcloud"], before["nextcloud"], "\(client): nextcloud was recreated")
        switch client {
        case .v1:
            XCTAssertTrue(first.stdout.contains("Compose v1 (1.29.2) hashes depends_on"), first.stdout)
            XCTAssertTrue(first.stdout.contains("restarts: jellyfin"), first.stdout)
            XCTAssertNotEqual(after["jellyfin"], before["jellyfin"], "v1: the plan said jellyfin is recreated")
        case .v2:
            XCTAssertTrue(first.stdout.contains("Compose v2 (2.40.3) leaves depends_on out of its config hash"), first.stdout)
            XCTAssertFalse(first.stdout.contains("restarts:"), first.stdout)
            XCTAssertEqual(after["jellyfin"], before["jellyfin"], "v2: the plan said nothing is recreated")
        }

        // Second apply: nothing to do, nothing written, nothing recreated.
        let stamps = try [gateway.caddyfile, gateway.composeFile].map(FileStamp.init)
        let second = try gateway.apply()
        XCTAssertEqual(second.status, 0, second.output)
        XCTAssertTrue(second.stdout.contains("No changes"), second.stdout)
        XCTAssertEqual(try [gateway.caddyfile, gateway.composeFile].map(FileStamp.init), stamps, "a file was written")
        XCTAssertEqual(try gateway.containerIDs(), after, "\(client): the second apply recreated a container")

        // The bind mount still shows the old inode until the container starts again: a restart and a
        // recreation both serve the new file (the mount resolves again).
        let restarted = try TestSupport.run(["docker", "restart", "-t", "1", after["caddy"]!], environment: gateway.dockerEnvironment)
        XCTAssertEqual(restarted.status, 0, restarted.output)
        XCTAssertTrue(eventually(within: .seconds(30)) { gateway.throughCaddy(StockGateway.host("jellyfin")).status == 200 },
                      "\(client): a restarted Caddy does not serve the new Caddyfile\n\(gateway.caddyDiagnostics())")
        assertServes(gateway, "jellyfin", "\(client) after docker restart")
        let recreated = try gateway.compose(["up", "-d", "--no-deps", "--force-recreate", "caddy"])
        XCTAssertEqual(recreated.status, 0, recreated.output)
        XCTAssertNotEqual(try gateway.containerIDs()["caddy"], after["caddy"])
        XCTAssertTrue(eventually(within: .seconds(30)) { gateway.throughCaddy(StockGateway.host("jellyfin")).status == 200 },
                      "\(client): a recreated Caddy does not serve the new Caddyfile\n\(gateway.caddyDiagnostics())")
        assertServes(gateway, "jellyfin", "\(client) after recreating caddy")
    }

    private func caddyRefuses(_ client: StockGateway.Client) throws {
        let gateway = try StockGateway(for: self, client: client)
        let first = try gateway.apply()
        XCTAssertEqual(first.status, 0, first.output)
        assertServes(gateway, "jellyfin", "\(client) baseline")

        // The user hand-writes a site that adapts and validates but cannot listen (an address the
        // container does not have): only the load fails. A new service is declared in the same go.
        let bad = "\nbroken.\(StockGateway.domain) {\n\tbind 192.0.2.1\n\trespond \"broken\" 200\n}\n"
        try gateway.project.tree.append(bad, to: gateway.caddyfile)
        let userBytes = try Data(contentsOf: gateway.caddyfile)
        try gateway.declare(["jellyfin", "nextcloud"])
        let ids = try gateway.containerIDs()
        let compose = try Data(contentsOf: gateway.composeFile)

        let result = try gateway.apply()
        XCTAssertEqual(result.status, 1, result.output)
        XCTAssertTrue(result.stderr.contains("ROLLED BACK"), "stderr:\n\(result.stderr)\nstdout:\n\(result.stdout)")
        XCTAssertTrue(result.output.contains("192.0.2.1"), "Caddy's own reason is shown:\n\(result.output)")
        XCTAssertEqual(try Data(contentsOf: gateway.caddyfile), userBytes, "the Caddyfile is not the user's bytes after the rollback")
        XCTAssertEqual(try Data(contentsOf: gateway.composeFile), compose, "the compose file is not restored")
        assertServes(gateway, "jellyfin", "\(client) after the rollback")
        let cloud = gateway.throughCaddy(StockGateway.host("nextcloud"))
        XCTAssertFalse(cloud.status == 200 && cloud.body.contains("nextcloud upstream"), "the refused new route is served: \(cloud)")
        XCTAssertEqual(try gateway.containerIDs()["caddy"], ids["caddy"], "caddy was recreated")
    }

    /// The real Home Assistant as the `homeassistant` compose service (host networking): the default
    /// `--ha-restart compose` restarts it through the client that runs the project, the default readiness
    /// URL sees it back, and Caddy's forwarded requests turn from 400 into 200.
    private func homeAssistantService(_ client: StockGateway.Client) throws {
        let gateway = try StockGateway(for: self, client: client, withHomeAssistant: true)
        // Untrusted forwarded requests: what Caddy's would get before reconcile writes the trust settings.
        XCTAssertEqual(gateway.hassAnswer(forwardedFor: "203.0.113.7").status, 400)
        let before = try gateway.containerIDs()
        let started = try TestSupport.run(["docker", "inspect", "--format", "{{.State.StartedAt}}", before["homeassistant"]!],
                              environment: gateway.dockerEnvironment).stdout

        try gateway.declare(["homeassistant", "jellyfin"])
        let result = try gateway.apply()
        XCTAssertEqual(result.status, 0, "\(client):\n\(result.output)\n\(gateway.logs("homeassistant"))")
        XCTAssertTrue(result.stdout.contains("started Home Assistant"), result.stdout)
        let through = gateway.throughCaddy(StockGateway.domain, path: "/auth/providers")
        XCTAssertEqual(through.status, 200, "\(client): Home Assistant through Caddy (400 = the proxy is not trusted): \(through)\n\(gateway.logs("homeassistant"))")
        assertServes(gateway, "jellyfin", "\(client) with Home Assistant")
        let configuration = try String(contentsOf: gateway.configurationYAML, encoding: .utf8)
        XCTAssertTrue(configuration.contains("use_x_forwarded_for: true"), configuration)

        // Restarted through Compose: a new start of its container (v1 also recreates it for its new depends_on).
        let after = try gateway.containerIDs()
        let id = try XCTUnwrap(after["homeassistant"])
        let startedAfter = try TestSupport.run(["docker", "inspect", "--format", "{{.State.StartedAt}}", id], environment: gateway.dockerEnvironment).stdout
        XCTAssertNotEqual(startedAfter, started, "\(client): Home Assistant's container was not restarted")
        switch client {
        case .v1: XCTAssertNotEqual(id, before["homeassistant"], "v1 recreates it for its new depends_on, as the plan says")
        case .v2: XCTAssertEqual(id, before["homeassistant"], "v2 restarts it in place")
        }
        XCTAssertEqual(after["caddy"], before["caddy"])

        let second = try gateway.apply()
        XCTAssertEqual(second.status, 0, second.output)
        XCTAssertEqual(try gateway.containerIDs(), after, "\(client): the second apply recreated a container")
    }
}
