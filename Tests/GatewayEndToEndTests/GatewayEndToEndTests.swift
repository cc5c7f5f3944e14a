import Foundation
import TestSupport
import XCTest

/// Issue #6: the real `reconcile apply` binary against a gateway shaped like the real one: Caddy in a
/// compose project on a bridge network, stand-in services, and a real Home Assistant on the host behind
/// it (see `Gateway`). Each test builds its own gateway, so none depends on another's order.
final class GatewayEndToEndTests: XCTestCase {
    static let services = ["homeassistant", "jellyfin", "nextcloud"]

    /// The first apply on a fresh gateway: Home Assistant, Jellyfin and Nextcloud behind Caddy.
    private func applyBaseline(_ gateway: Gateway, file: StaticString = #filePath, line: UInt = #line) throws -> RunResult {
        let result = try gateway.apply()
        XCTAssertEqual(result.status, 0, "the first apply failed:\n\(result.output)\n\(gateway.hassLog())\n\(gateway.caddyDiagnostics())", file: file, line: line)
        guard result.status == 0 else { throw Gateway.Failure("baseline apply failed") }
        return result
    }

    private func assertServes(_ gateway: Gateway, _ service: String, body expected: String, path: String = "/",
                              file: StaticString = #filePath, line: UInt = #line) {
        let answer = gateway.throughCaddy(Gateway.host(service), path: path)
        XCTAssertEqual(answer.status, 200, "\(Gateway.host(service))\(path) through Caddy: \(answer)", file: file, line: line)
        XCTAssertTrue(answer.body.contains(expected), "\(Gateway.host(service))\(path) through Caddy: \(answer), expected \(expected.debugDescription)",
                      file: file, line: line)
    }

    /// Home Assistant through Caddy: 200 from /auth/providers, so not the 400 of an untrusted proxy.
    private func assertHomeAssistantTrustsCaddy(_ gateway: Gateway, file: StaticString = #filePath, line: UInt = #line) {
        let answer = gateway.throughCaddy(Gateway.domain, path: "/auth/providers")
        XCTAssertEqual(answer.status, 200, "Home Assistant through Caddy (400 = the proxy is not trusted): \(answer)\n\(gateway.hassLog())",
                       file: file, line: line)
    }

    // MARK: 1. fresh gateway, then a second apply that changes nothing

    func testFreshGatewayIsServedAndSecondApplyTouchesNothing() throws {
        let gateway = try Gateway(for: self)
        // Before: Home Assistant refuses forwarded requests (no trust settings yet): what Caddy would get.
        XCTAssertEqual(gateway.hassAnswer(forwardedFor: "203.0.113.7").status, 400)
        let pidBefore = gateway.hassPID
        let idsBefore = try gateway.containerIDs()
        XCTAssertEqual(Set(idsBefore.keys), ["caddy", "jellyfin", "nextcloud", "photos"])

        let first = try applyBaseline(gateway)
        XCTAssertFalse(first.output.contains("ROLLED BACK"), first.output)

        // Every host answers through Caddy, each from its own upstream.
        assertServes(gateway, "jellyfin", body: "jellyfin upstream")
        assertServes(gateway, "nextcloud", body: "nextcloud upstream")
        assertHomeAssistantTrustsCaddy(gateway)
        let status = gateway.throughCaddy("status.\(Gateway.domain)")
        XCTAssertEqual(status.status, 200, "the hand-written site: \(status)")
        XCTAssertTrue(status.body.contains("gateway up"), "the hand-written site: \(status)")

        // Home Assistant got its trust settings, kept the hand-written ones, and was restarted.
        let configuration = try String(contentsOf: gateway.configurationYAML, encoding: .utf8)
        XCTAssertTrue(configuration.contains("use_x_forwarded_for: true"), configuration)
        XCTAssertTrue(configuration.contains("172.16.0.0/12"), configuration)
        XCTAssertTrue(configuration.contains("server_port: \(gateway.hassPort)"), configuration)
        XCTAssertNotNil(pidBefore)
        XCTAssertNotEqual(gateway.hassPID, pidBefore, "Home Assistant was not restarted")
        XCTAssertEqual(gateway.hassAnswer(forwardedFor: "203.0.113.7").status, 200, "loopback is now a trusted proxy")

        // Compose: caddy in each exposed service's depends_on; only those two recreated.
        let dependsOn = try gateway.dependsOn()
        XCTAssertEqual(dependsOn["jellyfin"], ["caddy"])
        XCTAssertEqual(dependsOn["nextcloud"], ["caddy"])
        XCTAssertEqual(dependsOn["photos"], [], "photos is not exposed")
        XCTAssertEqual(dependsOn["caddy"], [])
        XCTAssertEqual(broughtUp(first), ["jellyfin", "nextcloud"], first.output)
        let idsAfter = try gateway.containerIDs()
        XCTAssertEqual(idsAfter["caddy"], idsBefore["caddy"], "caddy was recreated")
        XCTAssertEqual(idsAfter["photos"], idsBefore["photos"], "photos was recreated")
        XCTAssertNotEqual(idsAfter["jellyfin"], idsBefore["jellyfin"], "jellyfin's new depends_on was not brought up")
        XCTAssertNotEqual(idsAfter["nextcloud"], idsBefore["nextcloud"], "nextcloud's new depends_on was not brought up")

        // Second apply: in sync, so no write, no reload, no restart.
        let stamps = try [gateway.caddyfile, gateway.configurationYAML, gateway.composeFile].map(FileStamp.init)
        let config = gateway.caddyConfig()
        XCTAssertEqual(config.status, 200)
        let loads = try gateway.caddyLoads()
        XCTAssertGreaterThanOrEqual(loads, 1, "Caddy's log shows no /load: the reload check below would prove nothing")
        let pid = gateway.hassPID
        let haCommands = gateway.haCommandLog

        let second = try gateway.apply()
        XCTAssertEqual(second.status, 0, second.output)
        XCTAssertEqual(try [gateway.caddyfile, gateway.configurationYAML, gateway.composeFile].map(FileStamp.init), stamps,
                       "a file was written by an apply with nothing to do")
        XCTAssertEqual(gateway.caddyConfig().body, config.body, "Caddy's config changed")
        XCTAssertEqual(try gateway.caddyLoads(), loads, "Caddy was asked to load a config")
        XCTAssertEqual(try gateway.containerIDs(), idsAfter, "a container was recreated")
        XCTAssertEqual(gateway.hassPID, pid, "Home Assistant was restarted")
        XCTAssertEqual(gateway.haCommandLog, haCommands, "a Home Assistant command ran")
        XCTAssertEqual(broughtUp(second), [])
    }

