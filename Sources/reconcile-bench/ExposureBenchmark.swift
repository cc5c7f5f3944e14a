import Adapters
import DesiredState
import Foundation
import Planner
import Policy

/// Issue #10: what the exposure fields, the gateway policy and signature verification cost a cycle.
/// Plans 1,000 services that each declare access, basic auth and headers (against the same services
/// declaring nothing), checks a policy against them, and verifies an ssh-keygen-signed commit.
enum ExposureBenchmark {
    static let hash = "$2a$14$2ZTXvhIT42MeaQLN0yo1xuI8ShVC52L8XXlba4vl6DOhcU1fPi2gG"

    static func run() throws {
        let plain = PlanBenchmark.desiredYAML(services: 1_000, domain: "bench.example.com", portOffset: 0)
        var guarded = "version: 1\ndomain: bench.example.com\nservices:\n"
        for i in 0..<1_000 {
            guarded += "  svc-\(i):\n    host: svc-\(i)\n    upstream: host.docker.internal:\(10_000 + i)\n"
                + "    access: [192.168.\(i % 250).0/24, 10.0.0.0/8]\n    basic_auth: {user\(i): \"\(hash)\"}\n"
                + "    headers: {X-Frame-Options: SAMEORIGIN, Referrer-Policy: null}\n"
        }
        print("== exposure: 1,000 services with access, basic_auth and headers")
        for (label, text) in [("declaring none of the fields", plain), ("declaring all of them     ", guarded)] {
            let live = try Planner.plan(PlanBenchmark.inputs(text, caddyfile: [])).targets.first { $0.kind == .caddyfile }?.newContent ?? []
            let time = try Measure.median { _ = try Planner.plan(PlanBenchmark.inputs(text, caddyfile: live)) }
            print("converged plan, \(label) (median of 9): \(Measure.format(time))  [Caddyfile \(live.count / 1024) KiB]")
        }

        let policy = try PolicyParser.parse(Array("never_expose: [db]\nforbidden_upstream_ports: [22, 2375, 5432]\nrequire_auth_or_lan: ['*']\nmax_exposed_hosts: 2000\n".utf8),
                                            file: "policy.yaml")
        let desired = try DesiredStateParser.parse(Array(guarded.utf8), file: "exposure.yaml")
        var violations = 0
        let check = Measure.median { violations = PolicyCheck.violations(of: policy, in: desired).count }
        print("policy check of the 1,000 services (median of 9): \(Measure.format(check))  [\(violations) violations]")

        try signature()
    }

    /// One commit signed by git with an ed25519 key made by ssh-keygen, verified as a cycle does it.
    static func signature() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("reconcile-bench-sig-\(getpid())").path
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let script = """
        set -e; mkdir -p '\(folder)' && cd '\(folder)'
        ssh-keygen -q -t ed25519 -N '' -C bench -f key
        printf 'bench@example.com %s\\n' "$(cat key.pub)" > allowed_signers
        git init -q repo && cd repo && echo x > f && git add f
        git -c user.name=b -c user.email=b@example.com -c gpg.format=ssh -c user.signingkey=../key commit -q -S -m signed
        """
        guard Measure.command("/bin/sh", ["-c", script]) != nil else {
            print("signature: could not make a signed commit (needs git and ssh-keygen)")
            return
        }
        let repository = try GitRepository(path: folder + "/repo")
        guard let head = try repository.headCommit()?.oid, let signed = try repository.signature(of: head) else { return }
        let policy = SignaturePolicy(allowedSigners: folder + "/allowed_signers")
        let time = try Measure.median { _ = try SignatureVerifier.verify(signed, policy: policy) }
        let extract = try Measure.median { _ = try repository.signature(of: head) }
        print("verify an SSH-signed commit (libgit2 extract + ssh-keygen find-principals + verify, median of 9): \(Measure.format(time))")
        print("  of which libgit2 git_commit_extract_signature:                                            \(Measure.format(extract))")
    }
}
