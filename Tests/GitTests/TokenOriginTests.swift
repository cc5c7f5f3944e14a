import Foundation
import TestSupport
import XCTest

/// The git token goes only to the scheme, host and port the user gave: never over plain http://, never
/// after a redirect to another address (here another port of 127.0.0.1, a different origin all the same).
final class TokenOriginTests: XCTestCase {
    let token = "tok-\(UUID().uuidString)"

    func testATokenIsNeverSentOverPlainHTTP() throws {
        let scratch = Scratch()
        _ = ExposureRemote(scratch)
        let tokenFile = scratch.file("token", token + "\n", mode: 0o600)
        let server = try TestHTTPServer(root: scratch.path, tokenFile: tokenFile, scratch: scratch)
        let base = ["plan", "--repo", server.url("remote.git"), "--root", scratch.gateway("gw1"), "--gateway", "gw1"]

        let fromFile = try reconcile(base + ["--token-file", tokenFile], scratch: scratch)
        XCTAssertNotEqual(fromFile.status, 0, "a token over http:// is refused: \(fromFile.stdout)")
        XCTAssertTrue(fromFile.stderr.contains("--token-file") && fromFile.stderr.contains("never sent over plain http://"), fromFile.stderr)
        XCTAssertTrue(fromFile.stderr.contains("https://"), "the message gives the fix: \(fromFile.stderr)")

        let fromDefaultVariable = try reconcile(base, environment: ["RECONCILE_GIT_TOKEN": token], scratch: scratch)
        XCTAssertNotEqual(fromDefaultVariable.status, 0)
        XCTAssertTrue(fromDefaultVariable.stderr.contains("$RECONCILE_GIT_TOKEN"), fromDefaultVariable.stderr)

        XCTAssertFalse(server.server.logText.contains("auth=yes"), "no credential went over http://: \(server.server.logText)")
        for output in [fromFile.stdout, fromFile.stderr, fromDefaultVariable.stdout, fromDefaultVariable.stderr] {
            XCTAssertFalse(output.contains(token))
        }
    }

    /// The remote answers 302 to another port of its host (libgit2 calls that the same site), before any
    /// credential is asked or only after it accepted the token; then to another host name (`localhost`).
    func testARedirectToAnotherOriginNeverReceivesTheToken() throws {
        for mode in ["redirect-first", "redirect-after-auth", "redirect-to-another-host"] {
            let scratch = Scratch()
            _ = ExposureRemote(scratch)
            let tokenFile = scratch.file("token", token + "\n", mode: 0o600)
            let pair = try RedirectingServers(mode: mode, tokenFile: tokenFile, scratch: scratch)
            let result = try reconcile(["plan", "--repo", pair.url("remote.git"), "--root", scratch.gateway("gw1"), "--gateway", "gw1",
                                        "--token-file", tokenFile], environment: ["GIT_SSL_CAINFO": pair.certificate], scratch: scratch)
            XCTAssertTrue(pair.redirectorLog.contains("302"), "\(mode): the redirect was sent: \(pair.redirectorLog)")
            XCTAssertFalse(pair.otherHostLog.contains("authorization="), "\(mode): the other origin received the token: \(pair.otherHostLog)")
            XCTAssertNotEqual(result.status, 0, "\(mode): \(result.stdout)")
            XCTAssertFalse(result.stdout.contains(token) || result.stderr.contains(token))
        }
    }
}

/// Two HTTPS servers on 127.0.0.1 with one self-signed certificate: the remote reconcile is given, which
/// answers 302 to the same path on the other one; the other one asks for basic auth and records every
/// Authorization header it receives.
final class RedirectingServers {
    let port: Int
    let certificate: String
    let server: BackgroundServer
    let redirectorLogFile: String, otherHostLogFile: String

