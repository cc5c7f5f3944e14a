import Certificates
import Diagnostics
import Foundation
import TestSupport
import XCTest

/// Certificates made by the real `openssl`, read as Caddy stores them, and each host's state.
final class CertificateAssessmentTests: XCTestCase {
    static func certificate(_ names: [String], days: Int = 90, issuer: String = "Test CA") throws -> [UInt8] {
        try CertificateFixture.pem(names, days: days, issuer: issuer)
    }

    func testAPEMChainGivesItsLeafNamesValidityIssuerAndSerial() throws {
        let leaf = try Self.certificate(["app.example.com", "*.media.example.com"], days: 30)
        let other = try Self.certificate(["other.example.com"])
        let facts = try CertificatePEM.leaf(Array("Subject: x\n".utf8) + leaf + other)
        XCTAssertEqual(facts.names, ["app.example.com", "*.media.example.com"])
        let now = Int64(Date().timeIntervalSince1970)
        XCTAssertEqual(Double(facts.notAfter - facts.notBefore), 30 * 86_400, accuracy: 2)
        XCTAssertEqual(Double(facts.notBefore), Double(now), accuracy: 120)
        XCTAssertEqual(facts.issuer, "Test CA")
        XCTAssertEqual(facts.serial.count % 2, 0)
        XCTAssertTrue(facts.covers("APP.example.com"))
        XCTAssertTrue(facts.covers("jellyfin.media.example.com"))
        XCTAssertFalse(facts.covers("a.b.media.example.com"), "a wildcard covers one label")
        XCTAssertFalse(facts.covers("example.com"))
        XCTAssertThrowsError(try CertificatePEM.leaf(Array("-----BEGIN CERTIFICATE-----\nnot base64\n-----END CERTIFICATE-----\n".utf8)))
        XCTAssertThrowsError(try CertificatePEM.leaf([]))
    }

    func testEachStateAndTheEvidenceItRestsOn() throws {
        let facts = try CertificatePEM.leaf(try Self.certificate(["app.example.com"], days: 90))
        let stored = StoredCertificate(issuerFolder: "acme-v02.api.letsencrypt.org-directory", path: "caddy/certificates/x/app.example.com/app.example.com.crt", facts: facts)
        let start = facts.notBefore
        func assess(_ inputs: CertificateAssessment.Inputs, at now: Int64) -> HostCertificate { CertificateAssessment.assess(inputs, now: now) }
        var inputs = CertificateAssessment.Inputs(host: "app.example.com", stored: stored)

        let fresh = assess(inputs, at: start + 86_400)
        XCTAssertEqual(fresh.state, .valid)
        XCTAssertEqual(fresh.daysLeft, 89)
        XCTAssertEqual(fresh.evidence, [.stored(path: stored.path)])
        XCTAssertEqual(assess(inputs, at: start + 61 * 86_400).state, .renewing, "the last third of 90 days")
        XCTAssertEqual(assess(inputs, at: facts.notAfter + 1).state, .expired)
        XCTAssertEqual(assess(inputs, at: facts.notAfter + 86_401).daysLeft, -2)
        // The CA's suggested window wins over the default third.
        inputs.stored?.suggestedRenewalStart = start + 10 * 86_400
        XCTAssertEqual(assess(inputs, at: start + 11 * 86_400).state, .renewing)

        // Caddy failing to renew, or serving a certificate for another name, is failing even while valid.
        inputs.logFailures = [CaddyLogFailure(at: start + 3600, message: "could not get certificate from issuer: rate limited")]
        let logged = assess(inputs, at: start + 86_400)
        XCTAssertEqual(logged.state, .failing)
        XCTAssertEqual(logged.evidence.first, .caddyLog("could not get certificate from issuer: rate limited"))
        // A failed attempt before the stored certificate was issued is history: Caddy succeeded since.
        inputs.logFailures = [CaddyLogFailure(at: start - 60, message: "could not get certificate from issuer: first try")]
        XCTAssertEqual(assess(inputs, at: start + 86_400).state, .valid)
        inputs.logFailures = []
        inputs.served = try CertificatePEM.leaf(try Self.certificate(["other.example.com"]))
        XCTAssertEqual(assess(inputs, at: start + 86_400).state, .failing)
        inputs.served = facts
        XCTAssertEqual(assess(inputs, at: start + 86_400).state, .valid)

        // Nothing stored: not issued within the grace, failing after it.
        let exposed: Int64 = 1_800_000_000
        let none = CertificateAssessment.Inputs(host: "new.example.com", exposedSince: exposed)
        let early = assess(none, at: exposed + 60)
        XCTAssertEqual(early.state, .notIssued)
        XCTAssertEqual(early.evidence, [.noneStored, .exposedSince(exposed)])
        XCTAssertEqual(assess(none, at: exposed + CertificateAssessment.defaultGraceSeconds + 1).state, .failing)
        XCTAssertEqual(early.evidence.last?.text { _ in "T" }, "exposed since T")
    }

