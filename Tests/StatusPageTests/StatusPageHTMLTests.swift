import XCTest
@testable import StatusPage

final class StatusPageHTMLTests: XCTestCase {
    static func service(_ name: String, _ state: ServiceState, audience: Audience = Audience(reach: .internet),
                        compose: String? = nil, probe: ProbeEntry? = nil) -> ServiceEntry {
        ServiceEntry(name: name, url: "https://\(name).example.net", audience: audience, state: state, composeService: compose, probe: probe)
    }

    static func model(services: [ServiceEntry], history: [HistoryEntry] = [], pending: PendingPlan? = nil) -> StatusPageModel {
        StatusPageModel(gateway: "maison", domain: "example.net", refreshedAt: "2026-12-03T20:00:00Z",
                        services: services, history: history, pending: pending)
    }

    func testEveryServiceShowsItsURLAudienceStateAndProbe() {
        let page = StatusPageHTML.render(Self.model(services: [
            Self.service("jellyfin", .exposed, audience: Audience(reach: .lan), compose: "jellyfin",
                         probe: ProbeEntry(service: "x", passed: true, status: 200, at: "2026-12-03T19:59:00Z")),
            Self.service("nextcloud", .driftRestored, audience: Audience(reach: .internet, passwordUsers: 2), compose: "nextcloud"),
            Self.service("photos", .refusedByPolicy),
            Self.service("wiki", .maintenance, audience: Audience(reach: .networks(["198.51.100.0/24"]), ownLogin: true)),
            Self.service("grafana", .exposed, probe: ProbeEntry(service: "x", passed: false, status: 502, at: "2026-12-03T19:58:00Z")),
        ]))
        for name in ["jellyfin", "nextcloud", "photos", "wiki", "grafana"] {
            XCTAssertTrue(page.contains("https://\(name).example.net"), name)
        }
        for state in ["exposed", "drift restored", "refused by policy", "in maintenance"] {
            XCTAssertTrue(page.contains(">\(state)</span>"), state)
        }
        XCTAssertTrue(page.contains("the home network only"))
        XCTAssertTrue(page.contains("with a password (2 users)"))
        XCTAssertTrue(page.contains("only 198.51.100.0/24, then the service&#39;s own login"))
        XCTAssertTrue(page.contains("anyone on the internet, with no login at all"))
        XCTAssertTrue(page.contains("passed (HTTP 200)") && page.contains("failed (HTTP 502)"))
        XCTAssertTrue(page.contains("4 services reachable from the internet under example.net; 1 with no login at all"), page)
        // The map: one box per service, one per compose service, and photos' edge is cut.
        XCTAssertEqual(page.components(separatedBy: "<g class=\"box compose\">").count - 1, 2)
        XCTAssertEqual(page.components(separatedBy: "class=\"edge cut\"").count - 1, 1)
        XCTAssertEqual(page.components(separatedBy: "class=\"edge open\"").count - 1, 2, "internet→Caddy and grafana's wide-open edge")
    }

    func testHostileValuesAreEscapedAndNothingCanRunOrLoad() {
        let hostile = "<script>alert(1)</script>\"'&"
        let page = StatusPageHTML.render(Self.model(
            services: [Self.service(hostile, .exposed, compose: hostile)],
            history: [HistoryEntry(at: "t", trigger: .webhook, commit: hostile, commitSubject: hostile, signer: hostile,
                                   outcome: hostile, reason: hostile, retryable: true, changes: [hostile])],
            pending: PendingPlan(refused: true, commit: nil, changes: [hostile],
                                 problems: [.init(file: hostile, line: 1, column: 2, message: hostile, hint: hostile)])))
        XCTAssertFalse(page.lowercased().contains("<script"))
        XCTAssertTrue(page.contains("&lt;script&gt;alert(1)&lt;/script&gt;&quot;&#39;&amp;"))
        for loader in ["<img", "<link", "<iframe", "src=", "@import", "url("] {
            XCTAssertFalse(page.contains(loader), loader)
        }
    }

