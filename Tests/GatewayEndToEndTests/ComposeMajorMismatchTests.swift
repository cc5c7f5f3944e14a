import Foundation
import TestSupport
import XCTest

/// Issue #24: a project one Compose major created is never touched by the other without the user's explicit
/// choice. The two hash service definitions differently: run on the other's project, `up` recreates and renames
/// every container it brings up (Caddy among them, so every exposed service goes down), for a one-line change.
/// Real Compose v1 (1.29.2) and v2 (2.40.3) against the test engine.
final class ComposeMajorMismatchTests: XCTestCase {
    /// A directory whose `docker` is Debian's without the Compose v2 plugin (as an image carrying docker.io and
    /// Compose v1 only has it), put first on PATH: `docker compose` then fails as it does there, and `--compose
    /// auto` finds only `docker-compose` (v1).
    private func pathWithV1Only() throws -> [String: String] {
        let bin = FileManager.default.temporaryDirectory.appendingPathComponent("rc-v1-only-" + UUID().uuidString.prefix(8).lowercased())
        try FileManager.default.createDirectory(at: bin, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(at: bin) }
        let docker = bin.appendingPathComponent("docker")
        try Data("""
            #!/bin/sh
            if [ "$1" = compose ]; then echo "docker: 'compose' is not a docker command." >&2; exit 1; fi
            exec /usr/bin/docker "$@"

            """.utf8).write(to: docker)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: docker.path)
        XCTAssertNotEqual(try TestSupport.run([docker.path, "compose", "version"]).status, 0, "the stand-in still has the plugin")
        return ["PATH": "\(bin.path):/usr/sbin:/usr/bin:/sbin:/bin"]
    }

    func testAProjectComposeV2CreatedIsNotTouchedByV1UnlessChosen() throws {
        let gateway = try StockGateway(for: self, client: .v2)
        let v1Only = try pathWithV1Only()
        let before = try gateway.containerIDs()
        XCTAssertEqual(Set(before.keys), ["caddy", "jellyfin", "nextcloud"])

        // The plan names both clients and says an apply would refuse.
        let planned = try gateway.plan(environment: v1Only)
        XCTAssertEqual(planned.status, 2, planned.output)
        XCTAssertTrue(planned.stdout.contains("Compose: containers created by Compose v2 (2.40.3); up runs Compose v1 (1.29.2), found by --compose auto"),
                      planned.stdout)
        XCTAssertTrue(planned.stdout.contains("an apply refuses (compose_major_mismatch)"), planned.stdout)
        let json = try gateway.plan(["--json"], environment: v1Only)
        let object = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any], json.output)
        let compose = try XCTUnwrap((object["targets"] as? [[String: Any]])?.first { $0["kind"] as? String == "compose" }, json.stdout)
        let clients = try XCTUnwrap(compose["compose_clients"] as? [String: Any], json.stdout)
        XCTAssertEqual((clients["created_by"] as? [[String: Any]])?.compactMap { $0["version"] as? String }, ["2.40.3"])
        XCTAssertEqual((clients["runs"] as? [String: Any])?["version"] as? String, "1.29.2")

        // `--compose auto` with only v1 there: apply refuses before touching anything, with a terminal reason and the way out.
        let stamps = try [gateway.caddyfile, gateway.composeFile].map(FileStamp.init)
        let refused = try gateway.apply(environment: v1Only)
        XCTAssertNotEqual(refused.status, 0, refused.output)
        XCTAssertTrue(refused.stderr.contains("error (compose_major_mismatch, terminal)"), refused.output)
        XCTAssertTrue(refused.stderr.contains("created by Compose v2 (2.40.3), and this run would use Compose v1 (1.29.2)"), refused.output)
        XCTAssertTrue(refused.stderr.contains("`--compose v2`"), refused.output)
        XCTAssertEqual(try gateway.containerIDs(), before, "a container was recreated")
        XCTAssertEqual(try [gateway.caddyfile, gateway.composeFile].map(FileStamp.init), stamps, "a file was written")
        XCTAssertNotEqual(gateway.throughCaddy(StockGateway.host("jellyfin")).status, 200, "jellyfin is served")

        // Named explicitly, v1 goes ahead: the user chose to let it recreate what it brings up.
        let chosen = try gateway.apply(["--compose", "v1"], environment: v1Only)
        XCTAssertEqual(chosen.status, 0, "\(chosen.output)\n\(gateway.caddyDiagnostics())")
        XCTAssertTrue(chosen.stdout.contains("up runs Compose v1 (1.29.2), chosen with --compose"), chosen.stdout)
        XCTAssertEqual(gateway.throughCaddy(StockGateway.host("jellyfin")).status, 200, gateway.caddyDiagnostics())
    }
}
