import Certificates
import Notifications
import XCTest
@testable import Controller

/// Which certificates are news: the controller's choice from what #26 reads, before the rules' daily limit.
final class CertificateAlertTests: XCTestCase {
    let day: Int64 = 86400

    func host(_ state: HostCertificate.State, lifetime: Int64? = nil, left: Int64 = 0, now: Int64) -> HostCertificate {
        let stored = lifetime.map { lifetime in
            StoredCertificate(issuerFolder: "local", path: "certificates/local/a.example.org/a.example.org.crt",
                              facts: CertificateFacts(names: ["a.example.org"], notBefore: now + left - lifetime, notAfter: now + left,
                                                      issuer: "test", serial: "01"))
        }
        return HostCertificate(host: "a.example.org", state: state, stored: stored, daysLeft: Int(left / day),
                               evidence: [.caddyLog("obtaining certificate: rate limited")])
    }

    func testFailingAndExpiredAreNews() {
        let now: Int64 = 1_800_000_000
        XCTAssertEqual(NotificationMapping.alert(host(.failing, now: now), now: now),
                       CertificateAlert(host: "a.example.org", problem: .failing("Caddy's log: obtaining certificate: rate limited")))
        XCTAssertEqual(NotificationMapping.alert(host(.expired, lifetime: 90 * day, left: -2 * day, now: now), now: now)?.problem,
                       .failing("expired: Caddy's log: obtaining certificate: rate limited"))
        XCTAssertNil(NotificationMapping.alert(host(.notIssued, now: now), now: now))
    }

    func testACertificateIsLateOnlyPastTheMiddleOfItsRenewalWindowWhateverItsLifetime() {
        let now: Int64 = 1_800_000_000
        // 90 days: Caddy renews from 30 days left, so 16 days left is not late yet, 14 is.
        XCTAssertNil(NotificationMapping.alert(host(.renewing, lifetime: 90 * day, left: 16 * day, now: now), now: now))
        XCTAssertEqual(NotificationMapping.alert(host(.renewing, lifetime: 90 * day, left: 14 * day, now: now), now: now)?.problem,
                       .expiresSoon(daysLeft: 14))
        XCTAssertNil(NotificationMapping.alert(host(.valid, lifetime: 90 * day, left: 60 * day, now: now), now: now))
        // Caddy's own CA issues 12-hour certificates: 3 hours left is routine, 1 hour is late.
        XCTAssertNil(NotificationMapping.alert(host(.renewing, lifetime: 12 * 3600, left: 3 * 3600, now: now), now: now))
        let late = NotificationMapping.alert(host(.renewing, lifetime: 12 * 3600, left: 3600, now: now), now: now)
        XCTAssertEqual(late?.problem, .expiresSoon(daysLeft: 0))
        XCTAssertEqual(late.map { NotificationMessage(NotificationEvent(gateway: "home", commit: nil, detail: .certificate($0))).title },
                       "home: the certificate of a.example.org expires within a day")
    }
}
