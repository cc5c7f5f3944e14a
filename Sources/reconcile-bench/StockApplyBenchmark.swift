import Foundation
import GatewayHarness
import TestSupportCore

/// Issue #25: whole `reconcile apply` processes on the stock-shaped gateway (Caddy 2.11.7 in its container
/// publishing only 443, its admin API inside the container, the Caddyfile a single-file bind mount), two
/// binaries side by side, alternating: a no-op under Compose v2 and v1, and one new service served through
/// 443 under v2. Each run's processes are counted once with `strace -f -e trace=execve`.
/// Needs an engine in `DOCKER_HOST` with `caddy:latest` and `reconcile-test/upstream:1` (scripts/docker-test-env).
/// `RECONCILE_BENCH_BASE=PATH` is the binary to compare with; `RECONCILE_BENCH_RECONCILE=PATH` the one measured;
/// `RECONCILE_BENCH_TRACE=1` lists the processes each one started.
enum StockApplyBenchmark {
    static let domain = "mondomaine.ddnsfree.com"

    static func run() throws {
        let environment = ProcessInfo.processInfo.environment
        guard environment["DOCKER_HOST"] != nil else { return print("== apply-stock: no DOCKER_HOST (scripts/docker-test-env/start.sh)") }
        let measured = environment["RECONCILE_BENCH_RECONCILE"]
            ?? CommandLine.arguments[0].replacingOccurrences(of: "reconcile-bench", with: "reconcile")
        var binaries = [("this", measured)]
        if let base = environment["RECONCILE_BENCH_BASE"] { binaries.insert(("base", base), at: 0) }
        let rounds = Int(environment["RECONCILE_BENCH_ROUNDS"] ?? "") ?? 9
        for (name, path) in binaries { print("\(name): \(path)") }
        print("== apply-stock: whole `reconcile apply` processes on the stock-shaped gateway, alternating, medians of \(rounds)")

        for client in ["v2", "v1"] {
            let gateway = try StockBenchGateway(client: client)
            defer { gateway.down() }
            for (_, path) in binaries { try gateway.apply(path, expect: "converging") }
            report("no-op \(client)", try alternate(binaries, rounds: rounds) { path in try gateway.apply(path, expect: "no-op") },
                   processes: binaries.map { gateway.processes($0.1) })
            guard client == "v2" else { continue }
            let added = try alternate(binaries, rounds: rounds) { path in
                try gateway.declare(["jellyfin", "nextcloud"])
                let elapsed = try gateway.apply(path, expect: "adding nextcloud")
                guard gateway.status(of: "nextcloud") == 200 else { throw BenchFailure(description: "nextcloud not served through 443") }
                try gateway.declare(["jellyfin"])
                _ = try gateway.apply(path, expect: "removing nextcloud")
                return elapsed
            }
            var counts: [Int?] = []
            for (_, path) in binaries {
                try gateway.declare(["jellyfin", "nextcloud"])
                counts.append(gateway.processes(path))
                try gateway.declare(["jellyfin"])
                _ = try gateway.apply(path, expect: "removing nextcloud")
            }
            report("new service v2", added, processes: counts)
        }
    }

    /// Runs `body` for each binary in turn, the first one alternating, and returns each one's times.
    static func alternate(_ binaries: [(String, String)], rounds: Int, _ body: (String) throws -> Double) throws -> [(String, [Double])] {
        var times = binaries.map { ($0.0, [Double]()) }
        for round in 0..<rounds {
            let order = round % 2 == 0 ? Array(binaries.indices) : binaries.indices.reversed()
            for i in order { times[i].1.append(try body(binaries[i].1)) }
        }
        return times
    }

    static func report(_ scenario: String, _ times: [(String, [Double])], processes: [Int?]) {
        for (i, (name, samples)) in times.enumerated() {
            let median = samples.sorted()[samples.count / 2]
            let count = processes[i].map { "\($0) processes" } ?? "processes not counted (no strace)"
            print("\(scenario.padding(toLength: 15, withPad: " ", startingAt: 0)) \(name): median \(Measure.format(median)) "
                  + "(min \(Measure.format(samples.min() ?? 0)), max \(Measure.format(samples.max() ?? 0))), \(count)")
        }
        if times.count == 2 {
            let medians = times.map { $0.1.sorted()[$0.1.count / 2] }
            print("\(scenario.padding(toLength: 15, withPad: " ", startingAt: 0)) this/base: \(String(format: "%.2fx", medians[1] / medians[0]))")
        }
    }
}

