import Foundation
import TestSupport
import XCTest

/// `reconcile --plan` and `reconcile apply --no-runtime` through the real executable, on a copy of
/// the bundled example gateway, with the real Caddy judging what we write.
final class PlanAndApplyTests: XCTestCase {
    func testFreshGatewayPlanShowsEveryNewHostAndIsStable() throws {
        let box = try Sandbox()
        let before = try box.liveFiles()
        let first = try box.reconcile(["--plan"])
        XCTAssertEqual(first.status, 2, first.stderr)
        for name in ["homeassistant", "jellyfin", "nextcloud"] {
            XCTAssertTrue(first.stdout.contains("+ \(name)"), first.stdout)
            XCTAssertTrue(first.stdout.contains("NEW ON THE INTERNET: \(name)"), first.stdout)
        }
        XCTAssertTrue(first.stdout.contains("https://jellyfin.mondomaine.ddnsfree.com -> host.docker.internal:8096"), first.stdout)
        XCTAssertTrue(first.stdout.contains("12 changes pending; 3 hosts become reachable from the internet"), first.stdout)
        XCTAssertTrue(first.stdout.contains("YAML mode"), first.stdout)
        XCTAssertTrue(first.stdout.contains("restarts: homeassistant"), first.stdout)
        XCTAssertTrue(first.stdout.contains("+ jellyfin       depends_on += caddy"), first.stdout)
        let second = try box.reconcile(["plan"])
        XCTAssertEqual(second.status, 2)
        XCTAssertEqual(first.stdout, second.stdout, "`--plan` and `plan` are the same command and the plan is deterministic")
        XCTAssertEqual(try box.liveFiles(), before, "planning writes nothing")
        XCTAssertFalse(FileManager.default.fileExists(atPath: box.stateDir.path), "planning creates no state")
    }

    func testApplyWritesEveryTargetAndThenThePlanIsEmpty() throws {
        let box = try Sandbox()
        let originals = try box.liveFiles()
        let apply = try box.reconcile(["apply", "--no-runtime"])
        XCTAssertEqual(apply.status, 0, apply.stderr)
        for url in [box.caddyfile, box.configurationYAML, box.composeFile] {
            XCTAssertTrue(apply.stdout.contains("wrote \(url.path)"), apply.stdout)
        }
        XCTAssertTrue(apply.stdout.contains("reload Caddy"), apply.stdout)
        XCTAssertTrue(apply.stdout.contains("restart homeassistant"), apply.stdout)

        let written = try box.read(box.caddyfile)
        XCTAssertTrue(written.starts(with: originals[box.caddyfile.path]!.bytes!), "the hand-written Caddyfile is kept byte for byte")
        XCTAssertTrue(try box.read(box.configurationYAML).starts(with: originals[box.configurationYAML.path]!.bytes!),
                      "the http: block is appended; the user's configuration.yaml is kept byte for byte")

        let backups = try FileManager.default.subpathsOfDirectory(atPath: box.stateDir.appendingPathComponent("backups").path)
            .filter { $0.hasSuffix(".bak") }
        XCTAssertEqual(backups.count, 3, "\(backups)")
        let caddyBackup = try XCTUnwrap(backups.first { $0.contains("Caddyfile") })
        XCTAssertEqual(try Data(contentsOf: box.stateDir.appendingPathComponent("backups/\(caddyBackup)")), originals[box.caddyfile.path]?.bytes)
        XCTAssertTrue(FileManager.default.fileExists(atPath: box.stateDir.appendingPathComponent("ledger.json").path))

        let routes = proxiedHosts(try caddyAdapt(box.caddyfile))
        XCTAssertEqual(routes["mondomaine.ddnsfree.com"], ["host.docker.internal:8123"])
        XCTAssertEqual(routes["jellyfin.mondomaine.ddnsfree.com"], ["host.docker.internal:8096"])
        XCTAssertEqual(routes["cloud.mondomaine.ddnsfree.com"], ["host.docker.internal:8092"])
        let fmt = try runProcess(caddyBinary(), ["fmt", box.caddyfile.path])
        XCTAssertEqual(fmt.status, 0, fmt.stderr)
        XCTAssertEqual(fmt.stdout, String(decoding: written, as: UTF8.self), "what we write is already `caddy fmt` clean")

        // An independent YAML parser reads what we wrote the way we meant it.
        let ha = try pythonYAML(box.configurationYAML, expression: "doc['http']")
        XCTAssertEqual(ha as? NSDictionary, ["use_x_forwarded_for": true, "trusted_proxies": ["127.0.0.1", "::1", "172.16.0.0/12"]] as NSDictionary)
        let dependsOn = try pythonYAML(box.composeFile, expression: "{k: v.get('depends_on') for k, v in doc['services'].items()}")
        XCTAssertEqual(dependsOn as? NSDictionary, ["caddy": NSNull(), "homeassistant": ["zigbee2mqtt", "caddy"], "zigbee2mqtt": NSNull(),
                                                    "jellyfin": ["caddy"], "nextcloud": ["db", "caddy"], "db": NSNull()] as NSDictionary)

        let again = try box.reconcile(["--plan"])
        XCTAssertEqual(again.status, 0, again.stdout + again.stderr)
        XCTAssertTrue(again.stdout.contains("No changes"), again.stdout)
        let before = try box.liveFiles()
        let secondApply = try box.reconcile(["apply", "--no-runtime"])
        XCTAssertEqual(secondApply.status, 0)
        XCTAssertEqual(try box.liveFiles(), before, "a second apply changes nothing")
    }