    /// The evidence as the plan's and the report's JSON spell it: one flat object per fact, snake_case keys.
    func testEvidenceIsPlainJSONAndReadsBack() throws {
        let evidence: [CertificateEvidence] = [.stored(path: "p"), .noneStored, .exposedSince(7), .served(coversHost: true, serial: "0a", notAfter: 9),
                                               .caddyLog("m"), .storageProblem("q")]
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let text = String(decoding: try encoder.encode(evidence), as: UTF8.self)
        XCTAssertEqual(text, #"[{"kind":"stored","path":"p"},{"kind":"none_stored"},{"at":7,"kind":"exposed_since"},"#
                       + #"{"covers_host":true,"kind":"served","not_after":9,"serial":"0a"},{"kind":"caddy_log","message":"m"},"#
                       + #"{"kind":"storage_problem","message":"q"}]"#)
        XCTAssertEqual(try JSONDecoder().decode([CertificateEvidence].self, from: Data(text.utf8)), evidence)
    }

    func testCaddysLogLinesAboutAHostAreFound() {
        let log = """
            {"level":"info","ts":1733500000,"logger":"tls.obtain","msg":"acquiring lock","identifier":"app.example.com"}
            {"level":"error","ts":1733500001,"logger":"tls.obtain","msg":"could not get certificate from issuer","identifier":"app.example.com","issuer":"127.0.0.1-14000-dir","error":"HTTP 400 urn:ietf:params:acme:error:connection - Connection refused"}
            {"level":"error","ts":1733500002,"logger":"tls.issuance.acme.acme_client","msg":"challenge failed","identifier":"APP.example.com","challenge_type":"tls-alpn-01","problem":{"type":"urn:ietf:params:acme:error:connection","detail":"Connection refused"}}
            {"level":"error","ts":1733500003,"logger":"tls.obtain","msg":"could not get certificate from issuer","identifier":"other.example.com","error":"x"}
            not json at all
            {"level":"error","msg":"could not get certificate from issuer","identifier":
            """
        let found = CaddyCertificateLog.failures(in: log, hosts: ["app.example.com"])
        XCTAssertEqual(found["app.example.com"], [
            CaddyLogFailure(at: 1733500001, message: "could not get certificate from issuer: HTTP 400 urn:ietf:params:acme:error:connection - Connection refused"),
            CaddyLogFailure(at: 1733500002, message: "challenge failed: Connection refused"),
        ])
        XCTAssertNil(found["other.example.com"], "only the hosts asked about")
    }

    func testRenewalInfoFromCaddysMetadata() {
        let metadata = #"{"sans":["app.example.com"],"issuer_data":{"url":"https://x/cert/1","renewal_info":{"suggestedWindow":{"start":"2026-12-20T10:00:00.123456789Z","end":"2026-12-22T10:00:00Z"},"_uniqueIdentifier":"x"}}}"#
        XCTAssertEqual(CaddyCertificateLayout.suggestedRenewalStart(metadata: Array(metadata.utf8)),
                       StatusTime(iso8601: "2026-12-20T10:00:00Z")?.secondsSince1970)
        XCTAssertNil(CaddyCertificateLayout.suggestedRenewalStart(metadata: Array(#"{"sans":["a"]}"#.utf8)))
        XCTAssertNil(CaddyCertificateLayout.suggestedRenewalStart(metadata: Array("{not json".utf8)))
        XCTAssertEqual(CaddyCertificateLayout.stems(for: "Jellyfin.Example.com"), ["jellyfin.example.com", "wildcard_.example.com"])
        XCTAssertEqual(CaddyCertificateLayout.stems(for: "example.com"), ["example.com"])
    }
}