    // MARK: 2. add, remove, move

    func testAddingRemovingAndMovingServicesTouchesOnlyTheirContainers() throws {
        let gateway = try Gateway(for: self)
        _ = try applyBaseline(gateway)

        // Add photos: its route appears; only photos is recreated (caddy joins its depends_on).
        var ids = try gateway.containerIDs()
        XCTAssertNil(gateway.throughCaddy(Gateway.host("photos")).status, "photos answered before it was declared")
        try gateway.declare(Self.services + ["photos"])
        let added = try gateway.apply()
        XCTAssertEqual(added.status, 0, added.output)
        assertServes(gateway, "photos", body: "photos upstream")
        assertServes(gateway, "jellyfin", body: "jellyfin upstream")
        XCTAssertEqual(try gateway.dependsOn()["photos"], ["caddy"])
        XCTAssertEqual(broughtUp(added), ["photos"], added.output)
        var now = try gateway.containerIDs()
        XCTAssertNotEqual(now["photos"], ids["photos"], "photos was not brought up with its new depends_on")
        for service in ["caddy", "jellyfin", "nextcloud"] {
            XCTAssertEqual(now[service], ids[service], "\(service) was recreated by adding photos")
        }

        // Remove nextcloud: its route disappears; the others still answer; only what the plan named is recreated.
        ids = now
        try gateway.declare(["homeassistant", "jellyfin", "photos"])
        let removed = try gateway.apply()
        XCTAssertEqual(removed.status, 0, removed.output)
        let cloud = gateway.throughCaddy(Gateway.host("nextcloud"))
        XCTAssertFalse(cloud.status == 200 && cloud.body.contains("nextcloud upstream"), "nextcloud still served: \(cloud)")
        XCTAssertFalse(gateway.caddyConfig().body.contains(Gateway.host("nextcloud")), "Caddy still routes \(Gateway.host("nextcloud"))")
        assertServes(gateway, "jellyfin", body: "jellyfin upstream")
        assertServes(gateway, "photos", body: "photos upstream")
        assertHomeAssistantTrustsCaddy(gateway)
        XCTAssertFalse(try gateway.dependsOn()["nextcloud"]?.contains("caddy") ?? false, "caddy, which reconcile added, stays in nextcloud's depends_on")
        let named = broughtUp(removed)
        XCTAssertTrue(named.isSubset(of: ["nextcloud"]), "brought up \(named) for removing nextcloud:\n\(removed.output)")
        now = try gateway.containerIDs()
        for service in ["caddy", "jellyfin", "photos", "nextcloud"] where !named.contains(service) {
            XCTAssertEqual(now[service], ids[service], "\(service) was recreated by removing nextcloud, though the plan did not name it")
        }

        // Move jellyfin's upstream to another port (the nextcloud stand-in's): the route follows; no container changes.
        ids = now
        try gateway.declare(["homeassistant", "jellyfin", "photos"], upstreamPorts: ["jellyfin": gateway.upstreams["nextcloud"]!])
        let moved = try gateway.apply()
        XCTAssertEqual(moved.status, 0, moved.output)
        assertServes(gateway, "jellyfin", body: "nextcloud upstream")
        assertServes(gateway, "photos", body: "photos upstream")
        XCTAssertEqual(broughtUp(moved), [], moved.output)
        XCTAssertEqual(try gateway.containerIDs(), ids, "a container was recreated for an upstream change")
    }

