import XCTest
import Diagnostics
@testable import Controller

final class ServeFileSettingsTests: XCTestCase {
    func testReadsTheServeSectionAndItsRoute() throws {
        let text = """
            repo: /srv/exposure.git
            serve:
              listen: 172.17.0.1:9797
              webhook_path: /hooks/x
              webhook_secret_file: /etc/reconcile/webhook-secret
              webhook_host: hook.example.org
              interval: 10m
              jitter: 1m
              burst_window: 2s
              max_body: 65536
              log_format: json

            """
        let settings = try SettingsFile.parse(Array(text.utf8), file: "r.yaml")
        let serve = try XCTUnwrap(settings.serve)
        XCTAssertEqual(serve.listen, "172.17.0.1:9797")
        XCTAssertEqual(serve.webhookSecretFile, "/etc/reconcile/webhook-secret")
        XCTAssertEqual(serve.interval, "10m")
        XCTAssertEqual(serve.burstWindow, "2s")
        XCTAssertEqual(serve.maxBody, 65536)
        XCTAssertEqual(serve.logFormat, .json)
        // The route defaults its upstream to where the daemon listens.
        XCTAssertEqual(serve.route?.url, "https://hook.example.org/hooks/x")
        XCTAssertEqual(serve.route?.upstream, "172.17.0.1:9797")
        XCTAssertNil(ServeFileSettings().route, "no webhook_host: nothing to guard")
    }

    func testMistakesAreReportedWithPositions() {
        XCTAssertThrowsError(try SettingsFile.parse(Array("serve:\n  intervall: 5m\n  max_body: lots\n".utf8), file: "r.yaml")) { error in
            XCTAssertEqual((error as? DiagnosticList)?.diagnostics.map(\.description), [
                "r.yaml:2:3: unknown setting 'serve.intervall' (did you mean 'interval'?)",
                "r.yaml:3:13: 'serve.max_body' is 'lots', not a positive number of bytes",
            ])
        }
        XCTAssertThrowsError(try SettingsFile.parse(Array("serve: 5m\n".utf8), file: "r.yaml"))
    }

    /// The timer's durations are checked where they are written, not first when the daemon starts.
    func testADurationThatIsNoneIsRefusedAtItsPosition() {
        XCTAssertThrowsError(try SettingsFile.parse(Array("serve:\n  interval: soon\n  jitter: 30s\n".utf8), file: "r.yaml")) { error in
            XCTAssertEqual((error as? DiagnosticList)?.diagnostics.map(\.description),
                           ["r.yaml:2:13: 'serve.interval' is 'soon', not a duration (300, 30s, 5m, 1h)"])
        }
    }

    /// The command line's `serve` options win key by key over the file's `serve:` mapping.
    func testServeOptionsWinKeyByKeyOverTheFile() throws {
        let file = try SettingsFile.parse(Array("serve:\n  listen: 10.0.0.1:1\n  interval: 10m\n".utf8), file: "r.yaml")
        var command = SettingsFile()
        command.serve = ServeFileSettings()
        command.serve?.listen = "127.0.0.1:2"
        let merged = command.over(file)
        XCTAssertEqual(merged.serve?.listen, "127.0.0.1:2")
        XCTAssertEqual(merged.serve?.interval, "10m")
        XCTAssertEqual(SettingsFile().over(file), file)
    }
}
