import Foundation
import TestSupport
import XCTest

/// The command line as people type it: a fixed-value option outside its values is a usage error that
/// lists them (before anything is read or written), and a setting comes from the option, else the
/// settings file, else the default.
final class OptionsCommandLineTests: XCTestCase {
    /// argument-parser's exit status for a usage error (EX_USAGE).
    let usageError: Int32 = 64

    func testAValueOutsideAFixedSetIsAUsageErrorListingTheAllowedValues() throws {
        let root = TemporaryDirectory(prefix: "reconcile-options")
        let cases: [([String], String, [String])] = [
            (["apply", "--compose", "v3"], "v3", ["auto", "v1", "v2", "none"]),
            (["plan", "--compose", "docker"], "docker", ["auto", "v1", "v2", "none"]),
            (["apply", "--ha-restart", "systemd"], "systemd", ["compose", "none"]),
            (["plan", "--caddy", "reload"], "reload", ["auto", "admin-api", "container", "none"]),
            (["serve", "--log-format", "xml"], "xml", ["text", "json"]),
        ]
        for (arguments, value, allowed) in cases {
            let result = try runProcess(try reconcileBinary(), arguments + ["--root", root.path])
            XCTAssertEqual(result.status, usageError, "\(arguments): \(result.output)")
            XCTAssertTrue(result.stderr.contains("'\(value)'"), "names the value: \(result.stderr)")
            for word in allowed {
                XCTAssertTrue(result.stderr.contains("'\(word)'"), "\(arguments) lists '\(word)': \(result.stderr)")
            }
        }
    }

    func testOptionsThatCanNeverBeRightAreUsageErrors() throws {
        let root = TemporaryDirectory(prefix: "reconcile-options")
        for (arguments, message) in [(["plan", "--git-timeout", "0"], "--git-timeout must be a positive number of seconds"),
                                     (["apply", "--probe-timeout", "0"], "--probe-timeout must be a positive number of seconds"),
                                     (["apply", "--caddy", "auto", "--caddy-admin", "none"], "--caddy-admin none goes with --caddy none")] {
            let result = try runProcess(try reconcileBinary(), arguments + ["--root", root.path])
            XCTAssertEqual(result.status, usageError, "\(arguments): \(result.output)")
            XCTAssertTrue(result.stderr.contains(message), result.stderr)
        }
    }

    /// `status` names the state dir it looked in: the option's, else the settings file's, else the default under --root.
    func testTheOptionWinsOverTheSettingsFileWhichWinsOverTheDefault() throws {
        let directory = TemporaryDirectory(prefix: "reconcile-options")
        let root = directory.path + "/gw"
        directory.file("reconcile.yaml", "state_dir: \(directory.path)/from-file\n")
        func lookedIn(_ arguments: [String]) throws -> String {
            let result = try runProcess(try reconcileBinary(), ["status", "--root", root] + arguments)
            XCTAssertEqual(result.status, 1, result.output)
            return result.stderr
        }
        XCTAssertTrue(try lookedIn([]).contains("no status report in \(root)/var/lib/reconcile/status"), "the default")
        XCTAssertTrue(try lookedIn(["--config", directory.path + "/reconcile.yaml"]).contains("no status report in \(directory.path)/from-file/status"),
                      "the settings file over the default")
        XCTAssertTrue(try lookedIn(["--config", directory.path + "/reconcile.yaml", "--state-dir", directory.path + "/from-option"])
                        .contains("no status report in \(directory.path)/from-option/status"), "the option over the settings file")
    }
}
