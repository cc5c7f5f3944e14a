import Adapters
import Crypto
import Foundation
import TestSupport
import XCTest

/// The real `reconcile serve` against clients that do not play fair: idle and half-sent connections, bytes
/// trickling in, proxied requests, clients beyond the gateway's networks, and life as a container's PID 1.
final class ServeHardeningTests: XCTestCase {
    /// ServeHTTPLimits, as the daemon enforces them (idle 15 s, a request read whole within 20 s).
    let idleTimeout = 15.0, requestTimeout = 20.0

    func signedGenericWake(_ secret: String) -> [(String, String)] {
        let mac = HMAC<SHA256>.authenticationCode(for: [UInt8](), using: SymmetricKey(data: Array(secret.utf8)))
        return [("X-Reconcile-Signature", "sha256=" + mac.map { String(format: "%02x", $0) }.joined())]
    }

    /// The red team's case: the open-file limit at 256 and 240 connections that send nothing, half a head or
    /// half a body. /healthz and a signed webhook still answer at once, and every such connection is closed.
    func testIdleAndHalfSentConnectionsAreClosedAndHealthzAndAWebhookStillAnswer() throws {
        let sandbox = try DaemonSandbox()
        let serve = try ServeProcess(sandbox.serveArguments(["--interval", "1h", "--burst-window", "0"]), logFile: sandbox.root + "/serve.log")
        XCTAssertTrue(serve.wait(timeout: 30) { try serve.health()["last_reconcile"] != nil }, "startup reconcile: \(serve.log())")
        let limit = try TestSupport.run(["prlimit", "--pid", "\(serve.process.processIdentifier)", "--nofile=256:256"])
        XCTAssertEqual(limit.status, 0, limit.stderr)

        let partial = ["", "GET /healthz HTTP/1.1\r\nHost: gateway\r\n",
                       "POST /hooks/reconcile HTTP/1.1\r\nHost: gateway\r\nContent-Length: 1000\r\n\r\n{\"ref\":"]
        var connections: [RawConnection] = []
        for index in 0..<240 {
            let connection = try RawConnection(port: serve.port)
            connection.send(partial[index % partial.count])
            connections.append(connection)
        }
        let clock = ContinuousClock(), start = clock.now
        let health = try serve.get("/healthz")
        let healthTook = clock.now - start
        XCTAssertEqual(health.status, 200)
        XCTAssertLessThan(healthTook, .seconds(3), "/healthz waited behind the idle connections")
        let webhook = try serve.request("POST", "/hooks/reconcile", headers: signedGenericWake(sandbox.secret))
        XCTAssertEqual(webhook.status, 202, webhook.text)

        let deadline = Date().addingTimeInterval(idleTimeout + 5)
        let open = connections.filter { !$0.waitForClose(until: deadline) }
        let allClosed = clock.now - start
        print("240 idle or half-sent connections, 256 descriptors: /healthz answered in \(healthTook), all closed by the daemon after \(allClosed)")
        XCTAssertEqual(open.count, 0, "connections the daemon never closed")
        XCTAssertFalse(serve.log().contains("Too many open files"), serve.log())
        XCTAssertEqual(try serve.get("/healthz").status, 200)
        XCTAssertEqual(serve.terminate(), 0, serve.log())
    }

