import Adapters
import Controller
import Foundation

/// Issue #6: the wall time of a no-op apply on a converged gateway, and of an apply that adds one
/// service with Caddy's reload (through its admin API) included, against a real Caddy process.
enum ApplyBenchmark {
    static func run() throws {
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/caddy") else {
            print("== apply: /usr/bin/caddy not available (apt-get install caddy)")
            return
        }
        let gateway = try BenchGateway()
        defer { gateway.stop() }
        try gateway.declare(services: 20)
        let runtime = RuntimeSettings(caddy: .adminAPI(endpoint: "127.0.0.1:\(gateway.adminPort)"), compose: nil, homeAssistant: .none, probes: nil)
        _ = try apply(gateway, runtime)

        var result = ""
        let noop = try Measure.median(runs: 21) {
            result = try apply(gateway, runtime).result.rawValue
        }
        print("== apply: a gateway of 20 services with a running Caddy")
        print("no-op apply (median of 21): \(Measure.format(noop)) [\(result)]; processes spawned: none "
              + "(state detection = reading the three live files, the ledger and the repo's HEAD through libgit2)")

        // With the compose runtime on, the no-op path adds exactly one request to the engine's socket.
        if let engine = DockerEngine.fromEnvironment(), (try? engine.containers(project: "reconcile-bench")) != nil {
            let request = try Measure.median(runs: 21) { _ = try engine.containers(project: "reconcile-bench") }
            print("  + with the compose runtime on: one request to the Docker engine's socket (median of 21): \(Measure.format(request)), no process")
        } else {
            print("  + with the compose runtime on: one request to the Docker engine's socket; no engine reachable here (DOCKER_HOST), not measured")
        }

        var samples: [Double] = []
        for _ in 0..<5 {
            try gateway.declare(services: 21)
            let start = DispatchTime.now().uptimeNanoseconds
            let outcome = try apply(gateway, runtime)
            samples.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1_000_000)
            guard outcome.result == .applied else { throw BenchFailure(description: "apply failed: \(outcome.failure ?? "?")") }
            try gateway.declare(services: 20)
            _ = try apply(gateway, runtime)
        }
        print("apply adding one service, Caddy reload included (median of 5): \(Measure.format(samples.sorted()[2])); "
              + "Home Assistant restart and probes excluded")
        print("target: no-op apply under 50 ms")
    }
}

struct BenchFailure: Error, CustomStringConvertible {
    var description: String
}

/// A temporary gateway whose Caddy runs on free loopback ports.
final class BenchGateway {
    let root = FileManager.default.temporaryDirectory.appendingPathComponent("reconcile-bench-apply-\(getpid())")
    let adminPort = BenchGateway.freePort()
    let process = Process()

    var settings: ReconcileSettings {
        ReconcileSettings(repo: root.appendingPathComponent("repo").path, paths: GatewayPaths.defaults(root: root.appendingPathComponent("gw").path))
    }

    init() throws {
        for folder in ["repo", "gw/usr/local/caddy", "gw/usr/local/homeassistant", "gw/home/root/mapio", "home"] {
            try FileManager.default.createDirectory(at: root.appendingPathComponent(folder), withIntermediateDirectories: true)
        }
        let caddyfile = root.appendingPathComponent("gw/usr/local/caddy/Caddyfile")
        let global = "{\n\tadmin 127.0.0.1:\(adminPort)\n\thttp_port \(BenchGateway.freePort())\n\thttps_port \(BenchGateway.freePort())\n\tlocal_certs\n\tskip_install_trust\n}\n"
        try Data(global.utf8).write(to: caddyfile)
        try Data("default_config:\n".utf8).write(to: root.appendingPathComponent("gw/usr/local/homeassistant/configuration.yaml"))
        let home = root.appendingPathComponent("home").path
        process.executableURL = URL(fileURLWithPath: "/usr/bin/caddy")
        process.arguments = ["run", "--config", caddyfile.path]
        process.environment = ["HOME": home, "XDG_DATA_HOME": home + "/data", "XDG_CONFIG_HOME": home + "/config"]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        let deadline = Date().addingTimeInterval(15)
        while Date() < deadline, (try? CaddyAdmin(endpoint: "127.0.0.1:\(adminPort)", timeout: 1).config()) == nil { usleep(50_000) }
    }

    func declare(services: Int) throws {
        var text = "domain: bench.test\nservices:\n"
        for i in 0..<services { text += "  svc\(i):\n    host: svc\(i)\n    upstream: 127.0.0.1:\(9000 + i)\n" }
        try Data(text.utf8).write(to: root.appendingPathComponent("repo/exposure.yaml"))
    }

    func stop() {
        process.terminate()
        process.waitUntilExit()
        try? FileManager.default.removeItem(at: root)
    }

    static func freePort() -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) } }
        _ = withUnsafeMutablePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) } }
        return Int(UInt16(bigEndian: address.sin_port))
    }

}

extension ApplyBenchmark {
    /// One apply as `reconcile apply` runs it (the cycle, without the status report), in process.
    static func apply(_ gateway: BenchGateway, _ runtime: RuntimeSettings) throws -> ApplyOutcome {
        let result = ReconcileCycle.run(gateway.settings, options: .init(mode: .apply(runtime), report: false, publish: false))
        if let outcome = result.applied { return outcome }
        throw BenchFailure(description: "apply stopped: \(result.error?.description ?? "?")")
    }
}
