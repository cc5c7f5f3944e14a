import Adapters
import Controller
import Foundation
import XCTest

/// (Shared by ApplyEngineTests and ServeEndToEndTests.) A gateway tree whose Caddy really runs: Debian's caddy on free loopback ports, with its internal CA
/// (`local_certs`) so HTTPS sites work offline, and hand-written sites standing in for the upstreams.
public final class CaddyGateway {
    public let root: URL
    public let adminPort = CaddyGateway.freePort()
    public let httpPort = CaddyGateway.freePort()
    public let httpsPort = CaddyGateway.freePort()
    /// Stand-ins for Home Assistant and Jellyfin: loopback ports Caddy itself answers on.
    public let homeAssistantPort = CaddyGateway.freePort()
    public let mediaPort = CaddyGateway.freePort()
    public let process = Process()

    public var repo: URL { root.appendingPathComponent("repo") }
    public var caddyfile: URL { root.appendingPathComponent("gateway/usr/local/caddy/Caddyfile") }
    public var stateDir: URL { root.appendingPathComponent("gateway/var/lib/reconcile") }
    public var settings: ReconcileSettings {
        ReconcileSettings(repo: repo.path, paths: GatewayPaths.defaults(root: root.appendingPathComponent("gateway").path))
    }
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
        root = FileManager.default.temporaryDirectory.appendingPathComponent("reconcile-apply-\(UUID().uuidString)")
        for folder in ["repo", "gateway/usr/local/caddy", "gateway/usr/local/homeassistant", "gateway/home/root/mapio", "caddy-home"] {
            try FileManager.default.createDirectory(at: root.appendingPathComponent(folder), withIntermediateDirectories: true)
        }
        try write(handWritten(), to: caddyfile)
        try write("default_config:\n", to: root.appendingPathComponent("gateway/usr/local/homeassistant/configuration.yaml"))
        try write("services:\n  caddy:\n    image: caddy\n", to: root.appendingPathComponent("gateway/home/root/mapio/docker-compose.yml"))
        try declare(media: "127.0.0.1:\(mediaPort)")
        XCTAssertTrue(FileManager.default.isExecutableFile(atPath: caddyBinary), "caddy is not installed: run scripts/setup.sh")
        let home = root.appendingPathComponent("caddy-home").path
        process.executableURL = URL(fileURLWithPath: caddyBinary)
        process.arguments = ["run", "--config", caddyfile.path]
        process.environment = ["HOME": home, "XDG_DATA_HOME": home + "/data", "XDG_CONFIG_HOME": home + "/config"]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        let deadline = Date().addingTimeInterval(15)
        while Date() < deadline, (try? CaddyAdmin(endpoint: "127.0.0.1:\(adminPort)", timeout: 1).config()) == nil { usleep(50_000) }
    }

    deinit {
        process.terminate()
        process.waitUntilExit()
        try? FileManager.default.removeItem(at: root)
    }

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
        try write(text, to: repo.appendingPathComponent("exposure.yaml"))
    }

    public func write(_ text: String, to url: URL) throws {
        try Data(text.utf8).write(to: url)
    }

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
