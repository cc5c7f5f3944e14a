import Foundation
import TestSupport
import XCTest

/// A gateway shaped like the real one, in a fresh directory laid out as `reconcile --root` expects:
///
/// - `home/root/mapio/docker-compose.yml`: `caddy` (Debian's caddy in `reconcile-test/caddy:1`) on a user
///   bridge network with `host.docker.internal:host-gateway`, its Caddyfile bind-mounted as a single file,
///   its admin API and HTTPS port published on loopback; `jellyfin`, `nextcloud` and `photos` stand-ins
///   (busybox httpd, host networking, each serving its own name);
/// - `usr/local/caddy/Caddyfile`: hand-written global options (`local_certs`, high ports, admin on 0.0.0.0
///   inside the container) and a hand-written site;
/// - `usr/local/homeassistant/`: the config dir of a real Home Assistant running as a host process,
///   listening on loopback and on the default bridge's gateway (where `host.docker.internal` points), so
///   Caddy's requests come from the caddy network's address in 172.16.0.0/12: the trusted-proxy case;
/// - `settings.yaml`: reconcile's `--config`, with `ha_commands` driving Home Assistant through `ha-ctl.sh`
///   (hass-ctl.sh, plus a switch that makes the next stop/start/restart leave Home Assistant down and fail).
final class Gateway {
    static let domain = "mondomaine.ddnsfree.com"
    static let projectName = ComposeGateway.projectName
    typealias Failure = ComposeGateway.Failure

    /// The tree as a compose project, with the jellyfin, nextcloud and photos stand-ins.
    let project: ComposeGateway
    var engine: DockerTestEngine { project.engine }
    let adminPort: Int, httpsPort: Int, hassPort: Int
    /// Upstream stand-ins: service name -> port on the host.
    var upstreams: [String: Int] { project.upstreams }
    /// The caddy bridge network's subnet (see `freeCaddySubnet`).
    private(set) var caddySubnet = ""

    var root: URL { project.tree.root }
    var repo: URL { project.tree.repo }
    var composeDir: URL { project.tree.composeDir }
    var composeFile: URL { project.tree.composeFile }
    var caddyfile: URL { project.tree.caddyfile }
    var haConfigDir: URL { project.tree.homeAssistantDir }
    var configurationYAML: URL { project.tree.configurationYAML }
    var settingsFile: URL { root.appendingPathComponent("settings.yaml") }
    var haControl: URL { root.appendingPathComponent("ha-ctl.sh") }
    /// Present: the next Home Assistant command stops it and fails (it "does not come back").
    var haFailNext: URL { root.appendingPathComponent("ha-fail-next") }
    /// One line per Home Assistant command reconcile ran.
    var haCalls: URL { root.appendingPathComponent("ha-calls.log") }

    static let userCaddyfile = """
        # The gateway's Caddy, hand-written; reconcile adds (and removes) only its managed blocks.
        {
        \tadmin 0.0.0.0:2019
        \tlocal_certs
        \tskip_install_trust
        \thttp_port 8080
        \thttps_port 8443
        }

        # A hand-written site that reconcile does not manage.
        status.\(domain) {
        \trespond "gateway up" 200
        }

        """