    func testARefusedCommitShowsEachProblemWithItsPosition() {
        let page = StatusPageHTML.render(Self.model(services: [], pending: PendingPlan(
            refused: true, commit: "0123456789abcdef0123", changes: [],
            problems: [.init(file: "exposure.yaml", line: 7, column: 15, message: "`upstream` must be host:port",
                             hint: "write it as host.docker.internal:8096")])))
        XCTAssertTrue(page.contains("<h2 id=\"pending\">Refused commit</h2>"))
        XCTAssertTrue(page.contains("<code>exposure.yaml:7:15</code> `upstream` must be host:port"))
        XCTAssertTrue(page.contains("write it as host.docker.internal:8096"))
        XCTAssertTrue(page.contains("<code>0123456789ab</code>"))
    }

    func testThePageIsBoundedWhateverItIsFed() {
        let services = (0..<5_000).map { Self.service("service-\($0)-" + String(repeating: "x", count: 500), .exposed, compose: "c\($0)") }
        let history = (0..<1_000).map { HistoryEntry(at: "t\($0)", trigger: .timer, commit: nil, commitSubject: nil, signer: nil,
                                                     outcome: "applied", reason: nil, retryable: nil,
                                                     changes: (0..<500).map { "+ change \($0)" }) }
        let page = StatusPageHTML.render(Self.model(services: services, history: history))
        XCTAssertLessThan(page.utf8.count, 1_500_000, "\(page.utf8.count) bytes")
        XCTAssertTrue(page.contains("… and 4700 more."))
        XCTAssertTrue(page.contains("… and 4940 more (see the table)"))
        XCTAssertTrue(page.contains("… and 400 more"))
        XCTAssertFalse(page.contains("t30<"), "history stops at \(StatusPageHTML.maxHistoryRows) rows")
    }

    func testAnEmptyGatewaySaysSo() {
        let page = StatusPageHTML.render(Self.model(services: []))
        XCTAssertTrue(page.contains("No service is declared."))
        XCTAssertTrue(page.contains("No reconcile yet."))
        XCTAssertTrue(page.contains("0 services reachable from the internet"))
    }
}

final class ReconcileHistoryFoldingTests: XCTestCase {
    func entry(_ at: String, outcome: String = "in_sync", commit: String = "c1", changes: [String] = []) -> HistoryEntry {
        HistoryEntry(at: at, trigger: .timer, commit: commit, commitSubject: nil, signer: nil, outcome: outcome,
                     reason: nil, retryable: nil, changes: changes)
    }

    func testQuietTicksFoldIntoOneLineAndAnythingNewStartsAnother() {
        var history = [entry("t0", outcome: "applied", changes: ["+ jellyfin"])]
        for tick in 1...5 { history = HistoryFolding.folded(entry("t\(tick)"), into: history, limit: 50) }
        XCTAssertEqual(history.count, 2, "five quiet ticks after an apply: two lines")
        XCTAssertEqual(history[0].at, "t5")
        XCTAssertEqual(history[0].repeated, 5)
        XCTAssertEqual(history[0].since, "t1")
        history = HistoryFolding.folded(entry("t6", commit: "c2"), into: history, limit: 50)
        XCTAssertEqual(history.count, 3, "a new commit is news")
        XCTAssertNil(history[0].repeated)
        let page = StatusPageHTML.render(StatusPageModel(gateway: "g", domain: nil, refreshedAt: "t", services: [], history: history, pending: nil))
        XCTAssertTrue(page.contains("5 times since t1"))
    }

    func testTheHistoryIsBounded() {
        var history: [HistoryEntry] = []
        for tick in 0..<200 { history = HistoryFolding.folded(entry("t\(tick)", commit: "c\(tick)"), into: history, limit: 50) }
        XCTAssertEqual(history.count, 50)
        XCTAssertEqual(history.first?.at, "t199")
    }
}
