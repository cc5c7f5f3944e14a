import Adapters
import Controller
import Foundation
import GatewayHarness

/// Issue #6: the wall time of a no-op apply on a converged gateway, and of an apply that adds one
/// service with Caddy's reload (through its admin API) included, against a real Caddy process.
enum ApplyBenchmark {
    static func run() throws {
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/caddy") else {
            print("== apply: /usr/bin/caddy not available (apt-get install caddy)")
            return
        }
        let gateway = try CaddyGateway()
        defer { withExtendedLifetime(gateway) {} }
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

/// The tests' gateway whose Caddy runs on free loopback ports (GatewayHarness), declaring bench services.
extension CaddyGateway {
    func declare(services: Int) throws {
        var text = "domain: bench.test\nservices:\n"
        for i in 0..<services { text += "  svc\(i):\n    host: svc\(i)\n    upstream: 127.0.0.1:\(9000 + i)\n" }
        try tree.writeExposure(text)
    }
}

extension ApplyBenchmark {
    /// One apply as `reconcile apply` runs it (the cycle, without the status report), in process.
    static func apply(_ gateway: CaddyGateway, _ runtime: RuntimeSettings) throws -> ApplyOutcome {
        let result = ReconcileCycle.run(gateway.settings, options: .init(mode: .apply(runtime), report: false, publish: false))
        if let outcome = result.applied { return outcome }
        throw BenchFailure(description: "apply stopped: \(result.error?.description ?? "?")")
    }
}
