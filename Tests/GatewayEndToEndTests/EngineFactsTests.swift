import Foundation
import TestSupport
import XCTest

/// Issue #25: a reconcile on the converged stock gateway starts no Compose process and no `docker exec`
/// (the containers come from the engine's socket, Compose's config hashes and Caddy's version from
/// `EngineFacts`), and a stale container is still seen: one recreated from another definition behind
/// reconcile's back, and one the compose file or its `.env` no longer describes. Real Compose v1 and v2.
final class EngineFactsTests: XCTestCase {
    func testAConvergedGatewayStartsNoComposeProcessAndAStaleContainerIsStillSeenV1() throws { try staleIsSeen(.v1) }
    func testAConvergedGatewayStartsNoComposeProcessAndAStaleContainerIsStillSeenV2() throws { try staleIsSeen(.v2) }

    private func staleIsSeen(_ client: StockGateway.Client) throws {
        let gateway = try StockGateway(for: self, client: client)
        let first = try gateway.apply()
        XCTAssertEqual(first.status, 0, first.output)
        XCTAssertTrue(FileManager.default.fileExists(atPath: gateway.root.path + "/var/lib/reconcile/engine-facts.json"))

        // The first apply wrote the compose file: the next run asks Compose its hashes, once (v2's `docker` runs its plugin).
        let (warm, startedToWarm) = try traced(gateway, ["apply"])
        XCTAssertEqual(warm.status, 0, warm.output)
        XCTAssertEqual(startedToWarm.filter { $0.contains("\"--hash=*\"") && !$0.contains("cli-plugin") }.count, 1, "\(client): \(startedToWarm)")

        // Converged, and remembered: an apply starts no Compose, no `docker` CLI at all.
        let (noop, started) = try traced(gateway, ["apply"])
        XCTAssertEqual(noop.status, 0, noop.output)
        XCTAssertTrue(noop.stdout.contains("No changes"), noop.stdout)
        XCTAssertEqual(started, [], "\(client): a no-op apply started processes")
        XCTAssertFalse(noop.stdout.contains("older than its definition"), noop.stdout)

        // Caddy recreated by hand from another definition, the compose file untouched: the remembered hashes
        // still tell its label apart.
        let original = try Data(contentsOf: gateway.composeFile)
        let marked = try XCTUnwrap(String(data: original, encoding: .utf8)).replacingOccurrences(
            of: "    restart: unless-stopped\n", with: "    restart: unless-stopped\n    environment:\n      - MARK=${MARK:-1}\n")
        XCTAssertNotEqual(marked, String(data: original, encoding: .utf8), "the caddy service was not found in the compose file")
        let other = gateway.root.appendingPathComponent("other")
        try FileManager.default.createDirectory(at: other, withIntermediateDirectories: true)
        try Data(marked.utf8).write(to: other.appendingPathComponent("docker-compose.yml"))
        let prefix = client == .v1 ? ["docker-compose"] : ["docker", "compose"]
        let recreated = try TestSupport.run(prefix + ["-f", other.path + "/docker-compose.yml", "-p", StockGateway.projectName, "up", "-d", "--no-deps", "caddy"],
                                environment: gateway.dockerEnvironment)
        XCTAssertEqual(recreated.status, 0, recreated.output)
        let (stale, startedForStale) = try traced(gateway, ["plan"])
        XCTAssertTrue(stale.stdout.contains("caddy's container is older than its definition"), "\(client): a stale Caddy went unseen:\n\(stale.stdout)")
        XCTAssertFalse(startedForStale.contains { $0.contains("compose") }, "\(client): the unchanged file's hashes were asked again: \(startedForStale)")

        // The compose file now describes that container: Compose is asked again, and it is not stale.
        try Data(marked.utf8).write(to: gateway.composeFile)
        let (matching, startedForEdit) = try traced(gateway, ["plan"])
        XCTAssertFalse(matching.stdout.contains("caddy's container is older"), "\(client): an edited file's hashes were not asked of Compose:\n\(matching.stdout)")
        XCTAssertTrue(startedForEdit.contains { $0.contains("compose") }, "\(client): the edited file was not given to Compose: \(startedForEdit)")

        // Only the `.env` beside it changes what the file means: stale again.
        try Data("MARK=2\n".utf8).write(to: gateway.composeDir.appendingPathComponent(".env"))
        let (env, _) = try traced(gateway, ["plan"])
        XCTAssertTrue(env.stdout.contains("caddy's container is older than its definition"), "\(client): a .env change went unseen:\n\(env.stdout)")
    }

    /// Runs `reconcile ARGUMENTS` under `strace -f`: its result, and the programs it started (their paths).
    private func traced(_ gateway: StockGateway, _ arguments: [String]) throws -> (RunResult, [String]) {
        let log = gateway.root.path + "/strace-\(UUID().uuidString.prefix(8)).log"
        let result = try TestSupport.run(["strace", "-f", "-qq", "-e", "trace=execve", "-o", log, try reconcileBinary().path] + arguments
                             + ["--root", gateway.root.path, "--repo", gateway.repo.path], environment: gateway.dockerEnvironment, timeout: .seconds(240))
        let lines = try String(contentsOfFile: log, encoding: .utf8).split(separator: "\n").filter { $0.contains("execve(") && $0.hasSuffix("= 0") }
        let programs = lines.dropFirst().map { line -> String in
            // `PID execve("/usr/bin/docker", ["docker", "compose", …` : the path and the first arguments.
            let arguments = line.split(separator: "[", maxSplits: 1).last.map(String.init) ?? String(line)
            return String(arguments.prefix(160))
        }
        return (result, programs)
    }
}