    /// A connection that sends nothing is closed at the idle timeout; a body sent a byte a second (each byte
    /// restarts the idle timer) is closed at the request timeout.
    func testAnIdleConnectionAndABodySentAByteAtATimeAreCutOff() throws {
        let sandbox = try DaemonSandbox()
        let serve = try ServeProcess(sandbox.serveArguments(["--interval", "1h"]), logFile: sandbox.root + "/serve.log")
        let idle = try RawConnection(port: serve.port)
        let trickle = try RawConnection(port: serve.port)
        trickle.send("POST /hooks/reconcile HTTP/1.1\r\nHost: gateway\r\nContent-Length: 100\r\n\r\n")
        let start = Date()
        var idleClosedAfter: Double?, trickleClosedAfter: Double?
        while Date().timeIntervalSince(start) < requestTimeout + 8, idleClosedAfter == nil || trickleClosedAfter == nil {
            if idleClosedAfter == nil, idle.waitForClose(until: Date().addingTimeInterval(0.5)) { idleClosedAfter = Date().timeIntervalSince(start) }
            if trickleClosedAfter == nil {
                trickle.send("x")
                if trickle.waitForClose(until: Date().addingTimeInterval(0.5)) { trickleClosedAfter = Date().timeIntervalSince(start) }
            }
        }
        print("idle connection closed after \(idleClosedAfter.map { "\($0) s" } ?? "never"), trickling body after \(trickleClosedAfter.map { "\($0) s" } ?? "never")")
        let idleAfter = try XCTUnwrap(idleClosedAfter, "the idle connection was never closed")
        XCTAssertEqual(idleAfter, idleTimeout, accuracy: 3)
        let trickleAfter = try XCTUnwrap(trickleClosedAfter, "the trickling body was never cut off")
        XCTAssertEqual(trickleAfter, requestTimeout, accuracy: 3)
        XCTAssertEqual(serve.terminate(), 0, serve.log())
    }

    /// Routing the webhook's host through Caddy publishes none of the rest: /healthz, /metrics and the page
    /// refuse a proxied request. HEAD answers as GET, without the body.
    func testHealthAndMetricsRefuseProxiedRequestsAndHEADAnswersLikeGET() throws {
        let sandbox = try DaemonSandbox()
        let serve = try ServeProcess(sandbox.serveArguments(["--interval", "1h"]), logFile: sandbox.root + "/serve.log")
        for path in ["/healthz", "/metrics", "/"] {
            XCTAssertEqual(try serve.get(path).status, 200, path)
            for header in [("X-Forwarded-For", "203.0.113.9"), ("Via", "1.1 Caddy"), ("Forwarded", "for=203.0.113.9")] {
                let proxied = try serve.request("GET", path, headers: [header])
                XCTAssertEqual(proxied.status, 403, "\(path) through a proxy (\(header.0))")
                XCTAssertTrue(proxied.text.contains("not through a proxy"), proxied.text)
                XCTAssertEqual(proxied.text.contains("serve.status_page: proxied"), path == "/", "only the page has a setting: \(proxied.text)")
            }
        }
        // curl -I: a HEAD answer has the GET's headers and no body.
        let head = try TestSupport.run(["curl", "-s", "-S", "-I", "--max-time", "5", "http://127.0.0.1:\(serve.port)/"])
        XCTAssertTrue(head.stdout.hasPrefix("HTTP/1.1 200"), "HEAD / answers like GET: \(head.stdout) \(head.stderr)")
        XCTAssertTrue(head.stdout.lowercased().contains("content-type: text/html"), head.stdout)
        let healthHead = try TestSupport.run(["curl", "-s", "-S", "-I", "--max-time", "5", "http://127.0.0.1:\(serve.port)/healthz"])
        XCTAssertTrue(healthHead.stdout.hasPrefix("HTTP/1.1 200"), healthHead.stdout)
        XCTAssertEqual(serve.terminate(), 0, serve.log())
    }

