import Foundation
import TestSupport
import XCTest

/// A gateway as its OS ships it (issue #16), in a fresh directory laid out as `reconcile --root` expects:
/// the OS's own `caddy` service verbatim (`image: caddy:latest`, which is Caddy 2.11.7 here, only
/// `443:443` published, the `caddy` network, `host.docker.internal:host-gateway`, the Caddyfile as a
/// single-file bind mount), a Caddyfile with no `admin` line, and host-network upstream stand-ins.
/// Nothing is shaped for the tests: reconcile runs with its default settings and must find its way.
/// The project is brought up by Compose v1 or v2, and reconcile's `auto` then follows that client.
final class StockGateway {
    enum Client: String { case v1, v2 }
    /// The Caddy of the `caddy` service: the stock `caddy:latest` (2.11.7), or Debian's 2.6.2 started the
    /// way the official image starts (its data in /data).
    enum CaddyImage { case latest, debian262 }

    static let domain = "mondomaine.ddnsfree.com"
    static let projectName = ComposeGateway.projectName

    /// The tree as a compose project, with the jellyfin and nextcloud stand-ins.
    let project: ComposeGateway
    var engine: DockerTestEngine { project.engine }
    let client: Client
    /// With the real Home Assistant as the `homeassistant` compose service (host networking, port 8123).
    let withHomeAssistant: Bool
    var root: URL { project.tree.root }
    /// Upstream stand-ins: service name -> port on the host.
    var upstreams: [String: Int] { project.upstreams }

    var repo: URL { project.tree.repo }
    var composeDir: URL { project.tree.composeDir }
    var composeFile: URL { project.tree.composeFile }
    var caddyDir: URL { caddyfile.deletingLastPathComponent() }
    var caddyfile: URL { project.tree.caddyfile }
    var haConfigDir: URL { project.tree.homeAssistantDir }
    var configurationYAML: URL { project.tree.configurationYAML }
    /// Home Assistant's default port: reconcile's default readiness URL is http://127.0.0.1:8123/manifest.json.
    static let hassPort = 8123

    /// The how-to's global options for an offline machine: certificates from Caddy's own CA (no ACME).
    /// No `admin` line: the admin API listens on localhost inside the container, out of the host's reach.
    static let offlineGlobals = "\tlocal_certs\n\tskip_install_trust"
    static func userCaddyfile(globals: String = offlineGlobals) -> String {
        """
        {
        \(globals)
        }

        # A hand-written site that reconcile does not manage.
        status.\(domain) {
        \trespond "gateway up" 200
        }

        """
    }

    /// `globals`: the Caddyfile's global options (the offline CA by default; an ACME CA for certificate tests);
    /// `dataFiles`: files to put in Caddy's data directory (its `/data`) before it starts.
    let caddyImage: CaddyImage

    init(for test: XCTestCase, client: Client, withHomeAssistant: Bool = false, globals: String = offlineGlobals,
         dataFiles: [String: Data] = [:], caddy: CaddyImage = .latest) throws {
        caddyImage = caddy
        self.client = client
        self.withHomeAssistant = withHomeAssistant
        project = try ComposeGateway(prefix: "rc-stock", upstreams: ["jellyfin", "nextcloud"])
        if withHomeAssistant { try HassTestEnvironment.requireInstalled() }
        test.addTeardownBlock { [self] in tearDown() }
        let tree = project.tree
        try tree.write(Self.userCaddyfile(globals: globals), to: caddyfile)
        try FileManager.default.createDirectory(at: tree.caddyDataDir, withIntermediateDirectories: true)
        for (name, data) in dataFiles { try data.write(to: tree.caddyDataDir.appendingPathComponent(name)) }
        if withHomeAssistant { try tree.write(Self.configuration, to: configurationYAML) }
        try tree.write(try composeText(), to: composeFile)
        try declare(["jellyfin"])

        // A project left by a killed run would hold the same name: clear it with both clients.
        try project.up(clientCommand, clearing: [["docker-compose"], ["docker", "compose"]])
        guard eventually(within: .seconds(30), { throughCaddy("status.\(Self.domain)").status == 200 }) else {
            throw Gateway.Failure("the stock Caddy did not serve its hand-written site on 443:\n\(caddyDiagnostics())")
        }
        try project.waitForUpstreams()
        if withHomeAssistant {
            guard eventually(within: .seconds(120), interval: .seconds(1), { hassAnswer().status == 200 }) else {
                throw Gateway.Failure("Home Assistant's container did not answer on \(Self.hassPort):\n\(logs("homeassistant"))")
            }
        }
    }

    /// Just what serves HTTP; `http:` is left to reconcile (Home Assistant listens on every address, port 8123).
    static let configuration = """
        homeassistant:
          name: stock gateway

        # Serves /auth/providers without authentication: a 400 there can only be the forwarded-header check.
        auth:

        """

    /// Home Assistant directly on the host; `forwardedFor` adds the header a proxy sends.
    func hassAnswer(forwardedFor: String? = nil) -> Answer {
        curl("http://127.0.0.1:\(Self.hassPort)/auth/providers", headers: forwardedFor.map { ["X-Forwarded-For: \($0)"] } ?? [])
    }

