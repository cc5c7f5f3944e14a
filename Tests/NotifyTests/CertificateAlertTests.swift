import Certificates
import Notifications
import XCTest
@testable import Controller

/// Which certificates are news: the controller's choice from what #26 reads, before the rules' daily limit.
final class CertificateAlertTests: XCTestCase {
    func testFailingExpiredAndSoonToExpireAreNewsAValidOrNotYetIssuedOneIsNot() {
        func host(_ state: HostCertificate.State, days: Int? = nil) -> HostCertificate {
            HostCertificate(host: "a.example.org", state: state, daysLeft: days, evidence: [.caddyLog("obtaining certificate: rate limited")])
        }
        XCTAssertEqual(NotificationMapping.alert(host(.failing)),
                       CertificateAlert(host: "a.example.org", problem: .failing("Caddy's log: obtaining certificate: rate limited")))
        XCTAssertEqual(NotificationMapping.alert(host(.expired, days: -2))?.problem,
                       .failing("expired: Caddy's log: obtaining certificate: rate limited"))
        XCTAssertEqual(NotificationMapping.alert(host(.renewing, days: 9))?.problem, .expiresSoon(daysLeft: 9))
        XCTAssertNil(NotificationMapping.alert(host(.renewing, days: 25)), "inside Caddy's renewal window, not late yet")
        XCTAssertNil(NotificationMapping.alert(host(.valid, days: 60)))
        XCTAssertNil(NotificationMapping.alert(host(.notIssued)))
    }
}
