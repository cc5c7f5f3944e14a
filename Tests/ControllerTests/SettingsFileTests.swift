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
            XCTAssertEqual((error as? DiagnosticList)?.diagnostics.map(\.description), ["r.yaml:1:8: 'adopt' is 'yes please', not true or false"])
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

    /// Each key's error names the kind of value that key takes, at the value's position: not "a path" for all.
    func testEachKeyNamesTheKindOfValueItTakesAtItsPosition() throws {
        var expected: [String: String] = [:]
        for setting in SettingsFile.table.settings where setting.sample != nil {
            guard let key = setting.key else { continue }
            XCTAssertThrowsError(try SettingsFile.parse(Array("\(key): [1]\n".utf8), file: "r.yaml"), key) { error in
                let found = (error as? DiagnosticList)?.diagnostics.map(\.description) ?? []
                XCTAssertEqual(found.count, 1, "\(found)")
                XCTAssertTrue(found.first?.hasPrefix("r.yaml:1:\(key.count + 3): '\(key)' must be \(setting.expected)") == true, "\(found)")
            }
            expected[key] = setting.expected
        }
        XCTAssertEqual(expected["repo"], "a path")
        XCTAssertEqual(expected["branch"], "a name")
        XCTAssertEqual(expected["probe"], "a URL")
        XCTAssertEqual(expected["caddy_admin"], "host:port")
        XCTAssertEqual(expected["probe_attempts"], "a positive number of attempts")
        XCTAssertEqual(expected["git_timeout"], "a positive number of seconds")
        XCTAssertEqual(expected["adopt"], "true or false")
        XCTAssertEqual(expected["compose"], "one of auto, v1, v2, none")
        XCTAssertThrowsError(try SettingsFile.parse(Array("branch: [main]\nprobe_attempts: many\n".utf8), file: "r.yaml")) { error in
            XCTAssertEqual((error as? DiagnosticList)?.diagnostics.map(\.description), [
                "r.yaml:1:9: 'branch' must be a name",
                "r.yaml:2:17: 'probe_attempts' is 'many', not a positive number of attempts",
            ])
        }
    }

    /// Every field of the settings has one description in the table, and the precedence covers it: a value the
    /// file holds stays when the command line says nothing, and the command line's wins over it.
    func testEverySettingHasOneDescriptionAndThePrecedenceCoversIt() throws {
        XCTAssertEqual(Mirror(reflecting: SettingsFile()).children.count, SettingsFile.table.settings.count)
        XCTAssertEqual(Mirror(reflecting: ServeFileSettings()).children.count, ServeFileSettings.table.settings.count)
        var files: [SettingsFile] = []
        for setting in SettingsFile.table.settings {
            guard let sample = setting.sample else { continue }
            var layer = SettingsFile()
            XCTAssertTrue(setting.set(sample, in: &layer), setting.displayName)
            files.append(layer)
        }
        files.append(try SettingsFile.parse(Array("ha_commands:\n  stop: [a]\n  start: [b]\n  restart: [c]\n".utf8), file: "r.yaml"))
        files.append(try SettingsFile.parse(Array("notify: [{ntfy: https://ntfy.example/t}]\n".utf8), file: "r.yaml"))
        files.append(try SettingsFile.parse(Array("serve: {listen: 10.0.0.1:1}\n".utf8), file: "r.yaml"))
        XCTAssertEqual(files.count, SettingsFile.table.settings.count, "a value for every setting")
        for file in files {
            XCTAssertNotEqual(file, SettingsFile())
            XCTAssertEqual(SettingsFile().over(file), file, "the file's value stays: \(file)")
            XCTAssertEqual(file.over(SettingsFile()), file, "the command line's value stays: \(file)")
        }
        var command = SettingsFile(), file = SettingsFile()
        (command.branch, file.branch, file.gateway) = ("cli", "file", "home")
        let merged = command.over(file)
        XCTAssertEqual(merged.branch, "cli")
        XCTAssertEqual(merged.gateway, "home")
    }

    func testEmptyFileMeansDefaults() throws {
        XCTAssertEqual(try SettingsFile.parse([], file: "r.yaml"), SettingsFile())
    }
}
