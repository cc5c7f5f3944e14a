import XCTest
import TestSupport
@testable import Adapters

/// Against a real Caddy (Debian's), started on free loopback ports for the test.
final class CaddyAdminTests: XCTestCase {
    func testLoadAdaptAndRejectionKeepTheOldConfigServing() throws {
        let caddy = try RealCaddy(site: "respond \"first\"")
        defer { caddy.stop() }
        let admin = CaddyAdmin(endpoint: "127.0.0.1:\(caddy.adminPort)", timeout: 10)
        XCTAssertEqual(try caddy.get().text, "first")

        let second = Array(caddy.caddyfile(site: "respond \"second\"").utf8)
        let adapted = try admin.adapt(caddyfile: second)
        XCTAssertTrue(String(decoding: adapted, as: UTF8.self).contains("second"))
        XCTAssertEqual(try caddy.get().text, "first", "adapt does not load")

        try admin.load(caddyfile: second)
        XCTAssertEqual(try caddy.get().text, "second")

        XCTAssertThrowsError(try admin.load(caddyfile: Array("bad {\n".utf8))) { error in
            guard case .rejected(let message)? = error as? CaddyError else { return XCTFail("\(error)") }
            XCTAssertTrue(message.contains("Caddyfile:1"), message)
        }
        XCTAssertEqual(try caddy.get().text, "second", "a rejected config leaves the running one in place")
        XCTAssertTrue(String(decoding: try admin.config(), as: UTF8.self).contains("second"))
    }

    func testUnreachableAdminIsAWorldError() {
        let admin = CaddyAdmin(endpoint: "127.0.0.1:\(RealCaddy.freePort())", timeout: 2)
        XCTAssertThrowsError(try admin.load(caddyfile: [])) { error in
            guard case .unreachable(let message)? = error as? CaddyError else { return XCTFail("\(error)") }
            XCTAssertTrue(message.contains("admin off"), message)
        }
    }

    func testHTTPClientBindsToTheSourceAddressItIsGiven() throws {
        let caddy = try RealCaddy(site: "respond \"{remote_host}\"")
        defer { caddy.stop() }
        let response = try HTTPClient.send(HTTPRequest(address: "127.0.0.1", port: caddy.httpPort, headers: [("Host", "site.test")],
                                                       sourceAddress: "127.0.0.2"))
        XCTAssertEqual(response.status, 200)
        XCTAssertEqual(response.text, "127.0.0.2")
    }
}

/// A Caddy process with one `http://site.test` site, admin API and listener on free ports.
final class RealCaddy {
    let directory: String
    let adminPort = RealCaddy.freePort()
    let httpPort = RealCaddy.freePort()
    private var caddy: CaddyProcess?

    init(site: String, caddyPath: String = "/usr/bin/caddy") throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("caddy-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        try caddyfile(site: site).write(toFile: directory + "/Caddyfile", atomically: true, encoding: .utf8)
        let caddy = try CaddyProcess(binary: caddyPath, caddyfile: directory + "/Caddyfile", home: directory)
        self.caddy = caddy
        if !caddy.wait(seconds: 10, until: { (try? get()) != nil }) { XCTFail("caddy did not start on port \(httpPort)") }
    }

    func caddyfile(site: String) -> String {
        "{\n\tadmin 127.0.0.1:\(adminPort)\n\thttp_port \(httpPort)\n\tauto_https off\n}\n\nhttp://site.test:\(httpPort) {\n\t\(site)\n}\n"
    }

    func get() throws -> HTTPResponse {
        try HTTPClient.send(HTTPRequest(address: "127.0.0.1", port: httpPort, headers: [("Host", "site.test")], timeout: 2))
    }

    func stop() {
        caddy?.stop()
        try? FileManager.default.removeItem(atPath: directory)
    }

    /// A port the kernel just handed out, so tests running side by side do not collide.
    static func freePort() -> Int { try! freeLoopbackPort() }
}
