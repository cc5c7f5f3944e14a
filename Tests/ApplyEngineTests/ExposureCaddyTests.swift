import Adapters
import Controller
import Foundation
import TestSupport
import XCTest

/// Per-service access, basic auth, headers and maintenance, served by the real Caddy 2.6 and requested
/// from different source addresses: 127.0.0.x on loopback, and a documentation-range address
/// (192.0.2.0/24) from a network namespace this test creates.
final class ExposureCaddyTests: XCTestCase {
    func testAccessListAdmitsTheListedAddressAndRefusesOthersEvenWithForwardedHeaders() throws {
        let gateway = try CaddyGateway()
        try gateway.declareMedia("    access: [127.0.0.2/32]\n")
        let outcome = try apply(gateway.settings, gateway.runtime)
        XCTAssertEqual(outcome.result, .applied, outcome.failure ?? "")

        let allowed = gateway.request("media.gateway.test", from: "127.0.0.2")
        XCTAssertEqual(allowed.status, 200)
        XCTAssertEqual(allowed.body, "media")
        let denied = gateway.request("media.gateway.test", from: "127.0.0.3")
        XCTAssertEqual(denied.status, 403)
        XCTAssertNotEqual(denied.body, "media")
        // Spoofing: the peer is what counts, never what the client claims.
        for header in ["X-Forwarded-For: 127.0.0.2", "X-Real-IP: 127.0.0.2", "Forwarded: for=127.0.0.2"] {
            XCTAssertEqual(gateway.request("media.gateway.test", from: "127.0.0.3", headers: [header]).status, 403, header)
        }
        // IPv6 loopback is not in the list either.
        XCTAssertEqual(gateway.request("media.gateway.test", from: "::1", target: "[::1]").status, 403)
        // The other site declares no access: everyone gets it.
        XCTAssertEqual(gateway.request("gateway.test", from: "127.0.0.3").body, "home assistant")
    }

    func testBasicAuthTakesAHashFromCaddyHashPasswordAndAccessIsCheckedFirst() throws {
        let gateway = try CaddyGateway()
        let hash = try CaddyGateway.hashPassword("correct horse")
        try gateway.declareMedia("    access: [127.0.0.2/32, 127.0.0.4/32]\n    basic_auth:\n      alice: \"\(hash)\"\n")
        let outcome = try apply(gateway.settings, gateway.runtime)
        XCTAssertEqual(outcome.result, .applied, outcome.failure ?? "")

        let anonymous = gateway.request("media.gateway.test", from: "127.0.0.2")
        XCTAssertEqual(anonymous.status, 401)
        XCTAssertTrue(anonymous.headers.lowercased().contains("www-authenticate: basic"), anonymous.headers)
        XCTAssertEqual(gateway.request("media.gateway.test", from: "127.0.0.2", user: "alice:wrong").status, 401)
        XCTAssertEqual(gateway.request("media.gateway.test", from: "127.0.0.2", user: "bob:correct horse").status, 401)
        let right = gateway.request("media.gateway.test", from: "127.0.0.4", user: "alice:correct horse")
        XCTAssertEqual(right.status, 200)
        XCTAssertEqual(right.body, "media")
        // Good credentials from a refused address: still refused, and no password prompt.
        let outside = gateway.request("media.gateway.test", from: "127.0.0.3", user: "alice:correct horse")
        XCTAssertEqual(outside.status, 403)
        XCTAssertFalse(outside.headers.lowercased().contains("www-authenticate"), outside.headers)
        XCTAssertEqual(gateway.request("media.gateway.test", from: "127.0.0.3").status, 403)
    }

    func testLanRefusesANonPrivateAddressEvenWhenItClaimsToBePrivate() throws {
        let gateway = try CaddyGateway()
        try gateway.declareMedia("    access: lan\n")
        let outcome = try apply(gateway.settings, gateway.runtime)
        XCTAssertEqual(outcome.result, .applied, outcome.failure ?? "")
        XCTAssertEqual(gateway.request("media.gateway.test", from: "127.0.0.2").body, "media", "loopback is lan")
        XCTAssertEqual(gateway.request("media.gateway.test", from: "::1", target: "[::1]").body, "media", "IPv6 loopback too")

        let namespace = try DocumentationNetwork()
        let stranger = namespace.request(gateway, "media.gateway.test")
        XCTAssertEqual(stranger.status, 403, stranger.body)
        for header in ["X-Forwarded-For: 192.168.1.10", "X-Real-IP: 10.0.0.1", "X-Forwarded-For: 127.0.0.1, 192.168.1.10"] {
            XCTAssertEqual(namespace.request(gateway, "media.gateway.test", headers: [header]).status, 403, header)
        }
        XCTAssertEqual(namespace.request(gateway, "gateway.test").body, "home assistant", "a public site answers the same client")
    }

