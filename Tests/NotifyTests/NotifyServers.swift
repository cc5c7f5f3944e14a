import Foundation
import TestSupport
import XCTest

/// A real ntfy server (Debian sid's 2.27.0, unpacked by scripts/install-test-tools.sh) on a free loopback
/// port, with access control on: publishing needs the token it made for its one user.
final class NtfyTestServer {
    static let binary = ProcessInfo.processInfo.environment["RECONCILE_NTFY"]
        ?? "/usr/local/lib/reconcile-test/ntfy-2.27.0/usr/bin/ntfy"
    let port: Int
    let token: String
    let directory: String
    let process = Process()

    init(directory: String) throws {
        guard FileManager.default.isExecutableFile(atPath: Self.binary) else {
            throw XCTSkip("ntfy is not installed at \(Self.binary): run scripts/install-test-tools.sh")
        }
        self.directory = directory
        port = try freeLoopbackPort()
        let authFile = directory + "/user.db"
        let server = ["serve", "--config", "/dev/null", "--listen-http", "127.0.0.1:\(port)", "--auth-file", authFile,
                      "--auth-default-access", "deny-all", "--cache-file", directory + "/cache.db"]
        process.executableURL = URL(fileURLWithPath: Self.binary)
        process.arguments = server
        process.standardOutput = FileHandle(forWritingAtPath: "/dev/null")
        process.standardError = FileHandle(forWritingAtPath: "/dev/null")
        try process.run()
        let environment = ["NTFY_AUTH_FILE": authFile, "NTFY_PASSWORD": UUID().uuidString]
        let deadline = Date().addingTimeInterval(10)
        while Date() < deadline && !FileManager.default.fileExists(atPath: authFile) { usleep(50_000) }
        let user = try run([Self.binary, "user", "--config", "/dev/null", "add", "--role=admin", "owner"], environment: environment, timeout: .seconds(20))
        XCTAssertEqual(user.status, 0, user.output)
        let made = try run([Self.binary, "token", "--config", "/dev/null", "add", "owner"], environment: environment, timeout: .seconds(20))
        guard let range = made.output.range(of: #"tk_[a-z0-9]+"#, options: .regularExpression) else {
            throw XCTSkip("ntfy made no token: \(made.output)")
        }
        token = String(made.output[range])
        while Date() < deadline, (try? run(["curl", "-s", "-o", "/dev/null", "http://127.0.0.1:\(port)/v1/health"], timeout: .seconds(5)))?.status != 0 {
            usleep(50_000)
        }
    }

    deinit {
        process.terminate()
        process.waitUntilExit()
    }

    /// Every message the topic holds (`GET /TOPIC/json?poll=1`), as JSON objects.
    func messages(_ topic: String) throws -> [[String: Any]] {
        let result = try run(["curl", "-sf", "-H", "Authorization: Bearer \(token)", "http://127.0.0.1:\(port)/\(topic)/json?poll=1"],
                             timeout: .seconds(20))
        XCTAssertEqual(result.status, 0, result.output)
        return result.stdout.split(separator: "\n").compactMap {
            try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]
        }
    }
}

/// A local HTTP receiver (Python's http.server) that keeps every POST it gets (body and headers) in a
/// folder, and answers 200, 500, or never (`hang`).
final class RecordingReceiver {
    enum Mode: String { case ok, fail, hang }
    static let script = """
        import http.server, os, sys, time
        port, mode, out = int(sys.argv[1]), sys.argv[2], sys.argv[3]
        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                if mode == "hang":
                    time.sleep(3600)
                name = os.path.join(out, "%020d" % time.time_ns())
                with open(name + ".headers", "w") as f:
                    f.write("".join("%s: %s\\n" % kv for kv in self.headers.items()) + "Path: " + self.path + "\\n")
                with open(name + ".body", "wb") as f:
                    f.write(body)
                self.send_response(500 if mode == "fail" else 200)
                self.send_header("Content-Length", "0")
                self.end_headers()
            def log_message(self, *args):
                pass
        http.server.ThreadingHTTPServer(("127.0.0.1", port), Handler).serve_forever()
        """
    let port: Int
    let directory: String
    let process = Process()

    init(_ mode: Mode, directory: String) throws {
        self.directory = directory
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        port = try freeLoopbackPort()
        let script = directory + "/receiver.py"
        try Data(Self.script.utf8).write(to: URL(fileURLWithPath: script))
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", script, String(port), mode.rawValue, directory]
        try process.run()
        let deadline = Date().addingTimeInterval(10)
        while Date() < deadline, (try? run(["curl", "-s", "-o", "/dev/null", "http://127.0.0.1:\(port)/"], timeout: .seconds(5)))?.status != 0 {
            usleep(50_000)
        }
    }

    deinit {
        process.terminate()
        process.waitUntilExit()
    }

    /// What arrived, oldest first.
    func requests() throws -> [(headers: String, body: Data)] {
        let names = try FileManager.default.contentsOfDirectory(atPath: directory).filter { $0.hasSuffix(".body") }.sorted()
        return try names.map { name in
            let stem = directory + "/" + name.dropLast(".body".count)
            return (try String(contentsOfFile: stem + ".headers", encoding: .utf8), try Data(contentsOf: URL(fileURLWithPath: stem + ".body")))
        }
    }

    func header(_ name: String, in headers: String) -> String? {
        headers.split(separator: "\n").first { $0.lowercased().hasPrefix(name.lowercased() + ": ") }
            .map { String($0.dropFirst(name.count + 2)) }
    }
}
