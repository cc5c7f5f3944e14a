import Foundation
import TestSupport
import XCTest

/// A background server started by a test, in a session of its own, stopped by its pid when the value goes
/// away. Started through Python's `subprocess` (close_fds, start_new_session) rather than as a Foundation
/// `Process`: Foundation notices a child's exit when a socket the child inherited closes, so a server that
/// inherits such a socket (sshd, or anything started from `sh -c '… &'`) makes `waitUntilExit` of an
/// unrelated short command hang until the server stops.
final class BackgroundServer {
    let pid: Int32
    let log: String

    static let launcher = """
        import subprocess, sys
        p = subprocess.Popen(sys.argv[2:], stdin=subprocess.DEVNULL, stdout=open(sys.argv[1], "ab"), stderr=subprocess.STDOUT,
                             close_fds=True, start_new_session=True)
        print(p.pid)
        """

    init(_ executable: String, _ arguments: [String], log: String) throws {
        self.log = log
        let quoted = ([log, executable] + arguments).map { "'\($0)'" }.joined(separator: " ")
        let started = sh("python3 -c '\(BackgroundServer.launcher.replacingOccurrences(of: "'", with: "'\\''"))' \(quoted)", in: "/")
        guard let pid = Int32(started.trimmed) else {
            XCTFail("cannot start \(executable): \(started.output)")
            throw XCTSkip("cannot start \(executable)")
        }
        self.pid = pid
    }

    var isRunning: Bool { kill(pid, 0) == 0 && !((try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8))?.contains(") Z ") ?? true) }

    var logText: String { (try? String(contentsOfFile: log, encoding: .utf8)) ?? "" }

    /// The port the server writes to `file` once it listens; nil when it has not within `seconds`.
    func port(from file: String, within seconds: TimeInterval = 10) -> Int? {
        let deadline = Date().addingTimeInterval(seconds)
        var found: Int?
        while Date() < deadline, found == nil {
            found = (try? String(contentsOfFile: file, encoding: .utf8)).flatMap { Int($0) }
            if found == nil { usleep(20_000) }
        }
        return found
    }

    deinit {
        kill(pid, SIGTERM)
        for _ in 0..<100 where isRunning { usleep(10_000) }
        if isRunning { kill(pid, SIGKILL) }
    }
}

/// sshd on 127.0.0.1 with its own host key, one authorized client key, and no PAM: as root, `-D -f config`.
final class TestSSHServer {
    let port: Int
    let directory: String
    let hostPublicKey: String
    let clientKey: String
    let server: BackgroundServer

    static let sshd = "/usr/sbin/sshd"

    /// Nil (after recording why) when this machine cannot run sshd: locally that skips the SSH tests with the
    /// reason printed; in CI (CI=true) it fails them, since scripts/setup.sh is meant to install openssh-server.
    static func start(in scratch: Scratch) throws -> TestSSHServer {
        guard FileManager.default.isExecutableFile(atPath: sshd) else {
            let reason = "\(sshd) is not installed (apt-get install openssh-server): the SSH transport is not tested here"
            print("SSH tests: \(reason)")
            if ProcessInfo.processInfo.environment["CI"] == "true" { XCTFail(reason) }
            throw XCTSkip(reason)
        }
        guard getuid() == 0 else {
            let reason = "sshd needs root to run here (it switches to the logged-in user)"
            print("SSH tests: \(reason)")
            throw XCTSkip(reason)
        }
        return try TestSSHServer(scratch)
    }

    private init(_ scratch: Scratch) throws {
        directory = scratch.sub("sshd")
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        try? FileManager.default.createDirectory(atPath: "/run/sshd", withIntermediateDirectories: true) // privilege separation dir
        XCTAssertEqual(sh("ssh-keygen -q -t ed25519 -N '' -f host_key && ssh-keygen -q -t ed25519 -N '' -C client -f client_key && cp client_key.pub authorized_keys",
                          in: directory).status, 0)
        hostPublicKey = try String(contentsOfFile: directory + "/host_key.pub", encoding: .utf8)
            .split(separator: " ").prefix(2).joined(separator: " ")
        clientKey = directory + "/client_key"
        port = try freeLoopbackPort()
        let config = """
            Port \(port)
            ListenAddress 127.0.0.1
            HostKey \(directory)/host_key
            AuthorizedKeysFile \(directory)/authorized_keys
            PidFile \(directory)/sshd.pid
            PasswordAuthentication no
            KbdInteractiveAuthentication no
            PubkeyAuthentication yes
            PermitRootLogin prohibit-password
            StrictModes no
            UsePAM no
            MaxStartups 100
            MaxSessions 100
            LogLevel VERBOSE

            """
        try Data(config.utf8).write(to: URL(fileURLWithPath: directory + "/sshd_config"))
        server = try BackgroundServer(TestSSHServer.sshd, ["-D", "-e", "-f", directory + "/sshd_config"], log: directory + "/sshd.log")
        let deadline = Date().addingTimeInterval(10)
        while Date() < deadline {
            if sh("ssh-keyscan -p \(port) -t ed25519 127.0.0.1 2>/dev/null", in: directory).output.contains("ssh-ed25519") { return }
            guard server.isRunning else { break }
            usleep(50_000)
        }
        XCTFail("sshd did not start on 127.0.0.1:\(port): \(server.logText)")
        throw XCTSkip("sshd did not start")
    }

