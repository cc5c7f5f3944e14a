import Foundation
import TestSupport
import XCTest

/// The gateway policy through the real `reconcile` binary: `plan` reports the refusal, `apply` writes nothing.
final class PolicyCommandLineTests: XCTestCase {
    /// The bundled example repo and gateway in a fresh folder.
    final class Box {
        let scratch = TemporaryDirectory(prefix: "reconcile-policy")
        var repo: String { scratch.sub("repo") }
        var gateway: String { scratch.sub("gateway") }
        var defaultPolicy: String { gateway + "/etc/reconcile/policy.yaml" }

        init() throws {
            try FileManager.default.copyItem(atPath: packageRoot.appendingPathComponent("example-repo").path, toPath: repo)
            try FileManager.default.copyItem(atPath: packageRoot.appendingPathComponent("example-gateway").path, toPath: gateway)
        }

        func reconcile(_ arguments: [String]) throws -> RunResult {
            try runProcess(try reconcileBinary(), arguments + ["--repo", repo, "--root", gateway, "--no-runtime"])
        }

        /// Every file of the gateway tree with its bytes, but the status report and the lock (which say what
        /// happened): no live file, backup or ledger may appear or change.
        func tree() -> [String: Data] {
            var files: [String: Data] = [:]
            let enumerator = FileManager.default.enumerator(atPath: gateway)
            while let relative = enumerator?.nextObject() as? String {
                if relative.hasPrefix("var/lib/reconcile/status") || relative == "var/lib/reconcile/reconcile.lock" { continue }
                if let data = FileManager.default.contents(atPath: gateway + "/" + relative) { files[relative] = data }
            }
            return files
        }
    }

    func testTheDefaultPolicyFileRefusesThePlanAndTheApplyWritesNothing() throws {
        let box = try Box()
        let policy = box.scratch.file("gateway/etc/reconcile/policy.yaml", "# this gateway's own rules\nnever_expose: [nextcloud]\n")
        let before = box.tree()

        let plan = try box.reconcile(["plan"])
        XCTAssertEqual(plan.status, 1, plan.output)
        let line = try lineOf("  nextcloud:", in: box.repo + "/exposure.yaml")
        XCTAssertTrue(plan.output.contains("\(box.repo)/exposure.yaml:\(line):3: refused by the gateway policy: service 'nextcloud' must never be exposed (rule never_expose at \(policy):2:16)"), plan.output)

        let apply = try box.reconcile(["apply"])
        XCTAssertEqual(apply.status, 1, apply.output)
        XCTAssertTrue(apply.output.contains("must never be exposed"), apply.output)
        XCTAssertTrue(apply.output.contains("Nothing was written."), apply.output)
        XCTAssertEqual(box.tree(), before, "no live file, backup or ledger was written")
        let status = try String(contentsOfFile: box.gateway + "/var/lib/reconcile/status/status.md", encoding: .utf8)
        XCTAssertTrue(status.contains("refused by the gateway policy: service 'nextcloud' must never be exposed"), status)

        // The same repo passes once the gateway allows it: the refusal came from the policy alone.
        try Data("never_expose: [zigbee2mqtt]\n".utf8).write(to: URL(fileURLWithPath: policy))
        XCTAssertEqual(try box.reconcile(["plan"]).status, 2, "changes pending")
    }

    /// Issue #23: renaming a service in the commit no longer walks past a rule that names it: the live
    /// compose file says nextcloud publishes 8092, so any desired service on that port is nextcloud.
    func testARenamedServiceOnTheSamePublishedPortIsStillRefused() throws {
        let box = try Box()
        _ = box.scratch.file("gateway/etc/reconcile/policy.yaml", "never_expose: [nextcloud]\n")
        let exposure = box.repo + "/exposure.yaml"
        let renamed = try String(contentsOfFile: exposure, encoding: .utf8)
            .replacingOccurrences(of: "  nextcloud:\n", with: "  files:\n")
            .replacingOccurrences(of: "    compose_service: nextcloud\n", with: "")
        try Data(renamed.utf8).write(to: URL(fileURLWithPath: exposure))
        let before = box.tree()
        let apply = try box.reconcile(["apply"])
        XCTAssertEqual(apply.status, 1, apply.output)
        XCTAssertTrue(apply.output.contains("service 'files' must never be exposed: its upstream port 8092 is published by compose service 'nextcloud' (\(box.gateway)/home/root/mapio/docker-compose.yml:"),
                      apply.output)
        XCTAssertEqual(box.tree(), before, "nothing was written")
    }

    func testAnExplicitPolicyMustExistAndWinsOverTheSettingsFile() throws {
        let box = try Box()
        let missing = try box.reconcile(["plan", "--policy", box.scratch.sub("nope.yaml")])
        XCTAssertEqual(missing.status, 1)
        XCTAssertTrue(missing.output.contains("nope.yaml: the policy file does not exist"), missing.output)

        let strict = box.scratch.file("strict.yaml", "require_auth: ['*']\n")
        let lenient = box.scratch.file("lenient.yaml", "max_exposed_hosts: 10\n")
        let settings = box.scratch.file("settings.yaml", "policy: \(strict)\n")
        let fromFile = try box.reconcile(["plan", "--config", settings])
        XCTAssertEqual(fromFile.status, 1, fromFile.output)
        XCTAssertTrue(fromFile.output.contains("service 'jellyfin' needs basic_auth (rule require_auth at \(strict):1:16)"), fromFile.output)
        XCTAssertEqual(try box.reconcile(["plan", "--config", settings, "--policy", lenient]).status, 2, "the option wins")

        // A broken policy file is the gateway's input error, with its position.
        let broken = box.scratch.file("broken.yaml", "max_exposed_host: 3\n")
        let bad = try box.reconcile(["plan", "--policy", broken])
        XCTAssertEqual(bad.status, 1)
        XCTAssertTrue(bad.output.contains("\(broken):1:1: unknown policy rule 'max_exposed_host' (did you mean 'max_exposed_hosts'?)"), bad.output)
    }

    /// The 1-based line of the example file that starts with `prefix` (the example may grow comments).
    func lineOf(_ prefix: String, in path: String) throws -> Int {
        let lines = try String(contentsOfFile: path, encoding: .utf8).components(separatedBy: "\n")
        return try XCTUnwrap(lines.firstIndex { $0.hasPrefix(prefix) }) + 1
    }
}
