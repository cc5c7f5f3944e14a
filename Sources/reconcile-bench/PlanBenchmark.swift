import Caddyfile
import DesiredState
import Foundation
import HomeAssistant
import Planner

/// Issue #3: parse and plan a 1,000-service desired state against a Caddyfile of 1,000 managed and
/// 200 hand-written site blocks, next to `caddy fmt` on the same Caddyfile.
enum PlanBenchmark {
    static func run() throws {
        let services = 1_000
        let domain = "bench.example.com"
        let desiredText = desiredYAML(services: services, domain: domain, portOffset: 0)
        let handWritten = handWrittenCaddyfile(sites: 200)

        // The live file: our 1,000 managed blocks after the 200 hand-written ones, as an apply leaves it.
        let seeded = try Planner.plan(inputs(desiredText, caddyfile: handWritten))
        let live = seeded.targets.first { $0.kind == .caddyfile }?.newContent ?? []
        // The desired state moves 10 upstreams, so the plan has real work to find.
        let changedText = desiredYAML(services: services, domain: domain, portOffset: 10)

        let memoryBefore = Measure.peakResidentMiB()
        var changes = 0
        let planTime = try Measure.median {
            let plan = try Planner.plan(inputs(changedText, caddyfile: live))
            changes = plan.changeCount
        }
        let memoryAfter = Measure.peakResidentMiB()
        let parseOnly = try Measure.median { _ = try CaddyfileDocument.parse(live, file: "Caddyfile") }

        let url = FileManager.default.temporaryDirectory.appendingPathComponent("reconcile-bench-\(getpid()).Caddyfile")
        try Data(live).write(to: url)
        defer { try? FileManager.default.removeItem(at: url) }
        var fmtSamples: [Double] = []
        for _ in 0..<5 {
            if let time = Measure.command("/usr/bin/caddy", ["fmt", url.path]) { fmtSamples.append(time) }
        }

        print("== plan: 1,000 services vs a Caddyfile of 1,000 managed + 200 hand-written sites (\(live.count / 1024) KiB)")
        print("parse desired + parse Caddyfile + plan (median of 9): \(Measure.format(planTime))  [\(changes) changes found]")
        print("  of which Caddyfile parse alone:                     \(Measure.format(parseOnly))")
        print("peak resident memory: \(String(format: "%.1f", memoryAfter)) MiB (before planning: \(String(format: "%.1f", memoryBefore)) MiB)")
        if fmtSamples.isEmpty {
            print("caddy fmt: /usr/bin/caddy not available (apt-get install caddy)")
        } else {
            let fmt = fmtSamples.sorted()[fmtSamples.count / 2]
            print("caddy fmt on the same file (median of 5, process included): \(Measure.format(fmt))")
            print("plan is \(String(format: "%.1f", fmt / planTime))x faster than caddy fmt; target: plan < 100 ms and faster than caddy fmt")
        }
    }

    static func inputs(_ desiredText: String, caddyfile: [UInt8]) throws -> PlanInputs {
        let desired = try DesiredStateParser.parse(Array(desiredText.utf8), file: "exposure.yaml")
        return PlanInputs(desired: desired,
                          summary: DesiredSummary(file: "exposure.yaml", domain: desired.domain, services: desired.services.map(\.name)),
                          caddyfile: LiveFile(path: "Caddyfile", bytes: caddyfile),
                          homeAssistant: HomeAssistantInput(configurationYAML: nil, storageHTTP: nil),
                          composeFile: LiveFile(path: "docker-compose.yml", bytes: nil))
    }

    static func desiredYAML(services: Int, domain: String, portOffset: Int) -> String {
        var text = "version: 1\ndomain: \(domain)\nservices:\n"
        for i in 0..<services {
            let port = 10_000 + i + (i < portOffset ? 5_000 : 0)
            text += "  svc-\(i):\n    host: svc-\(i)\n    upstream: host.docker.internal:\(port)\n"
        }
        return text
    }

    static func handWrittenCaddyfile(sites: Int) -> [UInt8] {
        var text = "{\n\temail admin@example.com\n}\n\n(common) {\n\tencode gzip\n}\n"
        for i in 0..<sites {
            text += "\n# hand-written site \(i)\nhand-\(i).example.org, www.hand-\(i).example.org {\n\timport common\n\treverse_proxy 10.0.\(i / 250).\(i % 250):8080 {\n\t\theader_up X-Site \"site \(i)\"\n\t}\n}\n"
        }
        return Array(text.utf8)
    }
}
