import Adapters
import Controller
import Foundation

/// Issue #7: a no-change fetch cycle through libgit2 (connect, list refs, nothing to download, history check,
/// checkout of the unchanged head) against a local bare repo, next to `git fetch` of the same repo by the git CLI.
enum FetchBenchmark {
    static func run() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("reconcile-fetch-bench-\(getpid())").path
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: root) }
        let commits = 200
        guard shell("""
            set -e
            git init -q -b main author && cd author
            printf 'domain: example.com\\nservices: {}\\n' > exposure.yaml
            for i in $(seq 1 \(commits)); do echo "# $i" >> exposure.yaml; git add -A; git -c user.name=b -c user.email=b@e commit -q -m "change $i"; done
            cd .. && git clone -q --bare author remote.git && git clone -q remote.git cli-clone
            """, in: root) else {
            print("== fetch: the git CLI is needed to build the fixture (apt-get install git)")
            return
        }
        let url = try GitRemoteURL.parse("file://\(root)/remote.git")!
        let source = RemoteSource(url: url)
        let stateDir = root + "/state"
        let head = try GitSource.fetch(source, stateDir: stateDir, statusBranch: "reconcile-status")
        try GitSource.checkout(head, stateDir: stateDir)
        let applied = AppliedCommit(id: head.commit.id, subject: head.commit.subject, source: url.description, branch: head.branch)

        let fetchOnly = try Measure.median(runs: 21) {
            _ = try GitSource.fetch(source, stateDir: stateDir, statusBranch: "reconcile-status")
        }
        let cycle = try Measure.median(runs: 21) {
            let fetched = try GitSource.fetch(source, stateDir: stateDir, statusBranch: "reconcile-status")
            _ = try GitSource.checkHistory(fetched, applied: applied, source: source, stateDir: stateDir)
            try GitSource.checkout(fetched, stateDir: stateDir)
        }
        var cliSamples: [Double] = []
        for _ in 0..<21 {
            if let time = spawn("/usr/bin/git", ["-C", root + "/cli-clone", "fetch", "-q", "file://\(root)/remote.git", "+refs/heads/main:refs/remotes/origin/main"]) {
                cliSamples.append(time)
            }
        }
        print("== fetch: no-change cycle against a local bare repo (\(commits) commits), median of 21")
        print("libgit2 fetch (connect, list refs, nothing to download):      \(Measure.format(fetchOnly))")
        print("libgit2 cycle (fetch + force-push check + checkout of head):   \(Measure.format(cycle))")
        guard !cliSamples.isEmpty else {
            print("git fetch: /usr/bin/git not available")
            return
        }
        let cli = cliSamples.sorted()[cliSamples.count / 2]
        print("git fetch of the same repo (git CLI, process included):        \(Measure.format(cli))")
        print("cycle / git fetch = \(String(format: "%.2f", cycle / cli)); target: at most 1.5")
    }

    /// Wall time of a command, in milliseconds: posix_spawn and waitpid, since Foundation's `Process` adds
    /// about 50 ms of its own here (its exit polling), which would flatter us against git.
    static func spawn(_ path: String, _ arguments: [String]) -> Double? {
        let argv: [UnsafeMutablePointer<CChar>?] = ([path] + arguments).map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
        var pid: pid_t = 0
        let start = DispatchTime.now().uptimeNanoseconds
        guard posix_spawn(&pid, path, &actions, nil, argv, environ) == 0 else { return nil }
        var status: Int32 = 0
        guard waitpid(pid, &status, 0) == pid, status == 0 else { return nil }
        return Double(DispatchTime.now().uptimeNanoseconds - start) / 1_000_000
    }

    @discardableResult
    static func shell(_ script: String, in directory: String) -> Bool {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", script]
        process.currentDirectoryURL = URL(fileURLWithPath: directory)
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        guard (try? process.run()) != nil else { return false }
        process.waitUntilExit()
        return process.terminationStatus == 0
    }
}