    init(mode: String, tokenFile: String, scratch: Scratch) throws {
        for name in ["127.0.0.1", "localhost"] {
            XCTAssertEqual(sh("openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj /CN=\(name) -keyout \(name).key -out \(name).crt 2>&1",
                              in: scratch.path).status, 0)
        }
        certificate = scratch.write("trusted.crt", ["127.0.0.1", "localhost"].map {
            (try? String(contentsOfFile: scratch.sub("\($0).crt"), encoding: .utf8)) ?? ""
        }.joined())
        let script = scratch.write("redirecting_servers.py", RedirectingServers.script)
        let portFile = scratch.sub("redirect.port")
        redirectorLogFile = scratch.sub("redirector.log")
        otherHostLogFile = scratch.sub("other-host.log")
        server = try BackgroundServer("/usr/bin/python3", [script, mode, tokenFile, portFile, scratch.path,
                                                           redirectorLogFile, otherHostLogFile], log: scratch.sub("redirect-servers.log"))
        guard let found = server.port(from: portFile) else {
            XCTFail("the redirecting servers did not start: \(server.logText)")
            throw XCTSkip("no redirecting servers")
        }
        port = found
    }

    func url(_ repository: String) -> String { "https://127.0.0.1:\(port)/\(repository)" }
    var redirectorLog: String { (try? String(contentsOfFile: redirectorLogFile, encoding: .utf8)) ?? "" }
    var otherHostLog: String { (try? String(contentsOfFile: otherHostLogFile, encoding: .utf8)) ?? "" }

    static let script = #"""
"""usage: redirecting_servers.py MODE TOKEN_FILE PORT_FILE CERT_DIR REDIRECTOR_LOG OTHER_LOG
MODE redirect-first: every request is redirected to another port. redirect-after-auth: 401 until the token is sent,
then redirected. redirect-to-another-host: every request is redirected to https://localhost:PORT.
CERT_DIR holds 127.0.0.1.crt/.key and localhost.crt/.key."""
import base64, http.server, os, ssl, sys, threading

MODE, TOKEN_FILE, PORT_FILE, CERT_DIR, REDIRECTOR_LOG, OTHER_LOG = sys.argv[1:7]
TOKEN = open(TOKEN_FILE, encoding="utf-8").read().strip()
OTHER_HOST = "localhost" if MODE == "redirect-to-another-host" else "127.0.0.1"

def log(path, line):
    with open(path, "a") as f:
        f.write(line + "\n")

def tls(server, name):
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(os.path.join(CERT_DIR, name + ".crt"), os.path.join(CERT_DIR, name + ".key"))
    server.socket = context.wrap_socket(server.socket, server_side=True)
    return server

class Other(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    def do_GET(self):
        auth = self.headers.get("Authorization")
        log(OTHER_LOG, "%s %s" % (self.command, self.path) + (" authorization=%s" % auth if auth else ""))
        self.send_response(401)
        self.send_header("WWW-Authenticate", 'Basic realm="other"')
        self.send_header("Content-Length", "0")
        self.end_headers()
    do_POST = do_GET
    def log_message(self, *args): pass

class Redirector(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    def do_GET(self):
        header = self.headers.get("Authorization", "")
        sent = header.startswith("Basic ") and base64.b64decode(header[6:]).decode("utf-8", "replace").partition(":")[2] == TOKEN
        if MODE == "redirect-after-auth" and not sent:
            log(REDIRECTOR_LOG, "%s %s 401" % (self.command, self.path))
            self.send_response(401)
            self.send_header("WWW-Authenticate", 'Basic realm="git"')
        else:
            log(REDIRECTOR_LOG, "%s %s 302 auth=%s" % (self.command, self.path, "yes" if sent else "no"))
            self.send_response(302)
            self.send_header("Location", "https://%s:%d%s" % (OTHER_HOST, OTHER_PORT, self.path))
        self.send_header("Content-Length", "0")
        self.end_headers()
    do_POST = do_GET
    def log_message(self, *args): pass

other = tls(http.server.ThreadingHTTPServer(("127.0.0.1", 0), Other), OTHER_HOST)
OTHER_PORT = other.server_address[1]
threading.Thread(target=other.serve_forever, daemon=True).start()
redirector = tls(http.server.ThreadingHTTPServer(("127.0.0.1", 0), Redirector), "127.0.0.1")
with open(PORT_FILE + ".tmp", "w") as f:
    f.write(str(redirector.server_address[1]))
os.rename(PORT_FILE + ".tmp", PORT_FILE)
redirector.serve_forever()
"""#
}