    func testSecurityHeadersAreOnByDefaultAndOverridablePerService() throws {
        let gateway = try CaddyGateway()
        try gateway.declareMedia("    headers:\n      Referrer-Policy: null\n      Strict-Transport-Security: \"max-age=63072000; includeSubDomains\"\n      X-Frame-Options: SAMEORIGIN\n")
        XCTAssertEqual(try apply(gateway.settings, gateway.runtime).result, .applied)

        let plain = gateway.request("gateway.test", from: "127.0.0.2").headers.lowercased()
        XCTAssertTrue(plain.contains("strict-transport-security: max-age=604800\r\n"), plain)
        XCTAssertTrue(plain.contains("x-content-type-options: nosniff"), plain)
        XCTAssertTrue(plain.contains("referrer-policy: strict-origin-when-cross-origin"), plain)

        let media = gateway.request("media.gateway.test", from: "127.0.0.2").headers.lowercased()
        XCTAssertTrue(media.contains("strict-transport-security: max-age=63072000; includesubdomains"), media)
        XCTAssertTrue(media.contains("x-content-type-options: nosniff"), media)
        XCTAssertTrue(media.contains("x-frame-options: sameorigin"), media)
        XCTAssertFalse(media.contains("referrer-policy"), media)
    }

    func testMaintenanceAnswers503WithoutRemovingTheSiteAndComesBack() throws {
        let gateway = try CaddyGateway()
        XCTAssertEqual(try apply(gateway.settings, gateway.runtime).result, .applied)
        XCTAssertEqual(gateway.request("media.gateway.test", from: "127.0.0.2").body, "media")

        try gateway.declareMedia("    maintenance: true\n")
        let down = try apply(gateway.settings, gateway.runtime)
        XCTAssertEqual(down.result, .applied, down.failure ?? "")
        XCTAssertEqual(down.probes.first { $0.host == "media.gateway.test" }?.passed, true, "503 is what maintenance expects: \(down.probes)")
        let page = gateway.request("media.gateway.test", from: "127.0.0.2")
        XCTAssertEqual(page.status, 503)
        XCTAssertTrue(page.body.contains("maintenance"), page.body)
        XCTAssertTrue(page.headers.lowercased().contains("retry-after: 300"), page.headers)
        let caddyfile = try String(contentsOf: gateway.caddyfile, encoding: .utf8)
        XCTAssertTrue(caddyfile.contains("# managed by reconcile: media checksum="), caddyfile)
        XCTAssertTrue(try gateway.runningConfig().contains("media.gateway.test"), "the route stays: the host keeps its certificate")

        try gateway.declareMedia("    maintenance: false\n")
        XCTAssertEqual(try apply(gateway.settings, gateway.runtime).result, .applied)
        XCTAssertEqual(gateway.request("media.gateway.test", from: "127.0.0.2").body, "media")
    }
}

extension ExposureCaddyTests {
    /// An apply that puts media into maintenance fails on another host: the rollback brings media back live,
    /// and its probe accepts the live route (the old config), not only the 503.
    func testARolledBackMaintenanceIsProbedAsTheOldLiveRoute() throws {
        let gateway = try CaddyGateway()
        XCTAssertEqual(try apply(gateway.settings, gateway.runtime).result, .applied)
        try gateway.declareMedia("    maintenance: true\n  broken:\n    host: broken\n    upstream: 127.0.0.1:\(CaddyGateway.freePort())\n")
        var runtime = gateway.runtime
        runtime.probes?.attempts = 2
        let outcome = try apply(gateway.settings, runtime)
        XCTAssertEqual(outcome.result, .rolledBack, outcome.rollbackFailure ?? outcome.failure ?? "")
        XCTAssertEqual(outcome.rollbackProbes.first { $0.host == "media.gateway.test" }?.status, 200, "\(outcome.rollbackProbes)")
        XCTAssertEqual(gateway.request("media.gateway.test", from: "127.0.0.2").body, "media")
    }
}

struct ClientAnswer {
    var status: Int?
    var headers: String
    var body: String
}

