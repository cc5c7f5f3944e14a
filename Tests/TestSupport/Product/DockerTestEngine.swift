import Foundation
import TestSupportCore
import XCTest

/// One Docker engine per test run, shared by every test that needs one.
///
/// If `DOCKER_HOST` already points at a live engine it is used (and left running). Otherwise
/// `scripts/docker-test-env/start.sh` starts (or finds) the script's own engine; one this fixture started
/// is stopped again when the test bundle finishes. The script also builds the test images, idempotently.
/// No engine is a test failure, never a silent pass; outside CI, `RECONCILE_SKIP_DOCKER_TESTS=1` skips.
public final class DockerTestEngine: @unchecked Sendable {
    public let dockerHost: String
    public let caddyImage = "reconcile-test/caddy:1"
    public let upstreamImage = "reconcile-test/upstream:1"
    /// An empty root for a container that bind-mounts the host's /usr (Home Assistant as a compose service).
    public let hostRootImage = "reconcile-test/hostroot:1"
    /// The stock gateway's `image: caddy:latest`: the official static Caddy 2.11.7 (build-images.sh).
    public let stockCaddyImage = "caddy:latest"
    /// True when this process started the engine (so it stops it at the end).
    public let owned: Bool

    private init(dockerHost: String, owned: Bool) {
        self.dockerHost = dockerHost
        self.owned = owned
    }

    public static let scripts = packageRoot.appendingPathComponent("scripts/docker-test-env")

    public static var scriptSocket: String {
        let directory = ProcessInfo.processInfo.environment["RECONCILE_DOCKER_DIR"] ?? "/tmp/reconcile-docker"
        return "unix://\(directory)/docker.sock"
    }

    private static let shared: Result<DockerTestEngine, EngineUnavailable> = start()

    public struct EngineUnavailable: Error, CustomStringConvertible {
        public let description: String
    }

    /// The engine, or a failure (or, outside CI and on request, a skip) for the calling test.
    public static func require() throws -> DockerTestEngine {
        let environment = ProcessInfo.processInfo.environment
        if environment["CI"] == nil, environment["RECONCILE_SKIP_DOCKER_TESTS"] == "1" {
            throw XCTSkip("RECONCILE_SKIP_DOCKER_TESTS=1: real-engine tests skipped (never in CI)")
        }
        switch shared {
        case .success(let engine): return engine
        case .failure(let error): throw error
        }
    }

    private static func start() -> Result<DockerTestEngine, EngineUnavailable> {
        let environment = ProcessInfo.processInfo.environment
        if let host = environment["DOCKER_HOST"], host != scriptSocket, alive(host) {
            let images = shell(["bash", scripts.appendingPathComponent("build-images.sh").path], dockerHost: host)
            guard images.status == 0 else { return .failure(EngineUnavailable(description: "building test images failed:\n\(images.output)")) }
            return .success(DockerTestEngine(dockerHost: host, owned: false))
        }
        let wasAlive = alive(scriptSocket)
        let started = shell(["bash", scripts.appendingPathComponent("start.sh").path], dockerHost: nil)
        print(started.output)
        guard started.status == 0, alive(scriptSocket) else {
            return .failure(EngineUnavailable(description: """
                no Docker engine for the real-engine tests: \(scripts.path)/start.sh failed:
                \(started.output)
                Install the packages it names, or run scripts/docker-test-env/start.sh and export the DOCKER_HOST it prints.
                """))
        }
        let engine = DockerTestEngine(dockerHost: scriptSocket, owned: !wasAlive)
        if engine.owned { XCTestObservationCenter.shared.addTestObserver(EngineStopper()) }
        return .success(engine)
    }

    /// Stops the engine this run started once every test is done.
    private final class EngineStopper: NSObject, XCTestObservation {
        func testBundleDidFinish(_ testBundle: Bundle) {
            let stopped = DockerTestEngine.shell(["bash", DockerTestEngine.scripts.appendingPathComponent("stop.sh").path], dockerHost: nil)
            print(stopped.output)
        }
    }

    public static func alive(_ host: String) -> Bool {
        shell(["docker", "-H", host, "version", "--format", "{{.Server.Version}}"], dockerHost: nil).status == 0
    }

    /// Where `host.docker.internal:host-gateway` points: the default bridge's address, read from the
    /// bridge's interface. Not from `docker network inspect bridge`'s IPAM Gateway: the first dockerd start
    /// on a machine where Docker never ran reports none (issue #14).
    public func bridgeAddress() throws -> String {
        let name = Self.shell(["docker", "network", "inspect", "bridge", "--format", "{{index .Options \"com.docker.network.bridge.name\"}}"],
                              dockerHost: dockerHost)
        let bridge = name.output.trimmingCharacters(in: .whitespacesAndNewlines)
        guard name.status == 0, !bridge.isEmpty else { throw EngineUnavailable(description: "the default bridge's name: \(name.output)") }
        let addresses = Self.shell(["ip", "-4", "-o", "addr", "show", "dev", bridge], dockerHost: nil)
        // `5: rcbr0    inet 172.18.0.1/16 scope global rcbr0 ...`
        let fields = addresses.output.split(whereSeparator: { $0 == " " || $0 == "\n" })
        guard addresses.status == 0, let inet = fields.firstIndex(of: "inet"), inet + 1 < fields.count,
              let address = fields[inet + 1].split(separator: "/").first else {
            throw EngineUnavailable(description: "the address of the default bridge \(bridge): \(addresses.output)")
        }
        return String(address)
    }

    /// Which of the side-by-side test engines this is (scripts/docker-test-env/common.sh), 0-5.
    public static var networkIndex: Int {
        Int(ProcessInfo.processInfo.environment["RECONCILE_DOCKER_NET"] ?? "") ?? 0
    }

    /// Stop the engine (the engine-stopped test), only if this run started it: an engine that was running
    /// before the suite is left as it was found. `restart()` brings it back.
    public func stop() -> Bool {
        guard owned, dockerHost == Self.scriptSocket else { return false }
        return Self.shell(["bash", Self.scripts.appendingPathComponent("stop.sh").path], dockerHost: nil).status == 0
    }

    public func restart() {
        _ = Self.shell(["bash", Self.scripts.appendingPathComponent("start.sh").path], dockerHost: nil)
    }

    /// Runs a helper command with a deadline (so a hang fails the test), stdout and stderr together.
    @discardableResult
    public static func shell(_ argv: [String], dockerHost: String?, timeout: Duration = .seconds(180)) -> (status: Int32, output: String) {
        do {
            let result = try run(argv, environment: dockerHost.map { ["DOCKER_HOST": $0] } ?? [:], timeout: timeout)
            return (result.status, result.output)
        } catch {
            return (-1, "\(error)")
        }
    }
}
