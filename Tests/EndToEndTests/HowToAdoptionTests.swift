import Foundation
import TestSupport
import XCTest

/// A gateway first set up by following its how-to, through the real executable: refused without
/// the opt-in (naming the line and how to opt in), adopted with `--adopt`, then an ordinary gateway.
final class HowToAdoptionTests: XCTestCase {
    static let site = "mondomaine.ddnsfree.com {\n\treverse_proxy host.docker.internal:8123\n}\n"
    static let http = "\nhttp:\n  use_x_forwarded_for: true\n  trusted_proxies:\n    - 127.0.0.1\n    - 172.16.0.0/12\n    - ::1\n"

    /// The example gateway as the how-to leaves it: the site block, the http: block, depends_on caddy.
    func howToGateway() throws -> Sandbox {
        let box = try Sandbox()
        let caddyfile = String(decoding: try box.read(box.caddyfile), as: UTF8.self)
        try Data((caddyfile + "\n" + Self.site).utf8).write(to: box.caddyfile)
        let configuration = String(decoding: try box.read(box.configurationYAML), as: UTF8.self)
        try Data((configuration + Self.http).utf8).write(to: box.configurationYAML)
        let compose = String(decoding: try box.read(box.composeFile), as: UTF8.self)
        try Data(compose.replacingOccurrences(of: "      - zigbee2mqtt\n", with: "      - zigbee2mqtt\n      - caddy\n").utf8).write(to: box.composeFile)
        return box
    }

    func testRefusedWithoutTheOptInAdoptedWithIt() throws {
        let box = try howToGateway()
        let before = try box.liveFiles()
        let siteLine = String(decoding: try box.read(box.caddyfile), as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
            .firstIndex(of: "mondomaine.ddnsfree.com {")! + 1

        let refused = try box.reconcile(["--plan"])
        XCTAssertEqual(refused.status, 1, refused.stdout)
        XCTAssertTrue(refused.stderr.contains("Caddyfile:\(siteLine):1: host mondomaine.ddnsfree.com (service 'homeassistant') is already served by a hand-written site block at line \(siteLine)"), refused.stderr)
        XCTAssertTrue(refused.stderr.contains("reconcile apply --adopt"), refused.stderr)
        XCTAssertEqual(try box.liveFiles(), before)

        let plan = try box.reconcile(["--plan", "--adopt"])
        XCTAssertEqual(plan.status, 2, plan.stderr)
        XCTAssertTrue(plan.stdout.contains("= homeassistant  https://mondomaine.ddnsfree.com -> host.docker.internal:8123"), plan.stdout)
        XCTAssertTrue(plan.stdout.contains("= homeassistant  depends_on caddy"), plan.stdout)
        XCTAssertTrue(plan.stdout.contains("adopt use_x_forwarded_for: true"), plan.stdout)
        XCTAssertTrue(plan.stdout.contains("managed blocks written for an unknown Caddy version"), plan.stdout)

        let apply = try box.reconcile(["apply", "--no-runtime", "--adopt"])
        XCTAssertEqual(apply.status, 0, apply.stderr)
        let written = String(decoding: try box.read(box.caddyfile), as: UTF8.self)
        XCTAssertTrue(written.contains("# managed by reconcile: homeassistant"), written)
        XCTAssertEqual(written.components(separatedBy: "\nmondomaine.ddnsfree.com {").count, 2, "one block for the apex: the managed one")
        XCTAssertEqual(try box.read(box.configurationYAML), before[box.configurationYAML.path]?.bytes, "adopting the http: block writes nothing")
        let ledger = String(decoding: try box.read(box.stateDir.appendingPathComponent("ledger.json")), as: UTF8.self)
        XCTAssertTrue(ledger.contains("homeassistant") && ledger.contains("172.16.0.0"), ledger)

        // From now on an ordinary gateway: nothing to do, no opt-in needed; Caddy reads it.
        let again = try box.reconcile(["--plan"])
        XCTAssertEqual(again.status, 0, again.stdout + again.stderr)
        let hosts = proxiedHosts(try caddyAdapt(box.caddyfile))
        XCTAssertEqual(hosts["mondomaine.ddnsfree.com"], ["host.docker.internal:8123"])

        // Removing Home Assistant from the desired state prunes what was adopted.
        let desired = String(decoding: try box.read(box.repo.appendingPathComponent("exposure.yaml")), as: UTF8.self)
        let withoutHA = desired.components(separatedBy: "  homeassistant:\n")[0] + "  jellyfin:\n" + desired.components(separatedBy: "  jellyfin:\n")[1]
        try box.writeDesired(withoutHA)
        let prune = try box.reconcile(["apply", "--no-runtime"])
        XCTAssertEqual(prune.status, 0, prune.stderr)
        XCTAssertFalse(String(decoding: try box.read(box.caddyfile), as: UTF8.self).contains("\nmondomaine.ddnsfree.com {"))
        XCTAssertFalse(String(decoding: try box.read(box.configurationYAML), as: UTF8.self).contains("trusted_proxies"))
        let compose = String(decoding: try box.read(box.composeFile), as: UTF8.self)
        let homeAssistant = compose.components(separatedBy: "  homeassistant:\n")[1].components(separatedBy: "  zigbee2mqtt:\n")[0]
        XCTAssertFalse(homeAssistant.contains("- caddy"), homeAssistant)
    }
}