    func logs(_ service: String) -> String { project.logs(service, tail: 30) }

    var dockerEnvironment: [String: String] { project.dockerEnvironment }

    /// The OS's caddy service as it ships (only the host paths carry the test's root), and two upstreams.
    /// The real Home Assistant (the venv of scripts/ha-test-env) as the gateway runs it: the
    /// `homeassistant` service, `container_name: homeassistant`, host networking, its config at /config.
    /// The image is an empty root (`reconcile-test/hostroot`) given the host's /usr and the venv's
    /// interpreter read-only.
    private func homeAssistant() throws -> String {
        guard withHomeAssistant else { return "" }
        let venv = HassTestEnvironment.venv.path
        let config = try String(contentsOfFile: venv + "/pyvenv.cfg", encoding: .utf8)
        guard let home = config.split(separator: "\n").first(where: { $0.hasPrefix("home = ") })?.dropFirst("home = ".count) else {
            throw Gateway.Failure("no home in \(venv)/pyvenv.cfg")
        }
        // The interpreter's installation (its bin/ and lib/), unless it is the host's own /usr.
        let python = URL(fileURLWithPath: String(home)).deletingLastPathComponent().path
        let interpreter = python.hasPrefix("/usr") ? "" : "\n      - \(python):\(python):ro"
        return """
              homeassistant:
                container_name: homeassistant
                image: \(engine.hostRootImage)
                network_mode: host
                command: ["\(venv)/bin/hass", "-c", "/config", "--skip-pip"]
                volumes:
                  - \(haConfigDir.path):/config
                  - /usr:/usr:ro
                  - \(venv):\(venv):ro\(interpreter)

            """
    }

    private func composeText() throws -> String {
        func upstream(_ name: String) -> String { project.upstreamService(name) }
        return """
            services:
            \(StockCaddyService.text(image: caddyImageLines(), caddyfile: caddyfile.path, data: project.tree.caddyDataDir.path))
            \(upstream("jellyfin"))\(upstream("nextcloud"))\(try homeAssistant())
            networks:
              caddy:

            """
    }

    private func caddyImageLines() -> String {
        switch caddyImage {
        case .latest: return StockCaddyService.defaultImage
        case .debian262:
            return """
                    image: \(engine.caddyImage)
                    command: ["caddy", "run", "--config", "/etc/caddy/Caddyfile", "--adapter", "caddyfile"]
                    environment: [XDG_DATA_HOME=/data, XDG_CONFIG_HOME=/config]
                """
        }
    }

    func declare(_ names: [String], extra: String = "") throws {
        var text = "version: 1\ndomain: \(Self.domain)\nservices:\n"
        for name in names where name == "homeassistant" {
            text += "  homeassistant:\n    host: \"@\"\n    upstream: host.docker.internal:\(Self.hassPort)\n    home_assistant: true\n    compose_service: homeassistant\n"
        }
        for name in names where name != "homeassistant" {
            text += "  \(name):\n    host: \(name)\n    upstream: host.docker.internal:\(upstreams[name]!)\n    compose_service: \(name)\n"
        }
        try project.tree.writeExposure(text + extra)
    }

    static func host(_ service: String) -> String { "\(service).\(domain)" }

    /// `reconcile apply` with the default settings: only where the gateway's tree and the repo are, plus `arguments`;
    /// `environment` is added to the engine's (a PATH, say).
    func apply(_ arguments: [String] = [], environment: [String: String] = [:]) throws -> RunResult {
        try run([try reconcileBinary().path, "apply", "--root", root.path, "--repo", repo.path] + arguments,
                environment: dockerEnvironment.merging(environment) { $1 }, timeout: .seconds(240))
    }

    /// `reconcile plan` with the default settings, plus `arguments`.
    func plan(_ arguments: [String] = [], environment: [String: String] = [:]) throws -> RunResult {
        try run([try reconcileBinary().path, "plan", "--root", root.path, "--repo", repo.path] + arguments,
                environment: dockerEnvironment.merging(environment) { $1 }, timeout: .seconds(120))
    }

    /// The client that brought the project up: `docker-compose` (v1) or `docker compose` (v2).
    var clientCommand: [String] { client == .v1 ? ["docker-compose"] : ["docker", "compose"] }

    @discardableResult
    func compose(_ arguments: [String]) throws -> RunResult { try project.compose(clientCommand, arguments) }

    /// GET through the published 443, the host name carried in SNI and Host.
    func throughCaddy(_ host: String, path: String = "/") -> Answer {
        curl("https://\(host):443\(path)", resolve: "\(host):443:127.0.0.1")
    }

    func containerIDs() throws -> [String: String] { try project.containerIDs() }

    func caddyDiagnostics() -> String { project.caddyDiagnostics() }

    func tearDown() {
        _ = try? compose(["down", "-t", "1"])
        project.tree.directory.remove()
    }
}
