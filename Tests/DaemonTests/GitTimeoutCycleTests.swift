import Adapters
import Controller
import Daemon
import Foundation
import TestSupport
import XCTest

/// A git remote that accepts the connection and then says nothing fails that one cycle (retryable,
/// reported like any failed cycle) instead of ending the daemon; once the remote answers, the next
/// cycle applies. The remote is real: `git daemon` behind a loopback relay that holds connections
/// unanswered while a flag file exists.
final class GitTimeoutCycleTests: XCTestCase {
    func testAStalledFetchFailsTheCycleAndTheNextCycleSucceedsOnceTheRemoteAnswers() throws {
        let sandbox = try DaemonSandbox()
        let remote = try StallingGitRemote(serving: sandbox.root, in: sandbox.directory)
        let url = try XCTUnwrap(try GitRemoteURL.parse(remote.url(of: "repo")))
        let settings = ReconcileSettings(repo: url.text, paths: GatewayPaths.defaults(root: sandbox.gateway), gateway: "gw1",
                                         remote: RemoteSource(url: url, deadline: GitNetworkDeadline(seconds: 1)))
        let runner = CycleRunner(settings: settings, options: .init(mode: .apply(nil), report: true, publish: false), lockTimeout: 5)
        let caddyfileBefore = sandbox.read(sandbox.caddyfile)

        remote.stall = true
        let failed = runner.runBlocking([.timer])
        XCTAssertEqual(failed.outcome, .failed, failed.detail ?? "")
        XCTAssertEqual(failed.failure, .gitTimeout)
        XCTAssertEqual(failed.failure?.isRetryable, true, "the next tick retries")
        XCTAssertTrue(failed.detail?.contains("did not finish within 1 s") == true, failed.detail ?? "")
        XCTAssertTrue(failed.detail?.contains("--git-timeout") == true, "names the bound: \(failed.detail ?? "")")
        XCTAssertGreaterThanOrEqual(remote.heldConnections, 1, "the remote really was reached and held")
        XCTAssertEqual(sandbox.read(sandbox.caddyfile), caddyfileBefore, "nothing written")
        let status = StatusPublisher.loadLocal(stateDir: sandbox.stateDir)
        XCTAssertEqual(status?.reason, FailureReason.gitTimeout.rawValue, "the status report says why")
        XCTAssertEqual(status?.retryable, true)

        remote.stall = false
        let applied = runner.runBlocking([.timer])
        XCTAssertEqual(applied.outcome, .applied, applied.detail ?? "")
        XCTAssertNil(applied.failure)
        XCTAssertEqual(applied.appliedCommit, sandbox.head)
        XCTAssertNotEqual(sandbox.read(sandbox.caddyfile), caddyfileBefore, "the example's sites were written")
    }

