import Adapters
import Certificates
import Controller
import Foundation
import Planner
import StatusPage
import StatusReport
import TestSupport
import XCTest

/// Each exposed host's certificate, read from a real Caddy's storage after a real apply (Caddy's internal
/// issuer, certificates of two hours), with Debian's Caddy 2.6.2 and the stock gateway's 2.11.7.
final class CertificateCaddyTests: XCTestCase {
    static let caddys = [("2.6.2", "/usr/bin/caddy"), ("2.11.7", "/usr/local/lib/reconcile-test/caddy-2.11.7/caddy")]

    func testAnAppliedHostShowsItsCertificateValidThenRenewingThenExpired() throws {
        for (version, binary) in Self.caddys {
            let gateway = try CaddyGateway(caddy: binary, issuer: "cert_issuer internal {\n\t\tlifetime 2h\n\t}")
            var settings = gateway.settings
            settings.paths.caddyDataDir = gateway.caddyData
            let result = ReconcileCycle.run(settings, options: .init(mode: .apply(gateway.runtime), report: true, publish: false))
            XCTAssertNil(result.error, "\(version): \(String(describing: result.error))")
            let certificates = try XCTUnwrap(result.certificates, version)
            XCTAssertNil(certificates.problem, version)
            XCTAssertEqual(certificates.hosts.map(\.host), ["gateway.test", "media.gateway.test"], version)
            for host in certificates.hosts {
                XCTAssertEqual(host.state, .valid, "\(version) \(host)")
                let stored = try XCTUnwrap(host.stored, "\(version) \(host.host)")
                XCTAssertEqual(stored.issuerFolder, "local")
                XCTAssertEqual(stored.path, "caddy/certificates/local/\(host.host)/\(host.host).crt")
                XCTAssertEqual(stored.facts.notAfter - stored.facts.notBefore, 7200, accuracy: 120, version)
                // Cross-checked with what the probe through Caddy was served: the same certificate.
                XCTAssertTrue(host.evidence.contains(.served(coversHost: true, serial: stored.facts.serial, notAfter: stored.facts.notAfter)),
                              "\(version): \(host.evidence)")
            }
            // Everywhere the owner looks: the committed report (Markdown and JSON) and the page.
            let report = try XCTUnwrap(result.report)
            XCTAssertEqual(report.certificates?.map(\.state), ["valid", "valid"], version)
            XCTAssertTrue(StatusMarkdown.render(report).contains("| media.gateway.test | valid | \(report.certificates![1].notAfter!) | Caddy Local Authority"),
                          StatusMarkdown.render(report))
            XCTAssertTrue(String(decoding: StatusJSON.render(report), as: UTF8.self).contains("\"not_after\""))
            let page = try XCTUnwrap(result.page)
            XCTAssertEqual(page.services.map { $0.certificate?.state }, [.valid, .valid])
            XCTAssertTrue(StatusPageHTML.render(page).contains("<td data-label=\"Certificate\"><span class=\"ok\">valid</span>"))

            // The same storage read at later times: inside the renewal window (the last third), then expired.
            let stored = try XCTUnwrap(certificates.hosts[1].stored)
            let hosts = CertificateObserver.Inputs(hosts: ["media.gateway.test"], dataDirectory: gateway.caddyData)
            XCTAssertEqual(CertificateObserver.observe(hosts, now: stored.facts.notAfter - 1800).hosts.first?.state, .renewing, version)
            XCTAssertEqual(CertificateObserver.observe(hosts, now: stored.facts.notAfter + 60).hosts.first?.state, .expired, version)

            // A plan now shows the live hosts' certificates (and names the storage).
            let plan = try XCTUnwrap(ReconcileCycle.run(settings, options: .init(mode: .plan(compose: nil, caddy: nil), report: false, publish: false)).plan)
            XCTAssertEqual(plan.certificates?.hosts.map(\.state), [.valid, .valid], version)
            let text = PlanTextRenderer.render(plan)
            XCTAssertTrue(text.contains("Certificates  \(gateway.caddyData)\n"), text)
            XCTAssertTrue(text.contains("  media.gateway.test  valid until \(String(report.certificates![1].notAfter!.description.prefix(10))) (0 days), Caddy Local Authority"), text)
        }
    }
}