    // MARK: 3. Caddy rejects the config at load

    func testCaddyRejectingTheNewConfigRollsBackToTheUsersCaddyfile() throws {
        let gateway = try Gateway(for: self)
        _ = try applyBaseline(gateway)

        // The user hand-writes a site whose certificate files do not exist (it adapts, but cannot load),
        // and declares a new service in the same go.
        let bad = "\nbroken.\(Gateway.domain) {\n\ttls /nonexistent.crt /nonexistent.key\n\trespond \"broken\" 200\n}\n"
        try gateway.project.tree.append(bad, to: gateway.caddyfile)
        let userBytes = try Data(contentsOf: gateway.caddyfile)
        let extra = "  media:\n    host: media\n    upstream: host.docker.internal:\(gateway.upstreams["photos"]!)\n"
        try gateway.declare(Self.services, extra: extra)
        let config = gateway.caddyConfig()
        let ids = try gateway.containerIDs()

        let result = try gateway.apply()
        XCTAssertEqual(result.status, 1, result.output)
        XCTAssertTrue(result.stderr.contains("ROLLED BACK"), "stderr:\n\(result.stderr)\nstdout:\n\(result.stdout)")
        XCTAssertEqual(try Data(contentsOf: gateway.caddyfile), userBytes, "the Caddyfile is not the user's bytes after the rollback")
        XCTAssertEqual(gateway.caddyConfig().body, config.body, "Caddy's running config changed\n\(gateway.caddyDiagnostics())")
        assertServes(gateway, "jellyfin", body: "jellyfin upstream")
        assertServes(gateway, "nextcloud", body: "nextcloud upstream")
        assertHomeAssistantTrustsCaddy(gateway)
        let media = gateway.throughCaddy("media.\(Gateway.domain)")
        XCTAssertFalse(media.status == 200 && media.body.contains("photos upstream"), "the rejected new route is served: \(media)")
        XCTAssertEqual(try gateway.containerIDs(), ids, "a container was recreated")
    }

    // MARK: 4. Home Assistant does not come back

    func testHomeAssistantNotComingBackRollsBackItsConfiguration() throws {
        let gateway = try Gateway(for: self)
        _ = try applyBaseline(gateway)
        let configuration = try Data(contentsOf: gateway.configurationYAML)
        let pid = gateway.hassPID
        let callsBefore = gateway.haCommandLog.split(separator: "\n").count

        // New trust settings; the restart they need stops Home Assistant and fails (once).
        try gateway.declare(Self.services, trustedProxies: ["127.0.0.1", "::1", "172.16.0.0/12", "10.0.0.0/8"])
        XCTAssertTrue(FileManager.default.createFile(atPath: gateway.haFailNext.path, contents: nil))

        let result = try gateway.apply()
        XCTAssertEqual(result.status, 1, result.output)
        XCTAssertTrue(result.stderr.contains("ROLLED BACK"), "stderr:\n\(result.stderr)\nstdout:\n\(result.stdout)")
        XCTAssertFalse(FileManager.default.fileExists(atPath: gateway.haFailNext.path), "the failing command never ran")
        XCTAssertEqual(try Data(contentsOf: gateway.configurationYAML), configuration, "configuration.yaml was not restored")
        let calls = gateway.haCommandLog.split(separator: "\n").dropFirst(callsBefore)
        XCTAssertEqual(Array(calls), ["restart", "restart"], "the failed restart, then the rollback's")

        // The rollback's restart brought it back, with the old (trusting) settings.
        XCTAssertEqual(gateway.hassAnswer().status, 200, "Home Assistant is not back after the rollback\n\(gateway.hassLog())")
        XCTAssertNotEqual(gateway.hassPID, pid)
        assertHomeAssistantTrustsCaddy(gateway)
        assertServes(gateway, "jellyfin", body: "jellyfin upstream")
    }
}