    func url(_ bare: String) -> String { "ssh://root@127.0.0.1:\(port)\(bare)" }

    /// A known_hosts line for this server.
    var knownHostsLine: String { "[127.0.0.1]:\(port) \(hostPublicKey)\n" }
}

/// `git http-backend` behind basic auth with one token; HTTPS with a self-signed certificate when `tls`.
final class TestHTTPServer {
    let port: Int
    let tls: Bool
    let certificate: String
    let server: BackgroundServer

    init(root: String, tokenFile: String, scratch: Scratch, tls: Bool = false) throws {
        let script = scratch.write("git_http_server.py", TestHTTPServer.script)
        let portFile = scratch.sub("http.port")
        var arguments = [script, root, tokenFile, portFile]
        if tls {
            XCTAssertEqual(sh("openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj /CN=127.0.0.1 -keyout tls.key -out tls.crt 2>&1",
                              in: scratch.path).status, 0)
            arguments += [scratch.sub("tls.crt"), scratch.sub("tls.key")]
        }
        self.tls = tls
        certificate = scratch.sub("tls.crt")
        server = try BackgroundServer("/usr/bin/python3", arguments, log: scratch.sub("http.log"))
        guard let found = server.port(from: portFile) else {
            XCTFail("the git HTTP server did not start: \(server.logText)")
            throw XCTSkip("no HTTP server")
        }
        port = found
    }

    func url(_ repository: String) -> String { "\(tls ? "https" : "http")://127.0.0.1:\(port)/\(repository)" }

    /// What makes reconcile trust this server's self-signed certificate (as git, through GIT_SSL_CAINFO).
    var trustEnvironment: [String: String] { tls ? ["GIT_SSL_CAINFO": certificate] : [:] }

    static let script = #"""
"""A git smart-HTTP server for tests: `git http-backend` behind HTTP basic auth with one token.

usage: git_http_server.py PROJECT_ROOT TOKEN_FILE PORT_FILE [CERT KEY]
With CERT and KEY it serves HTTPS. Writes the port it listens on (127.0.0.1, chosen by the system) to PORT_FILE, then serves until killed.
Logs every request line and Authorization *presence* (never its value) to stderr.
"""
import base64
import http.server
import os
import subprocess
import sys

ROOT, TOKEN_FILE, PORT_FILE = sys.argv[1:4]
TOKEN = open(TOKEN_FILE, encoding="utf-8").read().strip()


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_GET(self):
        self.serve_git()

    def do_POST(self):
        self.serve_git()

    def authorized(self):
        header = self.headers.get("Authorization", "")
        if not header.startswith("Basic "):
            return False
        user, _, password = base64.b64decode(header[6:]).decode("utf-8", "replace").partition(":")
        return bool(user) and password == TOKEN

    def read_body(self):
        if self.headers.get("Transfer-Encoding", "").lower() == "chunked":
            body = b""
            while True:
                size = int(self.rfile.readline().strip().split(b";")[0], 16)
                if size == 0:
                    self.rfile.readline()
                    return body
                body += self.rfile.read(size)
                self.rfile.readline()
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length else b""

    def serve_git(self):
        body = self.read_body() if self.command == "POST" else b""
        if not self.authorized():
            self.send_response(401)
            self.send_header("WWW-Authenticate", 'Basic realm="git"')
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        path, _, query = self.path.partition("?")
        env = dict(os.environ, GIT_PROJECT_ROOT=ROOT, GIT_HTTP_EXPORT_ALL="1", PATH_INFO=path, QUERY_STRING=query,
                   REQUEST_METHOD=self.command, CONTENT_TYPE=self.headers.get("Content-Type", ""),
                   CONTENT_LENGTH=str(len(body)), REMOTE_USER="reconcile", REMOTE_ADDR="127.0.0.1",
                   HTTP_GIT_PROTOCOL=self.headers.get("Git-Protocol", ""))
        out = subprocess.run(["git", "http-backend"], input=body, env=env, capture_output=True).stdout
        head, _, content = out.partition(b"\r\n\r\n")
        status, headers = 200, []
        for line in head.decode("utf-8", "replace").split("\r\n"):
            key, _, value = line.partition(": ")
            if key.lower() == "status":
                status = int(value.split()[0])
            elif key:
                headers.append((key, value))
        self.send_response(status)
        for key, value in headers:
            self.send_header(key, value)
        self.send_header("Content-Length", str(len(content)))
        self.end_headers()
        self.wfile.write(content)

    def log_message(self, fmt, *args):
        sys.stderr.write("%s auth=%s\n" % (fmt % args, "yes" if "Authorization" in self.headers else "no"))


server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
if len(sys.argv) > 5:
    import ssl
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(sys.argv[4], sys.argv[5])
    server.socket = context.wrap_socket(server.socket, server_side=True)
with open(PORT_FILE + ".tmp", "w") as f:
    f.write(str(server.server_address[1]))
os.rename(PORT_FILE + ".tmp", PORT_FILE)
server.serve_forever()
"""#
}
