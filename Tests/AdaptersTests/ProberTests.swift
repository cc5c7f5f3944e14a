import Foundation
import TestSupport
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

    /// A host Caddy has no certificate for yet (ACME still issuing) is "certificate pending", not a broken
    /// route; but only a TLS server's refusal counts, and only where Caddy's storage can be read and holds
    /// nothing for the host. A plain-HTTP port, an unreadable storage, or a stored certificate all fail.
    func testOnlyATLSRefusalForAHostWithoutAStoredCertificateIsPending() throws {
        let caddy = try RealCaddy(site: "respond \"ok\"")
        defer { caddy.stop() }
        let httpsPort = RealCaddy.freePort()
        let config = "{\n\tadmin 127.0.0.1:\(caddy.adminPort)\n\thttp_port \(caddy.httpPort)\n\thttps_port \(httpsPort)\n\tlocal_certs\n\tskip_install_trust\n}\n\n"
            + "known.test {\n\trespond \"ok\"\n}\n"
        try CaddyAdmin(endpoint: "127.0.0.1:\(caddy.adminPort)").load(caddyfile: Array(config.utf8))
        let storage = TemporaryDirectory(prefix: "reconcile-caddy-data")
        try FileManager.default.createDirectory(atPath: storage.sub("caddy/certificates/local"), withIntermediateDirectories: true)
        func probe(_ host: String, port: Int, storage: String?) -> ProbeResult {
            var settings = ProbeSettings(address: "127.0.0.1", port: port, scheme: .https, timeout: 2, attempts: 2, interval: 0.05)
            settings.certificateStorage = storage
            return Prober(settings: settings).probe(host: host, isHomeAssistant: false)
        }
        let pending = probe("unknown.test", port: httpsPort, storage: storage.path)
        XCTAssertTrue(pending.passed && pending.certificatePending, pending.detail)
        XCTAssertEqual(pending.attempts, 2, "every attempt is made first: the certificate may arrive meanwhile")
        XCTAssertTrue(probe("known.test", port: httpsPort, storage: storage.path).passed, "a served host is checked as usual")
        XCTAssertFalse(probe("unknown.test", port: httpsPort, storage: nil).passed, "without the storage setting (--caddy none), no exception")
        XCTAssertFalse(probe("unknown.test", port: httpsPort, storage: storage.sub("missing")).passed, "an unreadable storage proves nothing")
        let plainHTTP = probe("unknown.test", port: caddy.httpPort, storage: storage.path)
        XCTAssertFalse(plainHTTP.passed || plainHTTP.certificatePending, "a plain-HTTP port is no TLS server waiting for a certificate: \(plainHTTP.detail)")
        storage.file("caddy/certificates/local/unknown.test/unknown.test.crt", try String(decoding: CertificateFixture.pem(["unknown.test"]), as: UTF8.self))
        XCTAssertFalse(probe("unknown.test", port: httpsPort, storage: storage.path).passed, "Caddy has one stored, yet refuses: broken")
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
