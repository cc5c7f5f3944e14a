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

    func testUnknownKeysAndNonPathsAreReportedTogether() {
        XCTAssertThrowsError(try SettingsFile.parse(Array("caddyfil: /c\nrepo: [a]\n".utf8), file: "r.yaml")) { error in
            let list = error as? DiagnosticList
            XCTAssertEqual(list?.diagnostics.map(\.description), [
                "r.yaml:1:1: unknown setting 'caddyfil' (did you mean 'caddyfile'?)",
                "r.yaml:2:7: 'repo' must be a path",
            ])
        }
    }

    func testEmptyFileMeansDefaults() throws {
        XCTAssertEqual(try SettingsFile.parse([], file: "r.yaml"), SettingsFile())
    }
}
