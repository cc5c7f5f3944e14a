import XCTest
import DesiredState
import Caddyfile
import HomeAssistant
import Compose
@testable import Planner

/// Plan-time warnings, and how the exposure fields reach the plan.
final class PreflightTests: XCTestCase {
    func desired(_ text: String) throws -> DesiredState {
        try DesiredStateParser.parse(Array(("domain: example.com\n" + text).utf8), file: "exposure.yaml")
    }

    func plan(_ state: DesiredState, caddyfile: String? = "", homeAssistant: HomeAssistantInput = HomeAssistantInput(configurationYAML: nil, storageHTTP: nil)) throws -> Plan {
        try Planner.plan(PlanInputs(desired: state, summary: DesiredSummary(file: "exposure.yaml", domain: state.domain, services: []),
                                    caddyfile: LiveFile(path: "Caddyfile", bytes: caddyfile.map { Array($0.utf8) }),
                                    homeAssistant: homeAssistant, composeFile: LiveFile(path: "compose.yml", bytes: nil)))
    }

    func caddyWarnings(_ text: String) throws -> [String] {
        try XCTUnwrap(try plan(try desired(text)).targets.first { $0.kind == .caddyfile }).warnings.map(\.description)
    }

    func testExternalPortOtherThan443WithoutPort80SaysCertificatesCannotBeIssued() throws {
        let service = "services:\n  app:\n    host: app\n    upstream: h:1\n    own_login: true\n"
        let warned = try caddyWarnings("external_ports: {https: 8443, http: none}\n" + service)
        XCTAssertEqual(warned.count, 1, "\(warned)")
        XCTAssertTrue(warned[0].hasPrefix("exposure.yaml:2:17: HTTPS comes in on external port 8443 and nothing reaches port 80"), warned[0])
        XCTAssertTrue(warned[0].contains("forward external port 80"), warned[0])
        XCTAssertEqual(try caddyWarnings("external_ports: {https: 8443, http: 8080}\n" + service).count, 1, "HTTP-01 needs 80 itself")
        XCTAssertEqual(try caddyWarnings("external_ports: {https: 8443, http: 80}\n" + service), [], "HTTP-01 works")
        XCTAssertEqual(try caddyWarnings("external_ports: {https: 443, http: none}\n" + service), [], "TLS-ALPN-01 works")
        XCTAssertEqual(try caddyWarnings(service), [], "the defaults are 443 and 80")
    }