    /// Builds the tree, starts the compose project and Home Assistant, and waits until both answer.
    /// Everything is torn down when `test` finishes, even if this throws half-way.
    init(for test: XCTestCase) throws {
        project = try ComposeGateway(prefix: "rc-gw-e2e", upstreams: ["jellyfin", "nextcloud", "photos"])
        try HassTestEnvironment.requireInstalled()
        adminPort = try freeLoopbackPort()
        httpsPort = try freeLoopbackPort()
        hassPort = try freeLoopbackPort()
        test.addTeardownBlock { [self] in tearDown() }

        caddySubnet = try freeCaddySubnet()
        try write(Self.userCaddyfile, to: caddyfile)
        try write(composeText(), to: composeFile)
        try write(try configurationText(), to: configurationYAML)
        try write(controlScript(), to: haControl)
        try write(settingsText(), to: settingsFile)
        try declare(["homeassistant", "jellyfin", "nextcloud"])

        try project.up(["docker-compose"], clearing: [["docker-compose"]])
        let started = try run(["/bin/bash", HassTestEnvironment.controlScript.path, "start", haConfigDir.path, String(hassPort)])
        guard started.status == 0 else { throw Failure("hass-ctl.sh start: \(started.output)\n\(hassLog())") }
        guard eventually(within: .seconds(90), { hassAnswer().status == 200 }) else {
            throw Failure("Home Assistant did not answer on \(hassPort):\n\(hassLog())")
        }
        guard eventually(within: .seconds(30), { curl("http://127.0.0.1:\(adminPort)/config/").status == 200 }) else {
            throw Failure("Caddy's admin API did not answer on \(adminPort):\n\(project.logs("caddy"))")
        }
        try project.waitForUpstreams()
    }

    private func write(_ text: String, to url: URL) throws { try project.tree.write(text, to: url) }

    var dockerEnvironment: [String: String] { project.dockerEnvironment }

    // MARK: the files

    private func composeText() -> String {
        func upstream(_ name: String) -> String { project.upstreamService(name, stop: "<<: *fast-stop") }
        let caddy = project.caddyService(ports: ["127.0.0.1:\(adminPort):2019", "127.0.0.1:\(httpsPort):8443"],
                                         caddyfileMount: "\(caddyfile.path):/etc/caddy/Caddyfile")
        return ComposeGateway.fastStopHeader + """
            services:
            \(caddy)
            \(upstream("jellyfin"))\(upstream("nextcloud"))\(upstream("photos"))
            networks:
              caddy:
                ipam:
                  config:
                    - subnet: \(caddySubnet)

            """
    }

    /// The caddy network's subnet: a free /24 of 172.16.0.0/16, inside the 172.16.0.0/12 Home Assistant
    /// trusts by default, and a range Docker never hands out by itself (its default pools are 172.17-31/16,
    /// then 192.168/20; on a busy engine the network would land in 192.168 and the trust test would be
    /// about the engine, not reconcile).
    private func freeCaddySubnet() throws -> String {
        let ids = try run(["docker", "network", "ls", "-q"], environment: dockerEnvironment)
        guard ids.status == 0 else { throw Failure("docker network ls: \(ids.output)") }
        let inspect = try run(["docker", "network", "inspect", "--format", "{{range .IPAM.Config}}{{.Subnet}} {{end}}"]
                              + ids.stdout.split(separator: "\n").map(String.init), environment: dockerEnvironment)
        var taken = inspect.stdout.split(whereSeparator: { $0 == " " || $0 == "\n" }).compactMap { IPv4Network(String($0)) }
        // Other test engines may run beside this one (one per work tree): avoid every route the host
        // has, and keep to this engine's own slice of 172.16.0.0/16.
        let routes = try run(["ip", "-4", "route", "show"], environment: dockerEnvironment)
        taken += routes.stdout.split(separator: "\n").compactMap { $0.split(separator: " ").first.flatMap { IPv4Network(String($0)) } }
        let slice = DockerTestEngine.networkIndex * 40
        for third in (slice..<min(slice + 40, 256)).shuffled() {
            let candidate = IPv4Network("172.16.\(third).0/24")!
            if !taken.contains(where: { $0.overlaps(candidate) }) { return "172.16.\(third).0/24" }
        }
        throw Failure("no free /24 in 172.16.0.0/16 on this engine")
    }

    /// Home Assistant listens on loopback (reconcile's readiness check) and on the default bridge's
    /// gateway, which is where `host.docker.internal:host-gateway` sends Caddy.
    private func configurationText() throws -> String {
        let gateway = try engine.bridgeAddress()
        return """
            # Home Assistant for reconcile's gateway end-to-end tests: only what serves HTTP.
            homeassistant:
              name: reconcile gateway e2e

            # Hand-written: where to listen. reconcile adds its trust settings and keeps these lines.
            http:
              server_host:
                - 127.0.0.1
                - \(gateway)
              server_port: \(hassPort)

            # Serves /auth/providers without authentication: the readiness check.
            auth:

            """
    }