/// The stock gateway's tree in a temporary folder, brought up by Compose v1 or v2 (see the tests' `StockGateway`).
final class StockBenchGateway {
    let client: String
    /// The tests' gateway tree (GatewayHarness), at a short path under /tmp that the engine bind-mounts.
    let tree: GatewayTree
    let ports = ["jellyfin": CaddyGateway.freePort(), "nextcloud": CaddyGateway.freePort()]
    var root: URL { tree.root }
    var compose: URL { tree.composeFile }
    var repo: URL { tree.repo }

    init(client: String) throws {
        self.client = client
        tree = try GatewayTree(prefix: "rc-bench-stock", placement: .atFolder)
        let caddy = tree.caddyfile.deletingLastPathComponent()
        for folder in [repo, caddy.appendingPathComponent("caddy_data")] + ports.keys.map({ tree.composeDir.appendingPathComponent("www-\($0)") }) {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        }
        for name in ports.keys {
            try Data("\(name) upstream\n".utf8).write(to: tree.composeDir.appendingPathComponent("www-\(name)/index.html"))
        }
        try Data("{\n\tlocal_certs\n\tskip_install_trust\n}\n\nstatus.\(StockApplyBenchmark.domain) {\n\trespond \"gateway up\" 200\n}\n".utf8)
            .write(to: caddy.appendingPathComponent("Caddyfile"))
        var text = "services:\n" + StockCaddyService.text(caddyfile: caddy.path + "/Caddyfile", data: caddy.path + "/caddy_data")
        for (name, port) in ports.sorted(by: { $0.key < $1.key }) {
            text += """
                  \(name):
                    image: reconcile-test/upstream:1
                    network_mode: host
                    stop_signal: SIGKILL
                    command: ["busybox", "httpd", "-f", "-p", "\(port)", "-h", "/www"]
                    volumes:
                      - \(tree.composeDir.path)/www-\(name):/www:ro

                """
        }
        try Data((text + "networks:\n  caddy:\n").utf8).write(to: compose)
        try declare(["jellyfin"])
        guard shell(composeCommand + ["up", "-d"], quiet: false) == 0 else {
            down()
            throw BenchFailure(description: "\(client) up failed (is 443 free? another engine may publish it)")
        }
        let deadline = Date().addingTimeInterval(30)
        while Date() < deadline, status(of: "status") != 200 { usleep(200_000) }
    }

    var composeCommand: [String] { (client == "v1" ? ["docker-compose"] : ["docker", "compose"]) + ["-f", compose.path] }

    func declare(_ names: [String]) throws {
        var text = "version: 1\ndomain: \(StockApplyBenchmark.domain)\nservices:\n"
        for name in names {
            text += "  \(name):\n    host: \(name)\n    upstream: host.docker.internal:\(ports[name]!)\n    compose_service: \(name)\n"
        }
        try Data(text.utf8).write(to: repo.appendingPathComponent("exposure.yaml"))
    }

    var applyArguments: [String] { ["apply", "--root", root.path, "--repo", repo.path] }

    /// One whole apply; its wall time in milliseconds.
    func apply(_ binary: String, expect: String) throws -> Double {
        guard let run = ProcessRun.run([binary] + applyArguments), run.status == 0 else {
            throw BenchFailure(description: "\(binary) apply (\(expect)) failed under \(client); run it by hand: \(([binary] + applyArguments).joined(separator: " "))")
        }
        return run.milliseconds
    }

    /// The processes one apply starts (successful `execve`s after its own), or nil without strace.
    func processes(_ binary: String) -> Int? {
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/strace") else { return nil }
        let log = root.path + "/strace.log"
        guard shell(["strace", "-f", "-qq", "-e", "trace=execve", "-o", log, binary] + applyArguments) == 0,
              let text = try? String(contentsOfFile: log, encoding: .utf8) else { return nil }
        let started = text.split(separator: "\n").filter { $0.contains("execve(") && $0.hasSuffix("= 0") }
        if ProcessInfo.processInfo.environment["RECONCILE_BENCH_TRACE"] == "1" {
            for line in started.dropFirst() { print("    started: " + (line.split(separator: "[", maxSplits: 1).last.map { String($0.prefix(110)) } ?? "")) }
        }
        return started.count - 1
    }

    /// The status code of `https://NAME.DOMAIN/` through the published 443.
    func status(of name: String) -> Int {
        let host = "\(name).\(StockApplyBenchmark.domain)"
        return curl("https://\(host)/", resolve: "\(host):443:127.0.0.1", timeout: 5).status ?? 0
    }

    func down() {
        _ = shell(composeCommand + ["down", "-t", "1"])
        try? FileManager.default.removeItem(at: root)
    }

    @discardableResult
    func shell(_ argv: [String], quiet: Bool = true) -> Int32 {
        guard let result = try? run(argv, timeout: .seconds(300)) else { return -1 }
        if !quiet, result.status != 0 { print(result.stderr) }
        return result.status
    }
}
