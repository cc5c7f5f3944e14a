import Foundation
import TestSupport
import XCTest

/// A notification that cannot be sent is the daemon's warning and metric, never its reconcile's failure.
extension ServeBinaryTests {
    func testAnUnsentNotificationIsCountedByChannelAndLoggedWithoutFailingTheReconcile() throws {
        let sandbox = try DaemonSandbox()
        let dead = try freeLoopbackPort()
        let config = sandbox.directory.file("config.yaml", "notify:\n  - ntfy: http://127.0.0.1:\(dead)/alerts\n")
        let serve = try ServeProcess(sandbox.serveArguments(["--config", config, "--interval", "1h"]), logFile: sandbox.root + "/serve.log")
        // The startup reconcile publishes the example's hosts: news, for a target that refuses connections.
        XCTAssertTrue(serve.wait(timeout: 30) {
            let samples = try self.parseMetrics(try serve.get("/metrics").text, in: sandbox)
            return self.value(samples, "reconcile_notification_failures_total", ["channel": "ntfy"]) == 1
        }, "no failed notification counted: \(serve.log())")
        let samples = try self.parseMetrics(try serve.get("/metrics").text, in: sandbox)
        XCTAssertEqual(value(samples, "reconcile_notification_failures_total", ["channel": "webhook"]), 0)
        XCTAssertEqual(value(samples, "reconcile_notification_failures_total", ["channel": "apprise"]), 0)
        XCTAssertEqual(value(samples, "reconcile_runs_total", ["result": "applied"]), 1, "the reconcile itself succeeded")
        XCTAssertEqual(try serve.health()["status"] as? String, "ok")
        XCTAssertTrue(serve.log().contains("notification not sent"), serve.log())
        XCTAssertTrue(serve.log().contains("connection refused"), serve.log())
        XCTAssertEqual(serve.terminate(), 0)
    }
}
