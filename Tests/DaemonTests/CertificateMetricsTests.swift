import Certificates
import Daemon
import Foundation
import TestSupport
import XCTest

/// `/metrics` carries each exposed host's certificate: its expiry and its state, as Prometheus' own
/// parser reads them; a host no longer exposed leaves no series behind.
final class CertificateMetricsTests: XCTestCase {
    func samples(_ metrics: DaemonMetrics) throws -> [[Any]] {
        let scratch = TemporaryDirectory(prefix: "reconcile-metrics")
        let file = scratch.file("metrics.txt", String(decoding: metrics.text(), as: UTF8.self))
        let script = """
            import json, sys
            from prometheus_client.parser import text_string_to_metric_families
            out = []
            for family in text_string_to_metric_families(open(sys.argv[1]).read()):
                for s in family.samples:
                    if s.name.startswith("reconcile_certificate"):
                        out.append([s.name, s.labels, s.value])
            print(json.dumps(sorted(out, key=lambda s: (s[0], sorted(s[1].items())))))
            """
        let result = try TestSupport.run(["python3", "-c", script, file])
        XCTAssertEqual(result.status, 0, result.stderr)
        return try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [[Any]] ?? []
    }

    func record(_ hosts: [HostCertificate]) -> CycleRecord {
        var record = CycleRecord(outcome: .applied, reasons: [], started: Date(), duration: .seconds(1))
        record.certificates = hosts
        return record
    }

    func testEachHostsExpiryAndStateAreSeries() throws {
        let facts = CertificateFacts(names: ["a.example.com"], notBefore: 1_800_000_000, notAfter: 1_807_776_000, issuer: "R11", serial: "01")
        let metrics = DaemonMetrics()
        metrics.record(record([
            HostCertificate(host: "a.example.com", state: .valid, stored: StoredCertificate(issuerFolder: "acme", path: "p", facts: facts), evidence: []),
            HostCertificate(host: "b.example.com", state: .failing, evidence: [.noneStored]),
        ]))
        let rows = try samples(metrics)
        func value(_ name: String, _ labels: [String: String]) -> Double? {
            rows.first { $0[0] as? String == name && $0[1] as? [String: String] == labels }.flatMap { ($0[2] as? NSNumber)?.doubleValue }
        }
        XCTAssertEqual(value("reconcile_certificate_expiry_timestamp_seconds", ["host": "a.example.com"]), 1_807_776_000)
        XCTAssertEqual(value("reconcile_certificate_expiry_timestamp_seconds", ["host": "b.example.com"]), 0)
        XCTAssertEqual(value("reconcile_certificate_state", ["host": "a.example.com", "state": "valid"]), 1)
        XCTAssertEqual(value("reconcile_certificate_state", ["host": "a.example.com", "state": "failing"]), 0)
        XCTAssertEqual(value("reconcile_certificate_state", ["host": "b.example.com", "state": "failing"]), 1)
        XCTAssertEqual(rows.count, 2 + 2 * HostCertificate.State.allCases.count)

        metrics.record(record([HostCertificate(host: "a.example.com", state: .renewing, evidence: [])]))
        let after = try samples(metrics)
        XCTAssertFalse(after.contains { ($0[1] as? [String: String])?["host"] == "b.example.com" }, "b is no longer exposed")
        XCTAssertEqual(after.count, 1 + HostCertificate.State.allCases.count)
    }
}
