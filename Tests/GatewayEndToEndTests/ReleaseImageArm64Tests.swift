import Foundation
import TestSupport
import XCTest

/// Issue #24: the arm64 release image (`dist/reconcile-linux-arm64.oci.tar`, written by scripts/release.sh, which
/// scripts/test.sh runs first), loaded with `docker load` as on the gateway, runs `reconcile apply` against the stock
/// gateway whose Caddy is the aarch64 Caddy 2.11.7 (tagged `caddy:latest`), under the image's own Compose v2: a service
/// becomes reachable through 443, and a second apply recreates nothing. Every arm64 program here (reconcile, the docker
/// client, Compose, Caddy) runs through qemu-aarch64 (binfmt_misc, flag F): one scenario, since emulation is slow.
final class ReleaseImageArm64Tests: XCTestCase {
    static let archive = packageRoot.appendingPathComponent("dist/reconcile-linux-arm64.oci.tar")

    func testTheArm64ImageExposesAServiceOnTheStockGatewayAndTheSecondApplyRecreatesNothing() throws {
        guard FileManager.default.fileExists(atPath: Self.archive.path) else {
            let message = "\(Self.archive.path) is missing: scripts/release.sh arm64 writes it (scripts/test.sh runs it)"
            if ProcessInfo.processInfo.environment["CI"] != nil { return XCTFail(message) }
            throw XCTSkip(message)
        }
        XCTAssertTrue(FileManager.default.fileExists(atPath: "/proc/sys/fs/binfmt_misc/qemu-aarch64"),
                      "qemu-aarch64 is not registered with binfmt_misc (scripts/setup.sh does it)")
        let engine = try DockerTestEngine.require()
        let docker = ["DOCKER_HOST": engine.dockerHost]

        // The image as an owner installs it: docker load, no registry.
        let loaded = try TestSupport.run(["docker", "load", "-i", Self.archive.path], environment: docker, timeout: .seconds(300))
        XCTAssertEqual(loaded.status, 0, loaded.output)
        XCTAssertTrue(loaded.stdout.contains("reconcile:latest"), loaded.output)
        let architecture = try TestSupport.run(["docker", "image", "inspect", "--format", "{{.Architecture}}", "reconcile:latest"], environment: docker)
        XCTAssertEqual(architecture.stdout.trimmingCharacters(in: .whitespacesAndNewlines), "arm64", architecture.output)
        let compose = try TestSupport.run(["docker", "run", "--rm", "--entrypoint", "/usr/bin/docker", "reconcile:latest", "compose", "version", "--short"],
                              environment: docker, timeout: .seconds(120))
        XCTAssertEqual(compose.stdout.trimmingCharacters(in: .whitespacesAndNewlines), "2.40.3-3", "Compose v2 in the image (Debian sid's 2.40.3-3): \(compose.output)")

        // The stock gateway, its caddy:latest the aarch64 Caddy 2.11.7; the amd64 one is tagged back afterwards.
        let amd64Caddy = try TestSupport.run(["docker", "image", "inspect", "--format", "{{.Id}}", "caddy:latest"], environment: docker)
            .stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        let tagged = try TestSupport.run(["docker", "tag", "reconcile-test/caddy-arm64:2.11.7", "caddy:latest"], environment: docker)
        XCTAssertEqual(tagged.status, 0, "the aarch64 Caddy image (scripts/docker-test-env/build-images.sh): \(tagged.output)")
        addTeardownBlock { _ = try? TestSupport.run(["docker", "tag", amd64Caddy, "caddy:latest"], environment: docker) }
        let gateway = try StockGateway(for: self, client: .v2)
        let caddyArch = try TestSupport.run(["docker", "inspect", "--format", "{{index .Config.Labels \"org.reconcile.caddy-arch\"}}",
                                 try XCTUnwrap(try gateway.containerIDs()["caddy"])], environment: docker)
        XCTAssertEqual(caddyArch.stdout.trimmingCharacters(in: .whitespacesAndNewlines), "arm64", "the gateway's Caddy is not the aarch64 one")
        let before = try gateway.containerIDs()
        XCTAssertNotEqual(gateway.throughCaddy(StockGateway.host("jellyfin")).status, 200, "served before it was declared")

        // As deploy/docker-compose.reconcile.yml runs it: host network, the engine's socket, the gateway's paths as they are.
        let socket = engine.dockerHost.replacingOccurrences(of: "unix://", with: "")
        func applyInImage() throws -> RunResult {
            try TestSupport.run(["docker", "run", "--rm", "--network", "host", "-v", "\(socket):/var/run/docker.sock",
                     "-v", "\(gateway.root.path):\(gateway.root.path)", "reconcile:latest",
                     "apply", "--root", gateway.root.path, "--repo", gateway.repo.path], environment: docker, timeout: .seconds(600))
        }
        let first = try applyInImage()
        XCTAssertEqual(first.status, 0, "the first apply from the arm64 image:\n\(first.output)\n\(gateway.caddyDiagnostics())")
        XCTAssertTrue(first.stdout.contains("Compose v2 (2.40.3-3)"), first.stdout)
        XCTAssertTrue(first.stdout.contains("(Caddy v2.11.7)"), first.stdout)
        XCTAssertTrue(first.stdout.contains("probe jellyfin.\(StockGateway.domain): ok"), first.stdout)
        let answer = gateway.throughCaddy(StockGateway.host("jellyfin"))
        XCTAssertEqual(answer.status, 200, "jellyfin through 443: \(answer)\n\(gateway.caddyDiagnostics())")
        XCTAssertTrue(answer.body.contains("jellyfin upstream"), "\(answer)")
        let after = try gateway.containerIDs()
        XCTAssertEqual(after, before, "Compose v2 recreates nothing for a new depends_on, and Caddy is reloaded in place")

        let stamps = try [gateway.caddyfile, gateway.composeFile].map(FileStamp.init)
        let second = try applyInImage()
        XCTAssertEqual(second.status, 0, second.output)
        XCTAssertTrue(second.stdout.contains("No changes"), second.stdout)
        XCTAssertEqual(try [gateway.caddyfile, gateway.composeFile].map(FileStamp.init), stamps, "the second apply wrote a file")
        XCTAssertEqual(try gateway.containerIDs(), after, "the second apply recreated a container")
    }
}
