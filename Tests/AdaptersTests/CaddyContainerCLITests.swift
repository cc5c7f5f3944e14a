import Foundation
import XCTest
import TestSupport
@testable import Adapters

/// `CaddyContainerCLI` with real Caddy binaries (Debian's 2.6.2 and the official 2.11.7), run through
/// `DockerExecDouble`: a stand-in for `docker exec -i -w DIR CONTAINER caddy …` that runs that Caddy on
/// this host in DIR (the real engine is covered by GatewayEndToEndTests' stock gateway).
final class CaddyContainerCLITests: XCTestCase {
    static let caddy2_6 = "/usr/bin/caddy"
    static let caddy2_11 = ProcessInfo.processInfo.environment["RECONCILE_CADDY_2_11"] ?? "/usr/local/lib/reconcile-test/caddy-2.11.7/caddy"

    func cli(_ caddy: String, double: DockerExecDouble, live: String = "/usr/local/caddy/Caddyfile") -> CaddyContainerCLI {
        CaddyContainerCLI(container: "0123abcd", name: "mapio-caddy-1", service: "caddy", configPath: double.folder + "/Caddyfile",
                          liveCaddyfile: live, docker: double.script,
                          environment: ProcessInfo.processInfo.environment.merging(["DOUBLE_CADDY": caddy]) { $1 }, timeout: .seconds(60))
    }

    func forEachCaddy(_ body: (String) throws -> Void) throws {
        for caddy in [Self.caddy2_6, Self.caddy2_11] {
            XCTAssertTrue(FileManager.default.isExecutableFile(atPath: caddy), "\(caddy) missing: run scripts/setup.sh")
            try body(caddy)
        }
    }

    func testVersionValidationAndRejectionWithBothVersions() throws {
        let double = try DockerExecDouble()
        try forEachCaddy { caddy in
            let cli = self.cli(caddy, double: double)
            XCTAssertEqual(try cli.version(), caddy == Self.caddy2_6 ? "v2.6.2" : "v2.11.7")
            try cli.validate(caddyfile: Array(":8080 {\n\trespond \"hi\"\n}\n".utf8))
            XCTAssertThrowsError(try cli.validate(caddyfile: Array(":8080 {\n\tbogus\n}\n".utf8))) { error in
                guard case .rejected(let message)? = error as? CaddyError else { return XCTFail("\(caddy): \(error)") }
                XCTAssertTrue(message.contains("/usr/local/caddy/Caddyfile:2"), "\(caddy): the position is in the live file: \(message)")
                XCTAssertTrue(message.contains("unrecognized directive: bogus"), "\(caddy): \(message)")
                XCTAssertFalse(message.contains("\"level\""), "\(caddy): Caddy's words, not its log line: \(message)")
            }
        }
        // 2.6 refuses `--config -`: the CLI falls back to /dev/stdin; 2.11 takes `-`.
        XCTAssertEqual(double.calls().filter { $0.contains("adapt --config /dev/stdin") }.count, 2, double.calls().joined(separator: "\n"))
    }

    func testValidationProvisionsModulesSoABadValueIsRefusedBeforeAnyWrite() throws {
        let double = try DockerExecDouble()
        let cli = cli(Self.caddy2_11, double: double)
        // Adapts fine (a path is a path); only provisioning finds the missing files.
        XCTAssertThrowsError(try cli.validate(caddyfile: Array("a.test {\n\ttls /nonexistent.crt /nonexistent.key\n}\n".utf8))) { error in
            guard case .rejected(let message)? = error as? CaddyError else { return XCTFail("\(error)") }
            XCTAssertTrue(message.contains("nonexistent"), message)
        }
    }

    func testRelativeImportsResolveFromTheCaddyfilesFolder() throws {
        let double = try DockerExecDouble()
        try "(snip) {\n\trespond \"snip\"\n}\n".write(toFile: double.folder + "/snippets.caddy", atomically: true, encoding: .utf8)
        try cli(Self.caddy2_11, double: double).validate(caddyfile: Array("import snippets.caddy\n:8080 {\n\timport snip\n}\n".utf8))
    }

    func testReloadLoadsRefusesAndNeedsTheAdminAPI() throws {
        let running = try RealCaddy(site: "respond \"first\"", caddyPath: Self.caddy2_11)
        defer { running.stop() }
        let double = try DockerExecDouble()
        try forEachCaddy { caddy in
            let each = self.cli(caddy, double: double)
            try each.reload(caddyfile: Array(running.caddyfile(site: "respond \"from \(caddy)\"").utf8))
            XCTAssertEqual(try running.get().text, "from \(caddy)")
        }
        let cli = self.cli(Self.caddy2_11, double: double)
        // Adapts and provisions, but cannot listen: Caddy refuses it at load and keeps the old config.
        let unbindable = running.caddyfile(site: "respond \"never\"") + "http://other.test:\(running.httpPort) {\n\tbind 192.0.2.1\n\trespond \"x\"\n}\n"
        XCTAssertThrowsError(try cli.reload(caddyfile: Array(unbindable.utf8))) { error in
            guard case .rejected(let message)? = error as? CaddyError else { return XCTFail("\(error)") }
            XCTAssertTrue(message.contains("192.0.2.1"), message)
        }
        XCTAssertEqual(try running.get().text, "from \(Self.caddy2_11)", "a refused config leaves the running one serving")
        // No admin API (`admin off`): the container way is closed, which is not the config's fault.
        XCTAssertThrowsError(try cli.reload(caddyfile: Array("{\n\tadmin off\n}\n:\(RealCaddy.freePort()) {\n\trespond \"x\"\n}\n".utf8))) { error in
            guard case .unreachable(let message)? = error as? CaddyError else { return XCTFail("\(error)") }
            XCTAssertTrue(message.contains("admin off"), message)
        }
    }

    func testTheEnginesOwnFailureIsUnreachable() throws {
        let double = try DockerExecDouble(failWith: "Error response from daemon: container 0123abcd is not running")
        XCTAssertThrowsError(try cli(Self.caddy2_11, double: double).validate(caddyfile: Array(":80\n".utf8))) { error in
            guard case .unreachable(let message)? = error as? CaddyError else { return XCTFail("\(error)") }
            XCTAssertTrue(message.contains("mapio-caddy-1") && message.contains("is not running"), message)
        }
    }

    func testMessagesOfBothVersionsAreCaddysWords() {
        let old = "Error: /dev/stdin:2: unrecognized directive: bogus\n"
        XCTAssertEqual(CaddyCLIMessage.text(old, config: "/c/Caddyfile"), "/c/Caddyfile:2: unrecognized directive: bogus")
        let new = #"{"level":"info","msg":"using adjacent Caddyfile"}"# + "\n" + #"{"level":"error","ts":1,"msg":"File to import not found: s.caddy, at -:1"}"# + "\n"
        XCTAssertEqual(CaddyCLIMessage.text(new, config: "/c/Caddyfile"), "File to import not found: s.caddy, at /c/Caddyfile:1")
    }
}

extension CaddyContainerCLITests {
    func testStdinPositionsAreTheLiveFilesWhereverCaddyPutsThem() {
        XCTAssertEqual(CaddyCLIMessage.text(#"{"level":"error","msg":"-:2: unrecognized directive: bogus"}"#, config: "/c/Caddyfile"),
                       "/c/Caddyfile:2: unrecognized directive: bogus")
        XCTAssertEqual(CaddyCLIMessage.text("Error: a-:3 stays, (-:4) does not", config: "/c/Caddyfile"), "a-:3 stays, (/c/Caddyfile:4) does not")
    }
}
