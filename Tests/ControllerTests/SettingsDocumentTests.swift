import Controller
import Foundation
import TestSupport
import XCTest

/// README.md's table of settings is the one `SettingsDocument` renders from the settings table.
/// `RECONCILE_WRITE_SETTINGS_DOCUMENT=1` renders it into README.md instead (then read the diff).
final class SettingsDocumentTests: XCTestCase {
    func testTheReadmeListsEverySettingAsTheTableDescribesIt() throws {
        let url = packageRoot.appendingPathComponent("README.md")
        var readme = try String(contentsOf: url, encoding: .utf8)
        let expected = SettingsDocument.markdown()
        guard let start = readme.range(of: SettingsDocument.begin), let end = readme.range(of: SettingsDocument.end, range: start.upperBound..<readme.endIndex) else {
            return XCTFail("README.md has no lines \(SettingsDocument.begin) and \(SettingsDocument.end) for the table of settings")
        }
        if ProcessInfo.processInfo.environment["RECONCILE_WRITE_SETTINGS_DOCUMENT"] == "1" {
            readme.replaceSubrange(start.lowerBound..<end.upperBound, with: expected.dropLast())
            try readme.write(to: url, atomically: true, encoding: .utf8)
            return
        }
        let found = String(readme[start.lowerBound..<end.upperBound]) + "\n"
        XCTAssertEqual(found, expected, "README.md's table of settings differs from the table: RECONCILE_WRITE_SETTINGS_DOCUMENT=1 renders it")
        for key in SettingsFile.table.keys + ServeFileSettings.table.keys.map({ "serve." + $0 }) {
            XCTAssertTrue(found.contains("`\(key)`"), key)
        }
    }
}