    func testUpstreamChangeDriftAndPrune() throws {
        let box = try Sandbox()
        XCTAssertEqual(try box.reconcile(["apply", "--no-runtime"]).status, 0)
        let original = try String(decoding: Data(contentsOf: packageRoot.appendingPathComponent("example-gateway/usr/local/caddy/Caddyfile")), as: UTF8.self)

        // A hand edit inside a managed block is drift: named with its lines, and apply restores it.
        var text = String(decoding: try box.read(box.caddyfile), as: UTF8.self)
        text = text.replacingOccurrences(of: "host.docker.internal:8096", with: "host.docker.internal:9999")
        try Data(text.utf8).write(to: box.caddyfile)
        let drift = try box.reconcile(["--plan"])
        XCTAssertEqual(drift.status, 2)
        XCTAssertTrue(drift.stdout.contains("~ jellyfin"), drift.stdout)
        XCTAssertTrue(drift.stdout.contains("edited by hand"), drift.stdout)
        XCTAssertNotNil(drift.stdout.range(of: #"lines \d+-\d+"#, options: .regularExpression), drift.stdout)
        XCTAssertEqual(try box.reconcile(["apply", "--no-runtime"]).status, 0)
        XCTAssertTrue(String(decoding: try box.read(box.caddyfile), as: UTF8.self).contains("host.docker.internal:8096"))

        // Changing the declared upstream is a change, not drift.
        var desired = try String(contentsOf: box.repo.appendingPathComponent("exposure.yaml"), encoding: .utf8)
        desired = desired.replacingOccurrences(of: "host.docker.internal:8096", with: "host.docker.internal:8097")
        try box.writeDesired(desired)
        let change = try box.reconcile(["--plan", "--diff"])
        XCTAssertEqual(change.status, 2)
        XCTAssertTrue(change.stdout.contains("~ jellyfin"), change.stdout)
        XCTAssertFalse(change.stdout.contains("edited by hand"), change.stdout)
        XCTAssertTrue(change.stdout.contains("-\treverse_proxy host.docker.internal:8096"), change.stdout)
        XCTAssertTrue(change.stdout.contains("+\treverse_proxy host.docker.internal:8097"), change.stdout)

        // Declaring nothing prunes everything reconcile added and gives every file back as the user wrote it.
        try box.writeDesired("domain: mondomaine.ddnsfree.com\nservices: {}\n")
        let prune = try box.reconcile(["--plan"])
        XCTAssertEqual(prune.status, 2)
        XCTAssertEqual(prune.stdout.components(separatedBy: "no longer reachable from the internet").count - 1, 3, prune.stdout)
        XCTAssertEqual(try box.reconcile(["apply", "--no-runtime"]).status, 0)
        XCTAssertEqual(String(decoding: try box.read(box.caddyfile), as: UTF8.self), original)
        for relative in ["usr/local/homeassistant/configuration.yaml", "home/root/mapio/docker-compose.yml"] {
            XCTAssertEqual(try box.read(box.gateway.appendingPathComponent(relative)),
                           try Data(contentsOf: packageRoot.appendingPathComponent("example-gateway/" + relative)), relative)
        }
        XCTAssertEqual(try box.reconcile(["--plan"]).status, 0)
    }

    func testInvalidDesiredStateExitsOneNamesThePlaceAndWritesNothing() throws {
        let box = try Sandbox()
        try box.writeDesired("domain: mondomaine.ddnsfree.com\nservices:\n  evil:\n    host: \"x\\n}\\nattacker.com {\"\n    upstream: h:80\n    colour: red\n")
        let before = try box.liveFiles()
        for command in [["--plan"], ["apply", "--no-runtime"]] {
            let result = try box.reconcile(command)
            XCTAssertEqual(result.status, 1, result.stdout)
            XCTAssertTrue(result.stderr.contains("exposure.yaml:4:11: host contains a newline"), result.stderr)
            XCTAssertTrue(result.stderr.contains("exposure.yaml:6:5: unknown key 'colour'"), result.stderr)
            XCTAssertTrue(result.stderr.contains("Nothing was written"), result.stderr)
        }
        XCTAssertEqual(try box.liveFiles(), before)
    }

    func testBrokenLiveCaddyfileStopsThePlanWithItsPosition() throws {
        let box = try Sandbox()
        try Data("example.com {\n\treverse_proxy a:1\n}\n}\n".utf8).write(to: box.caddyfile)
        let before = try box.liveFiles()
        let result = try box.reconcile(["apply", "--no-runtime"])
        XCTAssertEqual(result.status, 1)
        XCTAssertTrue(result.stderr.contains("Caddyfile:4:1"), result.stderr)
        XCTAssertEqual(try box.liveFiles(), before)
    }

    func testJSONPlanIsMachineReadable() throws {
        let box = try Sandbox()
        let result = try box.reconcile(["--plan", "--json"])
        XCTAssertEqual(result.status, 2)
        let object = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        XCTAssertEqual(object["has_changes"] as? Bool, true)
        let targets = try XCTUnwrap(object["targets"] as? [[String: Any]])
        let caddy = try XCTUnwrap(targets.first { $0["kind"] as? String == "caddyfile" })
        XCTAssertEqual((caddy["changes"] as? [[String: Any]])?.compactMap { $0["subject"] as? String }, ["homeassistant", "jellyfin", "nextcloud"])
        XCTAssertEqual(caddy["writes_file"] as? Bool, true)
    }
}