    /// In a network namespace of its own (only its loopback, with a documentation address 198.51.100.7 on it),
    /// the daemon listens on 0.0.0.0: a client from 198.51.100.7 is not on the gateway's networks and gets
    /// 403 from the page, /healthz and /metrics (the webhook still answers it); the start warns of the listener.
    func testPagesRefuseClientsBeyondTheGatewaysNetworksAndListeningBeyondLoopbackIsWarned() throws {
        guard getuid() == 0 else { throw XCTSkip("a network namespace needs root") }
        let sandbox = try DaemonSandbox()
        let arguments = (["serve"] + sandbox.serveArguments(["--interval", "1h", "--listen", "0.0.0.0:9797"]))
            .map { "'\($0)'" }.joined(separator: " ")
        let log = sandbox.root + "/serve.log"
        let script = """
            ip link set lo up && ip addr add 198.51.100.7/32 dev lo || exit 9
            '\(try reconcileBinary().path)' \(arguments) > '\(log)' 2>&1 &
            pid=$!
            for i in $(seq 200); do curl -s -o /dev/null http://127.0.0.1:9797/healthz && break; sleep 0.1; done
            for path in / /healthz /metrics; do
              echo "local $path $(curl -s -o /dev/null -w '%{http_code}' http://127.0.0.1:9797$path)"
              echo "outside $path $(curl -s -o /dev/null -w '%{http_code}' --interface 198.51.100.7 http://198.51.100.7:9797$path)"
            done
            echo "outside webhook $(curl -s -o /dev/null -w '%{http_code}' -X POST --data '{}' --interface 198.51.100.7 http://198.51.100.7:9797/hooks/reconcile)"
            kill -TERM $pid; wait $pid; echo "exit $?"
            """
        let result = try TestSupport.run(["unshare", "--net", "--fork", "sh", "-c", script], timeout: .seconds(90))
        let serveLog = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
        XCTAssertEqual(result.status, 0, result.stdout + result.stderr + serveLog)
        for line in ["local / 200", "local /healthz 200", "local /metrics 200", "outside / 403", "outside /healthz 403", "outside /metrics 403",
                     "outside webhook 401", "exit 0"] {
            XCTAssertTrue(result.stdout.contains(line + "\n"), "\(line): \(result.stdout)")
        }
        XCTAssertTrue(serveLog.contains("listening beyond loopback"), serveLog)
    }

    /// As a container's PID 1 (`unshare --pid`), processes orphaned in the container are reaped, and SIGTERM
    /// still stops the daemon cleanly.
    func testAsPID1ItReapsOrphansAndStopsOnSIGTERM() throws {
        guard getuid() == 0 else { throw XCTSkip("a PID namespace needs root") }
        let sandbox = try DaemonSandbox()
        let port = try freeLoopbackPort()
        let log = sandbox.root + "/serve.log"
        FileManager.default.createFile(atPath: log, contents: nil)
        let unshare = Process()
        unshare.executableURL = URL(fileURLWithPath: "/usr/bin/unshare")
        unshare.arguments = ["--fork", "--pid", "--kill-child", try reconcileBinary().path, "serve"]
            + sandbox.serveArguments(["--interval", "1h", "--listen", "127.0.0.1:\(port)"])
        unshare.standardOutput = FileHandle(forWritingAtPath: log)
        unshare.standardError = FileHandle(forWritingAtPath: log)
        try unshare.run()
        defer { if unshare.isRunning { unshare.terminate() } }
        func health() -> Int? {
            try? HTTPClient.send(HTTPRequest(method: "GET", address: "127.0.0.1", port: port, path: "/healthz", timeout: 2)).status
        }
        let started = Date().addingTimeInterval(30)
        while health() != 200 && Date() < started { usleep(50_000) }
        XCTAssertEqual(health(), 200, (try? String(contentsOfFile: log, encoding: .utf8)) ?? "")
        let children = (try? String(contentsOfFile: "/proc/\(unshare.processIdentifier)/task/\(unshare.processIdentifier)/children", encoding: .utf8)) ?? ""
        let pid1 = try XCTUnwrap(Int32(children.split(separator: " ").first ?? ""), "no PID 1 under unshare")

        // Three processes orphaned inside the container: they exit at once, and PID 1 must reap them.
        let orphans = try TestSupport.run(["nsenter", "--target", "\(pid1)", "--pid", "--", "sh", "-c", "for i in 1 2 3; do sleep 0.2 & done; exit 0"])
        XCTAssertEqual(orphans.status, 0, orphans.stderr)
        usleep(1_500_000)
        let zombies = Self.zombies(childrenOf: pid1)
        print("orphans left as zombies under PID 1 after 1.5 s: \(zombies.count)")
        XCTAssertEqual(zombies, [], "orphans were never reaped")
        XCTAssertEqual(health(), 200)

        kill(pid1, SIGTERM)
        let stopped = Date().addingTimeInterval(30)
        while unshare.isRunning && Date() < stopped { usleep(20_000) }
        XCTAssertFalse(unshare.isRunning, "SIGTERM to PID 1 did not stop the daemon")
        unshare.waitUntilExit()
        XCTAssertEqual(unshare.terminationStatus, 0)
        XCTAssertTrue(((try? String(contentsOfFile: log, encoding: .utf8)) ?? "").contains("shut down cleanly"))
    }