    /// A host becoming public needs a certificate: with neither 443 nor 80 published for Caddy's compose
    /// service, no ACME challenge can reach it, and the plan says so at the service's line.
    func testANewPublicHostWhileCaddyPublishesNeither443Nor80IsWarned() throws {
        let state = try desired("services:\n  app:\n    host: app\n    upstream: h:1\n    own_login: true\n")
        func warnings(_ ports: String) throws -> [String] {
            let compose = "services:\n  caddy:\n    image: caddy:latest\n    ports: \(ports)\n"
            let plan = try Planner.plan(PlanInputs(desired: state, summary: DesiredSummary(file: "exposure.yaml", domain: state.domain, services: []),
                                                   caddyfile: LiveFile(path: "Caddyfile", bytes: []),
                                                   homeAssistant: HomeAssistantInput(configurationYAML: nil, storageHTTP: nil),
                                                   composeFile: LiveFile(path: "compose.yml", bytes: Array(compose.utf8))))
            return try XCTUnwrap(plan.targets.first { $0.kind == .caddyfile }).warnings.map(\.description).filter { $0.contains("will need a certificate") }
        }
        let warned = try warnings(#"["8443:443", "127.0.0.1:2019:2019"]"#)
        XCTAssertEqual(warned.count, 1, "\(warned)")
        XCTAssertTrue(warned.first?.hasPrefix("compose.yml:2:3: app.example.com will need a certificate, and Caddy's service 'caddy' publishes only 8443, 2019") ?? false, "\(warned)")
        XCTAssertEqual(try warnings(#"["443:443"]"#), [], "TLS-ALPN-01 reaches 443, as on the stock gateway")
        XCTAssertEqual(try warnings(#"["80:80"]"#), [], "HTTP-01 reaches 80")
    }

    func testAnUpstreamThatIsTheProxyItselfOrItsAdminAPIIsWarned() throws {
        let warned = try caddyWarnings("""
        services:
          loop:
            host: loop
            upstream: localhost:443
            own_login: true
          named:
            host: named
            upstream: caddy:80
            own_login: true
          admin:
            host: admin
            upstream: 127.0.0.1:2019
            own_login: true
          self:
            host: self
            upstream: loop.example.com:443
            own_login: true
          fine:
            host: fine
            upstream: host.docker.internal:8096
            own_login: true

        """)
        XCTAssertEqual(warned.count, 4, "\(warned)")
        XCTAssertTrue(warned[0].hasPrefix("exposure.yaml:3:3: service 'loop' proxies to localhost:443, which is Caddy itself"), warned[0])
        XCTAssertTrue(warned[1].contains("service 'named' proxies to caddy:80, which is Caddy itself"), warned[1])
        XCTAssertTrue(warned[2].contains("service 'admin' proxies to 127.0.0.1:2019, where Caddy's admin API"), warned[2])
        XCTAssertTrue(warned[3].contains("service 'self' proxies to loop.example.com:443"), warned[3])
    }

    func testHomeAssistantCountsAsHavingItsOwnLogin() throws {
        let state = try desired("services:\n  ha:\n    host: \"@\"\n    upstream: h:8123\n    home_assistant: true\n")
        let input = HomeAssistantInput(configurationYAML: Array("default_config:\n".utf8), storageHTTP: nil)
        let caddy = try XCTUnwrap(try plan(state, homeAssistant: input).targets.first { $0.kind == .caddyfile })
        XCTAssertEqual(caddy.warnings, [], "Home Assistant always asks for its login")
    }

    func testAServiceOpenToEveryoneWithoutLoginIsWarnedUnlessSomethingGuardsIt() throws {
        let hash = "$2a$14$2ZTXvhIT42MeaQLN0yo1xuI8ShVC52L8XXlba4vl6DOhcU1fPi2gG"
        let warned = try caddyWarnings("""
        services:
          open:
            host: open
            upstream: h:1
          lan:
            host: lan
            upstream: h:2
            access: lan
          auth:
            host: auth
            upstream: h:3
            basic_auth: {alice: "\(hash)"}
          login:
            host: login
            upstream: h:4
            own_login: true
          ha:
            host: "@"
            upstream: h:5
          closed:
            host: closed
            upstream: h:6
            maintenance: true

        """)
        XCTAssertEqual(warned.count, 2, "\(warned)")
        XCTAssertTrue(warned[1].contains("service 'ha' is open"), "without home_assistant: true, nothing says it has a login")
        XCTAssertEqual(Array(warned.prefix(1)), ["exposure.yaml:3:3: service 'open' is open to the whole internet with no access restriction and no login of its own declared: add access: lan (or a list of networks) or basic_auth, or declare own_login: true if it asks for a login itself"])
    }

    func testHomeAssistantInStorageModeWithAYAMLHTTPBlockStillPresentIsWarned() throws {
        let storage = """
        {"version": 2, "minor_version": 1, "key": "http", "data": {"stable": {"server_port": 8123, "use_x_forwarded_for": true,
        "trusted_proxies": ["127.0.0.1/32", "::1/128", "172.16.0.0/12"]}, "pending": null, "yaml_migration_done": true}}
        """
        let input = HomeAssistantInput(configurationYAML: Array("default_config:\nhttp:\n  server_port: 8123\n".utf8), configurationPath: "configuration.yaml",
                                       storageHTTP: Array(storage.utf8), storagePath: ".storage/http")
        let state = try desired("services:\n  ha:\n    host: \"@\"\n    upstream: h:8123\n    home_assistant: true\n")
        let target = try XCTUnwrap(try plan(state, homeAssistant: input).targets.first { $0.kind == .homeAssistant })
        XCTAssertTrue(target.warnings.contains { $0.description.contains("configuration.yaml:2: this http: block") && $0.description.contains("yaml_still_present_after_migration") },
                      "\(target.warnings)")
    }

    func testABlockWrittenBeforeTheseFieldsIsAPlannedChangeNotDriftAndRestrictionIsNotNewOnTheInternet() throws {
        // What the previous version wrote for a service: the marker and a bare reverse_proxy.
        let old = ManagedBlockRenderer.render(ManagedSite(name: "app", addresses: ["app.example.com"],
                                                          directives: [CaddyDirective(tokens: ["reverse_proxy", "h:1"])]))
        let state = try desired("services:\n  app:\n    host: app\n    upstream: h:1\n    access: lan\n")
        let caddy = try XCTUnwrap(try plan(state, caddyfile: String(decoding: old, as: UTF8.self)).targets.first { $0.kind == .caddyfile })
        let change = try XCTUnwrap(caddy.changes.first)
        XCTAssertEqual(change.kind, .change)
        XCTAssertFalse(change.reason.contains("by hand"), change.reason)
        XCTAssertNil(change.exposure, "lan only: nothing new on the internet")
        XCTAssertTrue(change.summary.contains("[lan only]"), change.summary)
        XCTAssertTrue(change.summary.hasSuffix("(adds the security headers; access changed)"), change.summary)
        let written = String(decoding: try XCTUnwrap(caddy.newContent), as: UTF8.self)
        XCTAssertTrue(written.contains("\t@reconcile_denied not remote_ip 10.0.0.0/8 172.16.0.0/12 192.168.0.0/16 127.0.0.0/8 ::1/128 169.254.0.0/16 fe80::/10 fc00::/7\n"), written)
        XCTAssertFalse(written.contains("forwarded"), "remote_ip must match the peer, never X-Forwarded-For")
        XCTAssertTrue(written.contains("\t\tStrict-Transport-Security max-age=604800\n"), written)
    }

    func testMaintenanceAndAuthChangesAreNamedInThePlanLine() throws {
        let hash = "$2a$14$2ZTXvhIT42MeaQLN0yo1xuI8ShVC52L8XXlba4vl6DOhcU1fPi2gG"
        let base = "services:\n  app:\n    host: app\n    upstream: h:1\n    own_login: true\n"
        let first = try plan(try desired(base))
        let live = String(decoding: try XCTUnwrap(first.targets[0].newContent), as: UTF8.self)
        let down = try plan(try desired(base + "    maintenance: true\n    basic_auth: {bob: \"\(hash)\"}\n"), caddyfile: live)
        XCTAssertEqual(down.targets[0].changes.first?.summary,
                       "https://app.example.com -> h:1 [basic auth (bob); maintenance: 503] (basic auth changed; maintenance on)")
        let back = String(decoding: try XCTUnwrap(down.targets[0].newContent), as: UTF8.self)
        XCTAssertEqual(try plan(try desired(base), caddyfile: back).targets[0].changes.first?.summary,
                       "https://app.example.com -> h:1 (basic auth changed; maintenance off)")
    }

    /// A thousand services without a login: one warning with the count, the first names and the first position.
    func testRepeatedWarningsAreGroupedWithTheCountAndTheFirstNames() throws {
        var text = "services:\n"
        for i in 0..<1000 { text += "  s\(i):\n    host: s\(i)\n    upstream: h:\(1000 + i)\n" }
        let caddy = try XCTUnwrap(try plan(try desired(text)).targets.first { $0.kind == .caddyfile })
        let open = caddy.warnings.filter { $0.code == .openToInternet }
        XCTAssertEqual(open.count, 1, "\(open.prefix(3))")
        let warning = try XCTUnwrap(open.first)
        XCTAssertEqual(warning.services.count, 1000)
        XCTAssertEqual(warning.diagnostic.position?.line, 3, "the first service's place")
        XCTAssertTrue(warning.message.hasPrefix("1000 services are open to the whole internet"), warning.message)
        XCTAssertTrue(warning.message.contains("'s0', 's1', 's2', 's3', 's4' and 995 more"), warning.message)
        let three = try XCTUnwrap(try plan(try desired("services:\n  a:\n    host: a\n    upstream: h:1\n  b:\n    host: b\n    upstream: h:2\n  c:\n    host: c\n    upstream: h:3\n")).targets.first { $0.kind == .caddyfile })
        XCTAssertEqual(three.warnings.filter { $0.code == .openToInternet }.count, 3, "a few stay one line each")
    }
}
