import Adapters
import Controller
import Foundation
import TestSupportCore

/// A gateway tree whose Caddy really runs: Debian's caddy on free loopback ports, with its internal CA
/// (`local_certs`) so HTTPS sites work offline, and hand-written sites standing in for the upstreams.
/// Shared by the apply, serve and notify tests and by reconcile-bench (so no XCTest here).
public final class CaddyGateway {
    public let tree: GatewayTree
    /// The test's folder (`tree.folder`): the tree, the repo and Caddy's home, and room for a test's own files.
    public var root: URL { tree.folder }
    public let adminPort = CaddyGateway.freePort()
    public let httpPort = CaddyGateway.freePort()
    public let httpsPort = CaddyGateway.freePort()
    /// Stand-ins for Home Assistant and Jellyfin: loopback ports Caddy itself answers on.
    public let homeAssistantPort = CaddyGateway.freePort()
    public let mediaPort = CaddyGateway.freePort()
    public private(set) var caddy: CaddyProcess!

    public var repo: URL { tree.repo }
    public var caddyfile: URL { tree.caddyfile }
    public var stateDir: URL { tree.stateDir }
    public var settings: ReconcileSettings { ReconcileSettings(repo: repo.path, paths: tree.paths) }
    public var runtime: RuntimeSettings {
        RuntimeSettings(caddy: .adminAPI(endpoint: "127.0.0.1:\(adminPort)"), compose: nil, homeAssistant: .none,
                        probes: ProbeSettings(address: "127.0.0.1", port: httpsPort, scheme: .https, timeout: 3, attempts: 20, interval: 0.25))
    }

    /// Which Caddy runs (Debian's 2.6.2 by default), and the global option that picks its issuer.
    public let caddyBinary: String
    public let issuer: String
    /// Caddy's data directory (its `XDG_DATA_HOME`, as `/data` is in the official image): its certificates.
    public var caddyData: String { root.appendingPathComponent("caddy-home/data").path }

    public init(caddy: String = "/usr/bin/caddy", issuer: String = "local_certs") throws {
        (caddyBinary, self.issuer) = (caddy, issuer)
        tree = try GatewayTree(prefix: "reconcile-apply")
        try tree.write(handWritten(), to: caddyfile)
        try tree.write("default_config:\n", to: tree.configurationYAML)
        try tree.write("services:\n  caddy:\n    image: caddy\n", to: tree.composeFile)
        try declare(media: "127.0.0.1:\(mediaPort)")
        self.caddy = try CaddyProcess(binary: caddyBinary, caddyfile: caddyfile.path, home: root.appendingPathComponent("caddy-home").path)
        self.caddy.wait(seconds: 15) { (try? CaddyAdmin(endpoint: "127.0.0.1:\(adminPort)", timeout: 1).config()) != nil }
    }

    /// Caddy stops before the tree goes.
    deinit { caddy?.stop() }

    /// The user's Caddyfile: global options for an offline test, and the upstream stand-ins.
    public func handWritten(extra: String = "") -> String {
        """
        {
        \tadmin 127.0.0.1:\(adminPort)
        \thttp_port \(httpPort)
        \thttps_port \(httpsPort)
        \t\(issuer)
        \tskip_install_trust
        }

        # Stand-ins for the services' own ports (no host matcher: Caddy's proxy passes the site's Host on).
        http://:\(homeAssistantPort) {
        \trespond "home assistant"
        }

        http://:\(mediaPort) {
        \trespond "media"
        }
        \(extra)
        """
    }

    public func declare(media upstream: String?) throws {
        var text = "domain: gateway.test\nservices:\n  homeassistant:\n    host: \"@\"\n    upstream: 127.0.0.1:\(homeAssistantPort)\n    home_assistant: true\n"
        if let upstream { text += "  media:\n    host: media\n    upstream: \(upstream)\n" }
        try tree.writeExposure(text)
    }

    public func write(_ text: String, to url: URL) throws { try tree.write(text, to: url) }

    /// What a client on the internet gets for `host` (HTTPS, SNI = host), or nil when nothing answers.
    public func fetch(_ host: String) -> String? {
        let argv = ["curl", "-sk", "--max-time", "3", "--resolve", "\(host):\(httpsPort):127.0.0.1", "https://\(host):\(httpsPort)/"]
        guard let result = try? run(argv, timeout: .seconds(30)), result.status == 0 else { return nil }
        return result.stdout
    }

    public func runningConfig() throws -> String {
        String(decoding: try CaddyAdmin(endpoint: "127.0.0.1:\(adminPort)").config(), as: UTF8.self)
    }

    public func inode(_ url: URL) -> Int {
        ((try? FileManager.default.attributesOfItem(atPath: url.path)[.systemFileNumber]) as? NSNumber)?.intValue ?? -1
    }

    /// A free loopback port; never silently a wrong one (a bind failure stops the run).
    public static func freePort() -> Int { try! freeLoopbackPort() }
}