    /// The webhook secret file: private to its owner, and each secret long enough not to be guessed from one
    /// captured delivery. Refused at start, with the fix, before anything listens or reconciles.
    func testAWebhookSecretFileOthersCanReadOrAShortSecretIsRefused() throws {
        let sandbox = try DaemonSandbox()
        let port = try freeLoopbackPort()
        func serve(_ file: String) throws -> RunResult {
            try runProcess(try reconcileBinary(), ["serve", "--repo", sandbox.repo, "--root", sandbox.gateway, "--no-runtime",
                                                   "--webhook-secret-file", file, "--listen", "127.0.0.1:\(port)"], timeout: 20)
        }
        for mode in [0o644, 0o640, 0o604] {
            let file = sandbox.directory.file("secret-\(String(mode, radix: 8))", sandbox.secret + "\n", mode: mode)
            let result = try serve(file)
            XCTAssertEqual(result.status, 1, "mode \(String(mode, radix: 8)): \(result.output)")
            XCTAssertTrue(result.stderr.contains("chmod 600 \(file)"), result.stderr)
            XCTAssertFalse(result.output.contains(sandbox.secret))
        }
        let short = try serve(sandbox.directory.file("secret-short", "hunter2\n", mode: 0o600))
        XCTAssertEqual(short.status, 1, short.output)
        XCTAssertTrue(short.stderr.contains("under the minimum of 16") && short.stderr.contains("openssl rand -hex 32"), short.stderr)
        let long = try serve(sandbox.directory.file("secret-long", sandbox.secret + "\n" + String(repeating: "k", count: 2000) + "\n", mode: 0o600))
        XCTAssertEqual(long.status, 1, long.output)
        XCTAssertTrue(long.stderr.contains("over the maximum of 1024"), long.stderr)
        XCTAssertEqual(sandbox.read(sandbox.caddyfile), try String(contentsOfFile: packageRoot.appendingPathComponent("example-gateway/usr/local/caddy/Caddyfile").path, encoding: .utf8),
                       "nothing was reconciled")
    }

    /// Zombie processes whose parent is `parent`, from /proc.
    static func zombies(childrenOf parent: Int32) -> [String] {
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        return entries.filter { Int($0) != nil }.compactMap { pid -> String? in
            guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
                  let close = stat.lastIndex(of: ")") else { return nil }
            let fields = stat[stat.index(after: close)...].split(separator: " ")
            guard fields.count > 1, fields[0] == "Z", Int32(fields[1]) == parent else { return nil }
            return "\(pid) \(stat[..<close]))"
        }
    }
}

/// A raw TCP client on 127.0.0.1 that can send half a request and notice when the server closes.
final class RawConnection {
    let fd: Int32

    init(port: Int) throws {
        fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw POSIXError(.EMFILE) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = UInt16(port).bigEndian
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else {
            close(fd)
            throw POSIXError(.ECONNREFUSED)
        }
    }

    deinit { close(fd) }

    func send(_ text: String) {
        guard !text.isEmpty else { return }
        _ = text.utf8CString.withUnsafeBufferPointer { Glibc.send(fd, $0.baseAddress, $0.count - 1, Int32(MSG_NOSIGNAL)) }
    }

    /// Whether the server closed the connection (end of file or reset) before `deadline`; answers are read and dropped.
    func waitForClose(until deadline: Date) -> Bool {
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let left = deadline.timeIntervalSinceNow
            var poller = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            let ready = poll(&poller, 1, Int32(max(0, left) * 1000))
            if ready < 0 && errno == EINTR { continue }
            guard ready > 0 else { return false }
            let count = recv(fd, &buffer, buffer.count, Int32(MSG_DONTWAIT))
            if count == 0 || (count < 0 && errno != EAGAIN && errno != EINTR) { return true }
        }
    }
}
