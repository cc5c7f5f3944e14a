import XCTest
import DesiredState
import Diagnostics
import Policy
import StatusPage
import StatusReport
@testable import Controller

/// A commit the gateway's policy refuses: the page keeps what is live, and marks the services the policy
/// named (through each diagnostic's typed subject, never its words).
final class StatusPagePolicyRefusalTests: XCTestCase {
    /// The commit: jellyfin (live) now public without a password, nextcloud new and refused, photos new.
    let desired = try! DesiredStateParser.parse(Array("""
    domain: example.com
    services:
      jellyfin:
        host: media
        upstream: h:8096
      nextcloud:
        host: cloud
        upstream: h:8080
      photos:
        host: photos
        upstream: h:2342
        basic_auth:
          ann: "$2a$14$2ZTXvhIT42MeaQLN0yo1xuI8ShVC52L8XXlba4vl6DOhcU1fPi2gG"

    """.utf8), file: "exposure.yaml")

    func refusal() throws -> ReconcileError {
        let policy = try PolicyParser.parse(Array("require_auth: ['*']\n".utf8), file: "policy.yaml")
        let violations = PolicyCheck.violations(of: policy, in: desired)
        XCTAssertEqual(violations.map(\.subject), ["jellyfin", "nextcloud"], "each violation names its service")
        return .invalidInput(DiagnosticList(violations), reason: .refusedByPolicy)
    }

    func page(previous: [ServiceEntry]) throws -> StatusPageModel {
        let facts = CycleFacts(gateway: "gw", source: nil, desiredCommit: nil, lastApplied: nil, desired: desired,
                               stage: .stopped(try refusal()), notes: [], previous: nil, now: StatusTime(secondsSince1970: 0))
        return StatusPageMapping.model(facts, report: StatusMapping.report(facts), history: [], previousServices: previous)
    }

    func testALiveServiceKeepsWhatIsLiveAndIsMarkedRefusedNewOnesAppear() throws {
        let live = ServiceEntry(name: "jellyfin", url: "https://media.example.com",
                                audience: Audience(reach: .lan, passwordUsers: 0, ownLogin: false),
                                state: .exposed, composeService: nil, probe: nil)
        let page = try page(previous: [live])
        XCTAssertEqual(page.services.map(\.name), ["jellyfin", "nextcloud", "photos"])
        let jellyfin = page.services[0]
        XCTAssertEqual(jellyfin.state, .refusedByPolicy)
        XCTAssertEqual(jellyfin.audience.reach, .lan, "what is live stays: the refused commit's public access is not shown as live")
        XCTAssertEqual(page.services[1].state, .refusedByPolicy)
        XCTAssertEqual(page.services[2].state, .pending, "a service the policy accepts waits for an acceptable commit")
        XCTAssertEqual(page.pending?.refused, true)
        XCTAssertEqual(page.pending?.problems.count, 2)
    }

    func testWithoutAPreviousPageOnlyTheNamedServicesAreRefused() throws {
        let page = try page(previous: [])
        XCTAssertEqual(page.services.map(\.state), [.refusedByPolicy, .refusedByPolicy, .pending])
    }
}
