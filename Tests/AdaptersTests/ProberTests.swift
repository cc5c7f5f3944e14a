import XCTest
@testable import Adapters

final class ProberTests: XCTestCase {
    func testWorkingRoutePassesAndDeadUpstreamFails() throws {
        let deadPort = RealCaddy.freePort()
        let caddy = try RealCaddy(site: "respond \"ok\"")
        defer { caddy.stop() }
        // A second site whose upstream nobody listens on: Caddy answers 502.
        let config = caddy.caddyfile(site: "respond \"ok\"")
            + "\nhttp://dead.test:\(caddy.httpPort) {\n\treverse_proxy 127.0.0.1:\(deadPort)\n}\n"
        try CaddyAdmin(endpoint: "127.0.0.1:\(caddy.adminPort)").load(caddyfile: Array(config.utf8))
        let prober = Prober(settings: ProbeSettings(address: "127.0.0.1", port: caddy.httpPort, scheme: .http,
                                                    timeout: 2, attempts: 2, interval: 0.05))
        let good = prober.probe(host: "site.test", isHomeAssistant: false)
        XCTAssertTrue(good.passed, good.detail)
        XCTAssertEqual(good.status, 200)
        XCTAssertEqual(good.attempts, 1)
        let dead = prober.probe(host: "dead.test", isHomeAssistant: false)
        XCTAssertFalse(dead.passed)
        XCTAssertEqual(dead.status, 502)
        XCTAssertEqual(dead.attempts, 2, "bounded retries")
    }

    func testJudgement() {
        XCTAssertFalse(Prober.judge(host: "h", status: 400, failure: nil, isHomeAssistant: true).passed)
        XCTAssertTrue(Prober.judge(host: "h", status: 400, failure: nil, isHomeAssistant: false).passed)
        XCTAssertTrue(Prober.judge(host: "h", status: 401, failure: nil, isHomeAssistant: true).passed)
        XCTAssertFalse(Prober.judge(host: "h", status: nil, failure: "refused", isHomeAssistant: false).passed)
        XCTAssertFalse(Prober.judge(host: "h", status: 503, failure: nil, isHomeAssistant: false).passed)
    }

    /// A site in maintenance passes on its 503 only: a 200 means the maintenance page is not served.
    func testMaintenanceExpects503() throws {
        let caddy = try RealCaddy(site: "respond \"ok\"")
        defer { caddy.stop() }
        let config = caddy.caddyfile(site: "respond \"ok\"")
            + "\nhttp://down.test:\(caddy.httpPort) {\n\trespond \"down for maintenance\" 503\n}\n"
        try CaddyAdmin(endpoint: "127.0.0.1:\(caddy.adminPort)").load(caddyfile: Array(config.utf8))
        let prober = Prober(settings: ProbeSettings(address: "127.0.0.1", port: caddy.httpPort, scheme: .http,
                                                    timeout: 2, attempts: 2, interval: 0.05))
        let down = prober.probe(host: "down.test", isHomeAssistant: false, maintenance: true)
        XCTAssertTrue(down.passed, down.detail)
        XCTAssertEqual(down.attempts, 1)
        let live = prober.probe(host: "site.test", isHomeAssistant: false, maintenance: true)
        XCTAssertFalse(live.passed)
        XCTAssertEqual(live.detail, "in maintenance, but answered 200 instead of 503")
        XCTAssertFalse(prober.probe(host: "down.test", isHomeAssistant: false).passed, "without maintenance, 503 is a failure")
    }
}
