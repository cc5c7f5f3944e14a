import Controller
import Foundation
import TestSupport
import XCTest

/// What deploy/ installs, checked by the tools that will read it.
final class DeployTests: XCTestCase {
    let deploy = packageRoot.appendingPathComponent("deploy").path
    let units = ["reconcile.service", "reconcile-sync.service", "reconcile-sync.timer"]

    /// The units with ExecStart pointed at the built binary (verify fails on a missing one), in a fresh dir.
    func unitCopies(_ directory: TemporaryDirectory, edit: (String) -> String = { $0 }) throws -> [String] {
        let binary = try reconcileBinary().path
        return try units.map { name in
            let text = try String(contentsOfFile: deploy + "/systemd/" + name, encoding: .utf8)
            XCTAssertTrue(name.hasSuffix(".timer") || text.contains("ExecStart=/usr/local/bin/reconcile "), name)
            return directory.file(name, edit(text.replacingOccurrences(of: "/usr/local/bin/reconcile", with: binary)))
        }
    }

    func verify(_ paths: [String]) throws -> RunResult {
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/systemd-analyze") else {
            XCTFail("systemd-analyze is missing: scripts/setup.sh installs Debian's systemd")
            return RunResult(status: -1, stdout: "", stderr: "")
        }
        return try TestSupport.run(["systemd-analyze", "verify"] + paths, environment: ["SYSTEMD_LOG_COLOR": "0"], timeout: .seconds(60))
    }

    /// systemd-analyze exits 0 on an unknown key and only prints a warning: any output is a failure.
    func testSystemdAnalyzeVerifyAcceptsTheUnitsSilently() throws {
        let directory = TemporaryDirectory(prefix: "reconcile-units")
        let result = try verify(try unitCopies(directory))
        XCTAssertEqual(result.status, 0, result.output)
        XCTAssertEqual(result.output, "", "systemd-analyze verify printed something")
    }

    /// The check above would see a typo: the same units with one key misspelt make verify talk.
    func testAMisspeltKeyIsCaught() throws {
        let directory = TemporaryDirectory(prefix: "reconcile-units-typo")
        let result = try verify(try unitCopies(directory) { $0.replacingOccurrences(of: "OnBootSec=", with: "OnBootSek=") })
        XCTAssertTrue(result.output.contains("OnBootSek"), "verify did not report the typo: \(result.output)")
    }

    /// And a missing binary is refused (why the copies point at the built one).
    func testAMissingBinaryIsRefused() throws {
        let directory = TemporaryDirectory(prefix: "reconcile-units-missing")
        let result = try verify(try unitCopies(directory) { $0.replacingOccurrences(of: "ExecStart=/", with: "ExecStart=/nonexistent/") })
        XCTAssertNotEqual(result.status, 0)
    }

    func testTheComposeServiceIsValidCompose() throws {
        let result = try TestSupport.run(["docker-compose", "-f", deploy + "/docker-compose.reconcile.yml", "config"], timeout: .seconds(60))
        XCTAssertEqual(result.status, 0, result.output)
        for mount in ["/usr/local/caddy:/usr/local/caddy", "/usr/local/homeassistant:/usr/local/homeassistant",
                      "/home/root/mapio:/home/root/mapio", "/var/run/docker.sock:/var/run/docker.sock",
                      "/usr/local/reconcile:/usr/local/reconcile"] {
            let parts = mount.split(separator: ":")
            XCTAssertTrue(result.stdout.contains("source: \(parts[0])") || result.stdout.contains(mount), "missing mount \(mount): \(result.stdout)")
        }
        XCTAssertFalse(result.stdout.contains("/var/lib/reconcile"), "state on the gateway's persistent partition, /usr/local")
        XCTAssertTrue(result.stdout.contains("/usr/local/reconcile/config.yaml"), result.stdout)
    }

    /// The example settings load, and put the state and secrets where OS updates do not reach.
    func testTheExampleSettingsKeepEverythingUnderUsrLocal() throws {
        let settings = try SettingsFile.load(deploy + "/config.example.yaml")
        XCTAssertEqual(settings.stateDir, "/usr/local/reconcile/state")
        XCTAssertEqual(settings.tokenFile, "/usr/local/reconcile/git-token")
        XCTAssertNil(settings.adopt, "adoption is an opt-in: commented out in the example")
        let text = try String(contentsOfFile: deploy + "/config.example.yaml", encoding: .utf8)
        XCTAssertFalse(text.contains("/home/root/reconcile") || text.contains("/etc/reconcile"), "nothing outside /usr/local")
    }

    func testThePostReceiveHookIsValidShellAndExecutable() throws {
        let hook = deploy + "/post-receive"
        XCTAssertTrue(FileManager.default.isExecutableFile(atPath: hook))
        let result = try TestSupport.run(["sh", "-n", hook])
        XCTAssertEqual(result.status, 0, result.output)
    }
}