extension CaddyGateway {
    /// Home Assistant as before, and media with `extra` lines under it.
    func declareMedia(_ extra: String) throws {
        let text = "domain: gateway.test\nservices:\n  homeassistant:\n    host: \"@\"\n    upstream: 127.0.0.1:\(homeAssistantPort)\n    home_assistant: true\n"
            + "  media:\n    host: media\n    upstream: 127.0.0.1:\(mediaPort)\n" + extra
        try write(text, to: repo.appendingPathComponent("exposure.yaml"))
    }

    /// One HTTPS request to `host` from the local source address `source` (curl --interface).
    func request(_ host: String, from source: String, headers: [String] = [], user: String? = nil,
                 via prefix: [String] = [], target: String = "127.0.0.1") -> ClientAnswer {
        var argv = prefix + ["curl", "-sk", "--max-time", "5", "--interface", source, "-D", "-",
                             "--resolve", "\(host):\(httpsPort):\(target)"]
        for header in headers { argv += ["-H", header] }
        if let user { argv += ["-u", user] }
        argv.append("https://\(host):\(httpsPort)/")
        guard let result = try? run(argv, timeout: .seconds(30)), result.status == 0 else {
            return ClientAnswer(status: nil, headers: "", body: "")
        }
        let parts = result.stdout.components(separatedBy: "\r\n\r\n")
        let head = parts.first ?? ""
        let status = head.split(separator: " ").dropFirst().first.flatMap { Int($0) }
        return ClientAnswer(status: status, headers: head + "\r\n", body: parts.dropFirst().joined(separator: "\r\n\r\n"))
    }

    /// A bcrypt hash from the real `caddy hash-password`.
    static func hashPassword(_ password: String) throws -> String {
        let result = try run(["caddy", "hash-password", "--plaintext", password])
        XCTAssertEqual(result.status, 0, result.stderr)
        return result.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    }
}

/// A network namespace joined to this one by a veth pair on a /30 of a documentation range (RFC 5737, never
/// routed): a client there connects from an address that is not private. The range is one this machine does
/// not use itself (here TEST-NET-1 is eth0's own network), the /30 random so parallel runs do not collide.
/// Removed with the namespace.
final class DocumentationNetwork {
    let name = "rcpol\(getpid() % 100_000)\(Int.random(in: 0..<1000))"
    var hostSide: String { "\(name)h" }
    let subnet = 4 * Int.random(in: 1...62)
    var range = "198.51.100."
    var hostAddress: String { range + "\(subnet + 1)" }
    var clientAddress: String { range + "\(subnet + 2)" }

    init() throws {
        let used = (try? run(["ip", "-br", "addr"], timeout: .seconds(20)).stdout) ?? ""
        guard let free = ["198.51.100.", "203.0.113.", "192.0.2."].first(where: { !used.contains($0) }) else {
            throw XCTSkip("every RFC 5737 documentation range is in use on this machine: no address is safe for a namespace client")
        }
        range = free
        let steps = [
            ["ip", "netns", "add", name],
            ["ip", "link", "add", hostSide, "type", "veth", "peer", "name", "\(name)n"],
            ["ip", "link", "set", "\(name)n", "netns", name],
            ["ip", "addr", "add", "\(hostAddress)/30", "dev", hostSide],
            ["ip", "link", "set", hostSide, "up"],
            ["ip", "netns", "exec", name, "ip", "addr", "add", "\(clientAddress)/30", "dev", "\(name)n"],
            ["ip", "netns", "exec", name, "ip", "link", "set", "\(name)n", "up"],
            ["ip", "netns", "exec", name, "ip", "link", "set", "lo", "up"],
        ]
        for step in steps {
            let result = try run(step, timeout: .seconds(20))
            if result.status != 0 {
                cleanUp()
                throw XCTSkip("cannot build a test network namespace (needs root and iproute2): \(step.joined(separator: " ")): \(result.stderr)")
            }
        }
    }

    deinit { cleanUp() }

    func cleanUp() {
        _ = try? run(["ip", "link", "del", hostSide], timeout: .seconds(20))
        _ = try? run(["ip", "netns", "del", name], timeout: .seconds(20))
    }

    func request(_ gateway: CaddyGateway, _ host: String, headers: [String] = []) -> ClientAnswer {
        gateway.request(host, from: clientAddress, headers: headers, via: ["ip", "netns", "exec", name], target: hostAddress)
    }
}