    /// The same through the real `reconcile serve`: the process lives on, /healthz and /metrics say
    /// `git_timeout` (retryable), and a timer tick applies once the remote answers.
    func testServeLivesOnThroughAStalledRemoteAndItsTimerRetries() throws {
        let sandbox = try DaemonSandbox()
        let remote = try StallingGitRemote(serving: sandbox.root, in: sandbox.directory)
        remote.stall = true
        let serve = try ServeProcess(["--repo", remote.url(of: "repo"), "--gateway", "gw1", "--root", sandbox.gateway, "--no-runtime",
                                      "--git-timeout", "1", "--interval", "1s", "--jitter", "0", "--no-publish-status"],
                                     logFile: sandbox.root + "/serve.log")
        func last() throws -> [String: Any] { (try serve.health()["last_reconcile"] as? [String: Any]) ?? [:] }
        XCTAssertTrue(serve.wait(timeout: 30) { try last()["reason"] as? String == "git_timeout" }, "\((try? last()) ?? [:]) \(serve.log())")
        XCTAssertEqual(try last()["result"] as? String, "failed")
        XCTAssertEqual(try last()["retryable"] as? Bool, true)
        XCTAssertTrue(serve.process.isRunning, "the daemon lives on")
        let metrics = try serve.get("/metrics").text
        let failures = metrics.split(separator: "\n").first { $0.hasPrefix("reconcile_failures_total{") && $0.contains(#"reason="git_timeout""#) }
        XCTAssertGreaterThanOrEqual(failures.flatMap { Double($0.split(separator: " ").last ?? "") } ?? 0, 1, metrics)

        remote.stall = false
        XCTAssertTrue(serve.wait(timeout: 30) { try last()["result"] as? String == "applied" }, "\((try? last()) ?? [:]) \(serve.log())")
        XCTAssertEqual(try last()["applied_commit"] as? String, sandbox.head)
        XCTAssertEqual(serve.terminate(), 0)
    }
}

/// `git daemon` on loopback behind a relay: while `stall` is set, the relay accepts connections and never
/// answers them (as a remote whose server hung); otherwise it passes them through.
final class StallingGitRemote {
    private let pid: Int32
    private let flag: String
    private let heldLog: String
    let port: Int

    static let relay = """
        import os, socket, subprocess, sys, threading, time
        flag, base, portfile, heldlog = sys.argv[1:5]
        probe = socket.socket(); probe.bind(("127.0.0.1", 0)); gitport = probe.getsockname()[1]; probe.close()
        subprocess.Popen(["git", "daemon", "--reuseaddr", "--export-all", "--base-path=" + base, "--listen=127.0.0.1",
                          "--port=%d" % gitport, base])
        server = socket.socket(); server.bind(("127.0.0.1", 0)); server.listen(16)
        def pipe(a, b):
            try:
                while True:
                    data = a.recv(65536)
                    if not data: break
                    b.sendall(data)
            except OSError: pass
            try: b.shutdown(socket.SHUT_WR)
            except OSError: pass
        with open(portfile + ".tmp", "w") as f: f.write(str(server.getsockname()[1]))
        os.rename(portfile + ".tmp", portfile)
        held = []
        while True:
            client, _ = server.accept()
            if os.path.exists(flag):
                held.append(client)
                with open(heldlog, "a") as f: f.write("held\\n")
                continue
            for _ in range(100):
                try: upstream = socket.create_connection(("127.0.0.1", gitport)); break
                except OSError: time.sleep(0.1)
            threading.Thread(target=pipe, args=(client, upstream), daemon=True).start()
            threading.Thread(target=pipe, args=(upstream, client), daemon=True).start()
        """

    init(serving base: String, in directory: TemporaryDirectory) throws {
        flag = directory.path + "/stall"
        heldLog = directory.path + "/held.log"
        let script = directory.path + "/relay.py", portFile = directory.path + "/relay.port"
        try Self.relay.write(toFile: script, atomically: true, encoding: .utf8)
        // Started in a session of its own with no inherited descriptors (see GitTests' BackgroundServer),
        // so stopping it stops git daemon too, and no pipe of ours stays open in it.
        let launcher = "import subprocess, sys; p = subprocess.Popen([\"python3\"] + sys.argv[1:], stdin=subprocess.DEVNULL, "
            + "stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, close_fds=True, start_new_session=True); print(p.pid)"
        let started = try run(["python3", "-c", launcher, script, flag, base, portFile, heldLog])
        pid = try XCTUnwrap(Int32(started.stdout.trimmingCharacters(in: .whitespacesAndNewlines)), started.output)
        var found: Int?
        for _ in 0..<100 where found == nil {
            found = (try? String(contentsOfFile: portFile, encoding: .utf8)).flatMap { Int($0) }
            if found == nil { usleep(50_000) }
        }
        guard let found else {
            kill(-pid, SIGTERM)
            throw XCTSkip("the relay did not start (python3 and git daemon are needed)")
        }
        port = found
    }

    func url(of repository: String) -> String { "git://127.0.0.1:\(port)/\(repository)" }

    var stall: Bool {
        get { FileManager.default.fileExists(atPath: flag) }
        set { newValue ? _ = FileManager.default.createFile(atPath: flag, contents: Data()) : try? FileManager.default.removeItem(atPath: flag) }
    }

    var heldConnections: Int {
        ((try? String(contentsOfFile: heldLog, encoding: .utf8)) ?? "").split(separator: "\n").count
    }

    deinit { kill(-pid, SIGTERM) }
}
