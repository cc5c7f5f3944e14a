import Foundation
import TestSupport
import XCTest

/// `serve.webhook_host` through the real executable: a plan that would cut Caddy's route to the daemon's
/// webhook is refused and apply writes nothing; the real Caddy confirms which Caddyfiles route it.
final class WebhookRouteTests: XCTestCase {
    func settings(_ box: Sandbox) throws -> String {
        let path = box.root.appendingPathComponent("reconcile.yaml").path
        try Data("serve:\n  webhook_host: hook.mondomaine.ddnsfree.com\n  webhook_upstream: host.docker.internal:9797\n".utf8)
            .write(to: URL(fileURLWithPath: path))
        return path
    }

    func testAnApplyThatWouldCutTheWebhookRouteIsRefusedAndWritesNothing() throws {
        let box = try Sandbox()
        let config = try settings(box)
        let desired = try String(contentsOf: box.repo.appendingPathComponent("exposure.yaml"), encoding: .utf8)
        try box.writeDesired(desired + "\n  hook:\n    host: hook\n    upstream: host.docker.internal:9797\n")
        let first = try box.reconcile(["apply", "--no-runtime", "--config", config])
        XCTAssertEqual(first.status, 0, first.output)
        XCTAssertFalse(first.output.contains("is not routed"), "routed once applied: \(first.output)")
        // The real Caddy agrees the written file routes the webhook host to the daemon.
        XCTAssertEqual(proxiedHosts(try caddyAdapt(box.caddyfile))["hook.mondomaine.ddnsfree.com"], ["host.docker.internal:9797"])

        try box.writeDesired(desired)
        let before = try box.liveFiles()
        let plan = try box.reconcile(["plan", "--no-runtime", "--config", config])
        XCTAssertEqual(plan.status, 1, plan.output)
        XCTAssertTrue(plan.stderr.contains("would cut the route to reconcile's own webhook: https://hook.mondomaine.ddnsfree.com/hooks/reconcile"), plan.stderr)
        XCTAssertTrue(plan.stderr.contains(box.caddyfile.path), "the error names the file: \(plan.stderr)")
        let apply = try box.reconcile(["apply", "--no-runtime", "--config", config])
        XCTAssertEqual(apply.status, 1, apply.output)
        XCTAssertTrue(apply.stderr.contains("Nothing was written"), apply.stderr)
        XCTAssertEqual(try box.liveFiles(), before, "a refused plan writes nothing")

        // Without the setting, the same removal is an ordinary prune.
        XCTAssertEqual(try box.reconcile(["plan", "--no-runtime"]).status, 2)
    }

    /// The guard's reading of a Caddyfile matches `caddy adapt`'s routes for the shapes it decides on.
    func testTheGuardAgreesWithCaddy() throws {
        let box = try Sandbox()
        let config = try settings(box)
        try box.writeDesired("version: 1\ndomain: mondomaine.ddnsfree.com\nservices:\n  app:\n    host: app\n    upstream: host.docker.internal:1\n")
        let shapes: [(String, Bool)] = [
            ("hook.mondomaine.ddnsfree.com {\n\treverse_proxy host.docker.internal:9797\n}\n", true),
            ("hook.mondomaine.ddnsfree.com {\n\thandle /hooks/* {\n\t\treverse_proxy host.docker.internal:9797\n\t}\n}\n", true),
            ("hook.mondomaine.ddnsfree.com {\n\treverse_proxy host.docker.internal:8080\n}\n", false),
            ("other.mondomaine.ddnsfree.com {\n\treverse_proxy host.docker.internal:9797\n}\n", false),
        ]
        for (caddyfile, routed) in shapes {
            try Data(caddyfile.utf8).write(to: box.caddyfile)
            let dials = proxiedHosts(try caddyAdapt(box.caddyfile))["hook.mondomaine.ddnsfree.com"] ?? []
            XCTAssertEqual(dials.contains("host.docker.internal:9797"), routed, "caddy adapt disagrees with the test on \(caddyfile)")
            let plan = try box.reconcile(["plan", "--no-runtime", "--config", config])
            XCTAssertEqual(plan.stdout.contains("is not routed"), !routed, "guard vs caddy on \(caddyfile): \(plan.output)")
        }
    }
}
