import XCTest
import Diagnostics
@testable import Controller

final class SettingsFileTests: XCTestCase {
    func testReadsEverySetting() throws {
        let text = "repo: /srv/exposure\nroot: /mnt/gw\ncaddyfile: /c/Caddyfile\nha_config: /ha\ncompose_file: /dc.yml\nstate_dir: /state\n"
        let settings = try SettingsFile.parse(Array(text.utf8), file: "reconcile.yaml")
        XCTAssertEqual(settings.repo, "/srv/exposure")
        XCTAssertEqual(settings.root, "/mnt/gw")
        XCTAssertEqual(settings.caddyfile, "/c/Caddyfile")
        XCTAssertEqual(settings.haConfig, "/ha")
        XCTAssertEqual(settings.composeFile, "/dc.yml")
        XCTAssertEqual(settings.stateDir, "/state")
    }

    func testAdoptIsAnExplicitBoolean() throws {
        XCTAssertNil(try SettingsFile.parse(Array("repo: /r\n".utf8), file: "r.yaml").adopt, "off unless written")
        XCTAssertEqual(try SettingsFile.parse(Array("adopt: true\n".utf8), file: "r.yaml").adopt, true)
        XCTAssertEqual(try SettingsFile.parse(Array("adopt: false\n".utf8), file: "r.yaml").adopt, false)
        XCTAssertThrowsError(try SettingsFile.parse(Array("adopt: yes please\n".utf8), file: "r.yaml")) { error in
            XCTAssertEqual((error as? DiagnosticList)?.diagnostics.map(\.description), ["r.yaml:1:8: 'adopt' must be true or false"])
        }
    }

    func testUnknownKeysAndNonPathsAreReportedTogether() {
        XCTAssertThrowsError(try SettingsFile.parse(Array("caddyfil: /c\nrepo: [a]\n".utf8), file: "r.yaml")) { error in
            let list = error as? DiagnosticList
            XCTAssertEqual(list?.diagnostics.map(\.description), [
                "r.yaml:1:1: unknown setting 'caddyfil' (did you mean 'caddyfile'?)",
                "r.yaml:2:7: 'repo' must be a path",
            ])
        }
    }

    func testRuntimeSettingsAndHomeAssistantCommands() throws {
        let text = "caddy_admin: 127.0.0.1:2019\ncompose: v1\nprobe: https://127.0.0.1:8443\nprobe_attempts: 3\nprobe_timeout: 2.5\n"
            + "ha_commands:\n  stop: [systemctl, stop, hass]\n  start: [systemctl, start, hass]\n  restart: [systemctl, restart, hass]\n"
        let settings = try SettingsFile.parse(Array(text.utf8), file: "r.yaml")
        XCTAssertEqual(settings.caddyAdmin, "127.0.0.1:2019")
        XCTAssertEqual(settings.compose, .v1)
        XCTAssertEqual(settings.probe, "https://127.0.0.1:8443")
        XCTAssertEqual(settings.probeAttempts, 3)
        XCTAssertEqual(settings.probeTimeout, 2.5)
        XCTAssertEqual(settings.haCommands?.restart, ["systemctl", "restart", "hass"])
        XCTAssertThrowsError(try SettingsFile.parse(Array("probe_timeout: -1\nha_commands:\n  stop: [a]\n".utf8), file: "r.yaml")) { error in
            let messages = (error as? DiagnosticList)?.diagnostics.map(\.message) ?? []
            XCTAssertEqual(messages.count, 2, "\(messages)")
            XCTAssertTrue(messages.contains { $0.contains("probe_timeout") })
            XCTAssertTrue(messages.contains { $0.contains("'start'") })
        }
    }

    func testTheWayToCaddy() throws {
        XCTAssertEqual(try SettingsFile.parse(Array("caddy: container\n".utf8), file: "r.yaml").caddy, .container)
        XCTAssertNil(try SettingsFile.parse(Array("repo: x\n".utf8), file: "r.yaml").caddy, "unset: the CLI's default, auto")
        XCTAssertThrowsError(try SettingsFile.parse(Array("caddy: docker\n".utf8), file: "r.yaml")) { error in
            XCTAssertEqual((error as? DiagnosticList)?.diagnostics.map(\.description).first?.hasPrefix("r.yaml:1:8: 'caddy' is 'docker', not one of auto, admin-api, container, none"), true, "\(error)")
        }
    }

    func testEmptyFileMeansDefaults() throws {
        XCTAssertEqual(try SettingsFile.parse([], file: "r.yaml"), SettingsFile())
    }
}
