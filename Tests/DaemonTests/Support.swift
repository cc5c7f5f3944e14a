import Adapters
import Controller
import Foundation
import TestSupport
import XCTest

/// The bundled example gateway and a git checkout of the example repo, in a fresh directory, reconciled
/// files-only (`--no-runtime`): what the daemon tests drive without Caddy or Docker.
final class DaemonSandbox {
    let tree: GatewayTree
    var directory: TemporaryDirectory { tree.directory }
    var root: String { directory.path }
    var gateway: String { tree.root.path }
    var repo: String { tree.repo.path }
    var caddyfile: String { tree.caddyfile.path }
    var composeFile: String { tree.composeFile.path }
    var stateDir: String { tree.stateDir.path }
    let secret = "daemon-test-secret-\(UUID().uuidString)"
    var secretFile: String { root + "/webhook-secret" }

    init() throws {
        tree = try GatewayTree(prefix: "reconcile-daemon", contents: .example)
        directory.file("webhook-secret", secret + "\n", mode: 0o600)
        XCTAssertEqual(git("init -q -b main && git add -A && git commit -q -m 'example'").status, 0)
    }

    @discardableResult
    func git(_ command: String) -> ShellResult {
        shell("git \(command)", in: repo,
              environment: ["GIT_CONFIG_GLOBAL": "/dev/null", "GIT_CONFIG_NOSYSTEM": "1", "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.org",
                            "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.org"])
    }

    var head: String { git("rev-parse HEAD").trimmed }

    /// Adds service `name` to exposure.yaml and commits it.
    func commitService(_ name: String) {
        let path = repo + "/exposure.yaml"
        let text = (try? String(contentsOfFile: path, encoding: .utf8)) ?? ""
        try? (text + "\n  \(name):\n    host: \(name)\n    upstream: host.docker.internal:9\(name.count)\n").write(toFile: path, atomically: true, encoding: .utf8)
        XCTAssertEqual(git("commit -q -am 'add \(name)'").status, 0)
    }

    var settings: ReconcileSettings { ReconcileSettings(repo: repo, paths: tree.paths) }

    /// `reconcile serve` for this sandbox, files only.
    func serveArguments(_ extra: [String] = []) -> [String] {
        tree.arguments + ["--no-runtime", "--webhook-secret-file", secretFile] + extra
    }

    func read(_ path: String) -> String { (try? String(contentsOfFile: path, encoding: .utf8)) ?? "" }

    /// `reconcile plan`'s exit status: 0 when the gateway matches the repo.
    func planStatus() throws -> Int32 {
        try runProcess(try reconcileBinary(), ["plan", "--no-runtime"] + tree.arguments).status
    }
}
