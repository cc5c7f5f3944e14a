import Foundation
import TestSupport
import XCTest

/// Certificates from a real ACME server (Pebble) for the stock gateway's Caddy 2.11.7 in its container,
/// which publishes only 443 (TLS-ALPN-01): an exposed host ends valid until Pebble's date, a host whose
/// name Pebble cannot resolve ends failing with Caddy's own words, and reconcile retries nothing itself.
final class CertificatePebbleTests: XCTestCase {
    func testAnExposedHostIsValidUntilPebblesDateAndAnUnresolvableOneIsFailing() throws {
        try check(caddy: .latest)
    }

    func testTheSameWithCaddy262() throws {
        try check(caddy: .debian262)
    }

    func check(caddy: StockGateway.CaddyImage) throws {
        let engine = try DockerTestEngine.require()
        let pebble = try Pebble(engine: engine)
        let failing = StockGateway.host("nextcloud")
        try pebble.breakDNS(failing)
        let globals = """
            \tcert_issuer acme {
            \t\tdir \(pebble.directory)
            \t\ttrusted_roots /data/pebble-listener.pem
            \t\tdisable_http_challenge
            \t}
            """
        let gateway = try StockGateway(for: self, client: .v2, globals: globals, dataFiles: ["pebble-listener.pem": pebble.listenerRoot],
                                       caddy: caddy)
        try gateway.declare(["jellyfin", "nextcloud"])
        let first = try gateway.apply()
        XCTAssertEqual(first.status, 0, first.output)

        // Caddy obtains the certificate on its own after the load; reconcile only reads what it stored.
        let host = StockGateway.host("jellyfin")
        let stored = gateway.caddyDir.appendingPathComponent("caddy_data/caddy/certificates")
        guard eventually(within: .seconds(90), interval: .seconds(1), { self.find("\(host).crt", under: stored) != nil }) else {
            return XCTFail("no certificate for \(host):\n\(gateway.caddyDiagnostics())\n\(pebble.log())")
        }
        let served = try TestSupport.run(["curl", "-sk", "-o", "/dev/null", "-w", "%{certs}", "--resolve", "\(host):443:127.0.0.1", "https://\(host)/"])
        let until = try XCTUnwrap(served.stdout.split(separator: "\n").first { $0.hasPrefix("Expire date:") }, served.stdout)

        // The next run (a no-op apply, as the timer makes) reports it, and Caddy's failure for the other host.
        XCTAssertTrue(eventually(within: .seconds(60), interval: .seconds(2), {
            _ = try? gateway.apply()
            return ((try? self.report(gateway)) ?? []).contains { $0["host"] as? String == failing && $0["state"] as? String == "failing" }
        }), "\((try? String(contentsOf: gateway.root.appendingPathComponent("var/lib/reconcile/status/status.md"), encoding: .utf8)) ?? "")")
        let certificates = try report(gateway)
        let valid = try XCTUnwrap(certificates.first { $0["host"] as? String == host })
        XCTAssertEqual(valid["state"] as? String, "valid")
        XCTAssertEqual(valid["issuer"] as? String, try XCTUnwrap(self.issuer(served.stdout)))
        let notAfter = try XCTUnwrap(valid["not_after"] as? String)
        XCTAssertTrue(Self.sameMoment(notAfter, curlDate: String(until.dropFirst("Expire date:".count))), "\(notAfter) vs \(until)")
        let bad = try XCTUnwrap(certificates.first { $0["host"] as? String == failing })
        let evidence = (bad["evidence"] as? [String]) ?? []
        XCTAssertTrue(evidence.contains { $0.hasPrefix("Caddy's log: ") }, "\(evidence)")
        XCTAssertTrue(evidence.contains("no certificate in Caddy's storage"), "\(evidence)")
    }

    func report(_ gateway: StockGateway) throws -> [[String: Any]] {
        let data = try Data(contentsOf: gateway.root.appendingPathComponent("var/lib/reconcile/status/status.json"))
        let object = try XCTUnwrap(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        return (object["certificates"] as? [[String: Any]]) ?? []
    }

    func find(_ name: String, under folder: URL) -> String? {
        let enumerator = FileManager.default.enumerator(atPath: folder.path)
        while let relative = enumerator?.nextObject() as? String { if relative.hasSuffix("/" + name) { return relative } }
        return nil
    }

    /// The issuer's CN from curl's `%{certs}` (`Issuer:CN = Pebble Intermediate CA 1234`).
    func issuer(_ certs: String) -> String? {
        guard let line = certs.split(separator: "\n").first(where: { $0.hasPrefix("Issuer:") }),
              let cn = line.range(of: "CN = ") else { return nil }
        return String(line[cn.upperBound...].prefix { $0 != "," })
    }

    /// `2031-12-07T10:00:00Z` and curl's `Dec  7 10:00:00 2031 GMT` name the same second.
    static func sameMoment(_ iso: String, curlDate: String) -> Bool {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "MMM d HH:mm:ss yyyy zzz"
        let squeezed = curlDate.split(separator: " ", omittingEmptySubsequences: true).joined(separator: " ")
        guard let date = formatter.date(from: squeezed) else { return false }
        let iso8601 = ISO8601DateFormatter()
        return iso8601.date(from: iso) == date
    }
}