    private func controlScript() -> String {
        """
        #!/bin/bash
        # reconcile's ha_commands: hass-ctl.sh for this gateway's Home Assistant, logged; while
        # \(haFailNext.path) exists, the command instead stops Home Assistant and fails (once).
        echo "$1" >> '\(haCalls.path)'
        ctl=( /bin/bash '\(HassTestEnvironment.controlScript.path)' )
        if [ -e '\(haFailNext.path)' ]; then
            rm -f '\(haFailNext.path)'
            "${ctl[@]}" stop '\(haConfigDir.path)' \(hassPort)
            echo "ha-ctl.sh: Home Assistant does not come back (test switch)" >&2
            exit 1
        fi
        exec "${ctl[@]}" "$1" '\(haConfigDir.path)' \(hassPort)

        """
    }

    private func settingsText() -> String {
        func command(_ action: String) -> String { "[/bin/bash, \(haControl.path), \(action)]" }
        return """
            repo: \(repo.path)
            root: \(root.path)
            caddy_admin: 127.0.0.1:\(adminPort)
            compose: v1
            ha_url: http://127.0.0.1:\(hassPort)/auth/providers
            probe: https://127.0.0.1:\(httpsPort)
            probe_attempts: 15
            ha_commands:
              stop: \(command("stop"))
              start: \(command("start"))
              restart: \(command("restart"))

            """
    }

    /// The exposure repo: the named services among the gateway's four (Home Assistant has no compose
    /// service: it runs on the host), with an upstream port per service to override.
    func declare(_ names: [String], upstreamPorts: [String: Int] = [:], trustedProxies: [String]? = nil,
                 extra: String = "") throws {
        var text = "version: 1\ndomain: \(Self.domain)\n"
        if let trustedProxies { text += "trusted_proxies: [\(trustedProxies.map { "\"\($0)\"" }.joined(separator: ", "))]\n" }
        text += "services:\n"
        for name in names {
            switch name {
            case "homeassistant":
                text += "  homeassistant:\n    host: \"@\"\n    upstream: host.docker.internal:\(hassPort)\n    home_assistant: true\n"
            default:
                let port = upstreamPorts[name] ?? upstreams[name]!
                text += "  \(name):\n    host: \(Self.hostLabel[name]!)\n    upstream: host.docker.internal:\(port)\n    compose_service: \(name)\n"
            }
        }
        text += extra
        try project.tree.writeExposure(text)
    }

    static let hostLabel = ["jellyfin": "jellyfin", "nextcloud": "cloud", "photos": "photos"]

    static func host(_ service: String) -> String {
        service == "homeassistant" ? domain : "\(hostLabel[service] ?? service).\(domain)"
    }

    // MARK: driving and observing

    /// `reconcile apply --config settings.yaml`: the real binary, against the real engine and hass.
    func apply() throws -> RunResult {
        try run([try reconcileBinary().path, "apply", "--config", settingsFile.path], environment: dockerEnvironment,
                timeout: .seconds(240))
    }

    @discardableResult
    func compose(_ arguments: [String]) throws -> RunResult { try project.compose(["docker-compose"], arguments) }

    /// GET through Caddy's published HTTPS port, the host name carried in SNI and Host.
    func throughCaddy(_ host: String, path: String = "/") -> Answer {
        curl("https://\(host):\(httpsPort)\(path)", resolve: "\(host):\(httpsPort):127.0.0.1")
    }

    /// Home Assistant directly, on loopback; `forwardedFor` adds the header a proxy sends.
    func hassAnswer(forwardedFor: String? = nil) -> Answer {
        curl("http://127.0.0.1:\(hassPort)/auth/providers", headers: forwardedFor.map { ["X-Forwarded-For: \($0)"] } ?? [])
    }

    var hassPID: String? {
        (try? String(contentsOf: haConfigDir.appendingPathComponent("hass-ctl.pid"), encoding: .utf8))?
            .trimmingCharacters(in: .whitespacesAndNewlines)
    }

    var haCommandLog: String { (try? String(contentsOf: haCalls, encoding: .utf8)) ?? "" }

    func hassLog() -> String {
        let text = (try? String(contentsOf: haConfigDir.appendingPathComponent("hass-ctl.log"), encoding: .utf8)) ?? "(no hass-ctl.log)"
        return text.split(separator: "\n").suffix(15).joined(separator: "\n")
    }

    func containerIDs() throws -> [String: String] { try project.containerIDs() }

    func caddyContainer() throws -> String {
        guard let id = try containerIDs()["caddy"] else { throw Failure("no caddy container") }
        return id
    }

    func caddyDiagnostics() -> String { project.caddyDiagnostics() }

    /// Caddy's running config, as its admin API returns it.
    func caddyConfig() -> Answer { curl("http://127.0.0.1:\(adminPort)/config/") }

    /// How many times Caddy's admin API was asked to load a config (its own request log).
    func caddyLoads() throws -> Int {
        let logs = try run(["docker", "logs", try caddyContainer()], environment: dockerEnvironment)
        return logs.output.components(separatedBy: "\"uri\":\"/load\"").count - 1
    }

    func dependsOn() throws -> [String: [String]] { try project.dependsOn() }

    func tearDown() {
        _ = try? run(["/bin/bash", HassTestEnvironment.controlScript.path, "stop", haConfigDir.path, String(hassPort)])
        _ = try? compose(["down", "-t", "1"])
        project.tree.directory.remove()
    }
}

