import Foundation
import TestSupport
import XCTest

/// A fresh directory per test, removed afterwards, with the git tests' helpers.
typealias Scratch = TemporaryDirectory

extension TemporaryDirectory {
    @discardableResult
    func write(_ relative: String, _ content: String) -> String { file(relative, content) }

    /// A copy of the bundled example gateway.
    func gateway(_ name: String) -> String {
        try! GatewayTree.copyExampleGateway(to: URL(fileURLWithPath: sub(name)))
        return sub(name)
    }
}

/// The bytes of a gateway's three live files under `root`, for "nothing was written" checks.
func liveFiles(_ root: String) -> [String: Data] { GatewayTree.liveFiles(root: root) }

/// The git CLI, for fixtures and for checking results (the product itself never runs git).
@discardableResult
func sh(_ command: String, in directory: String, environment: [String: String] = [:]) -> ShellResult {
    var env = ["GIT_AUTHOR_NAME": "Test", "GIT_AUTHOR_EMAIL": "test@example.com",
               "GIT_COMMITTER_NAME": "Test", "GIT_COMMITTER_EMAIL": "test@example.com",
               "GIT_CONFIG_NOSYSTEM": "1", "HOME": directory]
    env.merge(environment) { $1 }
    return shell(command, in: directory, environment: env)
}

/// An exposure repo: a work tree the test commits to, and the bare remote reconcile follows.
final class ExposureRemote {
    let scratch: Scratch
    let work: String
    let bare: String
    var url: String { "file://" + bare }

    init(_ scratch: Scratch, branch: String = "main", desired: String? = nil) {
        self.scratch = scratch
        work = scratch.sub("author")
        bare = scratch.sub("remote.git")
        try! FileManager.default.copyItem(atPath: packageRoot.appendingPathComponent("example-repo").path, toPath: work)
        if let desired { try! Data(desired.utf8).write(to: URL(fileURLWithPath: work + "/exposure.yaml")) }
        git("init -q -b \(branch) . && git add -A && git commit -q -m 'Initial exposure'")
        XCTAssertEqual(sh("git init -q --bare -b \(branch) '\(bare)' && git push -q '\(bare)' \(branch)", in: work).status, 0)
        git("remote add origin '\(bare)'")
    }

    @discardableResult
    func git(_ command: String) -> ShellResult {
        let result = sh("git " + command, in: work)
        XCTAssertEqual(result.status, 0, "git \(command): \(result.output)")
        return result
    }

    /// Commits a change of one file and pushes it; returns the new commit id.
    @discardableResult
    func commit(_ file: String, _ content: String, _ message: String, push: Bool = true) -> String {
        try! FileManager.default.createDirectory(atPath: ((work + "/" + file) as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try! Data(content.utf8).write(to: URL(fileURLWithPath: work + "/" + file))
        git("add -A && git commit -q -m '\(message)'")
        if push { git("push -q origin HEAD") }
        return head
    }

    var head: String { sh("git rev-parse HEAD", in: work).trimmed }

    /// A ref of the bare remote, or "" when missing.
    func remoteRef(_ ref: String) -> String {
        sh("git --git-dir='\(bare)' rev-parse --verify -q \(ref)", in: scratch.path).trimmed
    }

    func remoteGit(_ command: String) -> ShellResult {
        sh("git --git-dir='\(bare)' " + command, in: scratch.path)
    }
}

/// The exposure.yaml of the example, with one more service: a change a plan can see.
let desiredWithGrafana = String(decoding: try! Data(contentsOf: packageRoot.appendingPathComponent("example-repo/exposure.yaml")), as: UTF8.self)
    + "\n  grafana:\n    host: grafana\n    upstream: host.docker.internal:3000\n"

/// Starts `reconcile` with arguments; output goes to files so many can run at once.
final class ReconcileProcess {
    let process = Process()
    let outURL: URL, errURL: URL

    init(_ arguments: [String], environment: [String: String] = [:], scratch: String) throws {
        let id = UUID().uuidString
        outURL = URL(fileURLWithPath: scratch + "/out-\(id)")
        errURL = URL(fileURLWithPath: scratch + "/err-\(id)")
        FileManager.default.createFile(atPath: outURL.path, contents: nil)
        FileManager.default.createFile(atPath: errURL.path, contents: nil)
        process.executableURL = try reconcileBinary()
        process.arguments = arguments
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        process.standardOutput = try FileHandle(forWritingTo: outURL)
        process.standardError = try FileHandle(forWritingTo: errURL)
        process.standardInput = FileHandle.nullDevice
        try process.run()
    }

    func wait(timeout: TimeInterval = 120) -> RunResult {
        let deadline = Date().addingTimeInterval(timeout)
        while process.isRunning && Date() < deadline { usleep(2_000) }
        if process.isRunning {
            process.terminate()
            XCTFail("reconcile \(process.arguments?.joined(separator: " ") ?? "") timed out")
        }
        process.waitUntilExit()
        return RunResult(status: process.terminationStatus,
                         stdout: (try? String(contentsOf: outURL, encoding: .utf8)) ?? "",
                         stderr: (try? String(contentsOf: errURL, encoding: .utf8)) ?? "")
    }
}

func reconcile(_ arguments: [String], environment: [String: String] = [:], scratch: Scratch) throws -> RunResult {
    try ReconcileProcess(arguments, environment: environment, scratch: scratch.path).wait()
}

/// Open file descriptors of this process: leaked libgit2 handles keep pack files open.
func openFileDescriptors() -> Int {
    (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd").count) ?? -1
}
