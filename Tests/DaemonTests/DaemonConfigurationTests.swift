import Adapters
import Controller
import Daemon
import XCTest

/// `serve:` settings to a daemon: the defaults, what is given, and a clear error naming the option.
final class DaemonConfigurationTests: XCTestCase {
    let runner = CycleRunner(settings: ReconcileSettings(repo: "/repo", paths: GatewayPaths.defaults(root: "/gateway")),
                             options: .init(mode: .apply(nil), report: true, publish: false))

    func testDefaults() throws {
        let daemon = try Daemon.configured(ServeFileSettings(), runner: runner)
        XCTAssertEqual("\(daemon.host):\(daemon.port)", ServeFileSettings.defaultListen)
        XCTAssertEqual(daemon.webhookPath, ServeFileSettings.defaultWebhookPath)
        XCTAssertNil(daemon.webhook, "no secret file: the webhook is off")
        XCTAssertEqual(daemon.schedule, TimerSchedule.standard)
        XCTAssertEqual(daemon.burstWindow, .seconds(1))
        XCTAssertEqual(daemon.statusPage, .direct)
    }

    func testWhatIsGiven() throws {
        var serve = ServeFileSettings()
        (serve.listen, serve.webhookPath, serve.interval, serve.jitter, serve.burstWindow, serve.statusPage)
            = ("[::1]:8080", "/hook", "10m", "0", "2s", .off)
        let daemon = try Daemon.configured(serve, runner: runner)
        XCTAssertEqual(daemon.host, "::1")
        XCTAssertEqual(daemon.port, 8080)
        XCTAssertEqual(daemon.webhookPath, "/hook")
        XCTAssertEqual(daemon.schedule, TimerSchedule(interval: .seconds(600), jitter: .zero))
        XCTAssertEqual(daemon.burstWindow, .seconds(2))
        XCTAssertEqual(daemon.statusPage, .off)
    }

    func testMistakesNameTheOption() {
        for (change, option): ((inout ServeFileSettings) -> Void, String) in [
            ({ $0.listen = "9797" }, "--listen"), ({ $0.webhookPath = "/metrics" }, "--webhook-path"),
            ({ $0.interval = "50ms" }, "--interval"), ({ $0.jitter = "soon" }, "--jitter"), ({ $0.burstWindow = "x" }, "--burst-window"),
        ] {
            var serve = ServeFileSettings()
            change(&serve)
            XCTAssertThrowsError(try Daemon.configured(serve, runner: runner)) { error in
                XCTAssertEqual((error as? ReconcileError)?.reason, .invalidSettings)
                XCTAssertTrue("\(error)".contains(option), "\(option): \(error)")
            }
        }
    }
}