/// File identity: what changes when a file is written (inode on rename, mtime on any write).
struct FileStamp: Equatable, CustomStringConvertible {
    var inode: UInt64
    var mtime: timespec

    init(_ url: URL) throws {
        var info = stat()
        guard stat(url.path, &info) == 0 else { throw POSIXError(.ENOENT) }
        inode = UInt64(info.st_ino)
        mtime = info.st_mtim
    }

    static func == (a: FileStamp, b: FileStamp) -> Bool {
        a.inode == b.inode && a.mtime.tv_sec == b.mtime.tv_sec && a.mtime.tv_nsec == b.mtime.tv_nsec
    }

    var description: String { "inode \(inode) mtime \(mtime.tv_sec).\(mtime.tv_nsec)" }
}

/// The services an apply's output says it brought up (`up -d --no-deps a b`), forward (not rollback).
func broughtUp(_ result: RunResult) -> Set<String> {
    var services: Set<String> = []
    let step = "up -d --no-deps "
    for line in result.output.split(separator: "\n") where line.hasPrefix(step) {
        services.formUnion(line.dropFirst(step.count).split(separator: " ").map(String.init))
    }
    return services
}

/// An IPv4 CIDR, for picking a subnet no network of the engine overlaps.
struct IPv4Network {
    var base: UInt32
    var prefix: UInt32

    init?(_ text: String) {
        let parts = text.split(separator: "/")
        guard parts.count == 2, let prefix = UInt32(parts[1]), prefix <= 32 else { return nil }
        let octets = parts[0].split(separator: ".").compactMap { UInt32($0) }
        guard octets.count == 4, octets.allSatisfy({ $0 < 256 }) else { return nil }
        self.prefix = prefix
        base = octets.reduce(0) { $0 << 8 | $1 } & Self.mask(prefix)
    }

    static func mask(_ prefix: UInt32) -> UInt32 { prefix == 0 ? 0 : UInt32.max << (32 - prefix) }

    func overlaps(_ other: IPv4Network) -> Bool {
        let shorter = Swift.min(prefix, other.prefix)
        return base & Self.mask(shorter) == other.base & Self.mask(shorter)
    }
}
