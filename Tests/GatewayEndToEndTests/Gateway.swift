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
    static let projectName = "mapio"

    let engine: DockerTestEngine
    let root: URL
    let adminPort: Int, httpsPort: Int, hassPort: Int
    /// Upstream stand-ins: service name -> port on the host.
    let upstreams: [String: Int]
    /// The caddy bridge network's subnet (see `freeCaddySubnet`).
    private(set) var caddySubnet = ""

    var repo: URL { root.appendingPathComponent("repo") }
    var composeDir: URL { root.appendingPathComponent("home/root/mapio") }
    var composeFile: URL { composeDir.appendingPathComponent("docker-compose.yml") }
    var caddyfile: URL { root.appendingPathComponent("usr/local/caddy/Caddyfile") }
    var haConfigDir: URL { root.appendingPathComponent("usr/local/homeassistant") }
    var configurationYAML: URL { haConfigDir.appendingPathComponent("configuration.yaml") }
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
        engine = try DockerTestEngine.require()
        try HassTestEnvironment.requireInstalled()
        root = URL(fileURLWithPath: "/tmp").appendingPathComponent("rc-gw-e2e-" + UUID().uuidString.prefix(8).lowercased())
        adminPort = try freeLoopbackPort()
        httpsPort = try freeLoopbackPort()
        hassPort = try freeLoopbackPort()
        var upstreams: [String: Int] = [:]
        for name in ["jellyfin", "nextcloud", "photos"] { upstreams[name] = try freeLoopbackPort() }
        self.upstreams = upstreams
        test.addTeardownBlock { [self] in tearDown() }

        let files = FileManager.default
        for directory in [repo, composeDir, caddyfile.deletingLastPathComponent(), haConfigDir] {
            try files.createDirectory(at: directory, withIntermediateDirectories: true)
        }
        for name in upstreams.keys {
            let www = composeDir.appendingPathComponent("www-\(name)")
            try files.createDirectory(at: www, withIntermediateDirectories: true)
            try write("\(name) upstream\n", to: www.appendingPathComponent("index.html"))
        }
        caddySubnet = try freeCaddySubnet()
        try write(Self.userCaddyfile, to: caddyfile)
        try write(composeText(), to: composeFile)
        try write(try configurationText(), to: configurationYAML)
        try write(controlScript(), to: haControl)
        try write(settingsText(), to: settingsFile)
        try declare(["homeassistant", "jellyfin", "nextcloud"])

        // A project left by a killed run would hold the same name: clear it first.
        _ = try compose(["down", "-t", "1"])
        let up = try compose(["up", "-d"])
        guard up.status == 0 else { throw Failure("docker-compose up: \(up.output)") }
        let started = try run(["/bin/bash", HassTestEnvironment.controlScript.path, "start", haConfigDir.path, String(hassPort)])
        guard started.status == 0 else { throw Failure("hass-ctl.sh start: \(started.output)\n\(hassLog())") }
        guard eventually(within: .seconds(90), { hassAnswer().status == 200 }) else {
            throw Failure("Home Assistant did not answer on \(hassPort):\n\(hassLog())")
        }
        guard eventually(within: .seconds(30), { curl("http://127.0.0.1:\(adminPort)/config/").status == 200 }) else {
            throw Failure("Caddy's admin API did not answer on \(adminPort):\n\((try? run(["docker", "logs", try caddyContainer()], environment: dockerEnvironment))?.output ?? "")")
        }
        for (name, port) in upstreams {
            guard eventually(within: .seconds(30), { curl("http://127.0.0.1:\(port)/").status == 200 }) else {
                throw Failure("the \(name) stand-in did not answer on \(port)")
            }
        }
    }

    struct Failure: Error, CustomStringConvertible {
        var description: String
        init(_ description: String) { self.description = description }
    }

    private func write(_ text: String, to url: URL) throws {
        try Data(text.utf8).write(to: url)
    }

    var dockerEnvironment: [String: String] { ["DOCKER_HOST": engine.dockerHost] }

    // MARK: the files

    private func composeText() -> String {
        func upstream(_ name: String) -> String {
            """
              \(name):
                <<: *fast-stop
                image: \(engine.upstreamImage)
                network_mode: host
                command: ["busybox", "httpd", "-f", "-p", "\(upstreams[name]!)", "-h", "/www"]
                volumes:
                  - \(composeDir.path)/www-\(name):/www:ro

            """
        }
        return """
            version: "3.7"

            # busybox as PID 1 ignores SIGTERM: stop it at once instead of after 10 s
            x-fast-stop: &fast-stop
              stop_signal: SIGKILL

            services:
              caddy:
                image: \(engine.caddyImage)
                command: ["caddy", "run", "--config", "/etc/caddy/Caddyfile", "--adapter", "caddyfile"]
                ports:
                  - "127.0.0.1:\(adminPort):2019"
                  - "127.0.0.1:\(httpsPort):8443"
                volumes:
                  - \(caddyfile.path):/etc/caddy/Caddyfile
                networks:
                  - caddy
                extra_hosts:
                  - host.docker.internal:host-gateway

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
        try write(text, to: repo.appendingPathComponent("exposure.yaml"))
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
    func compose(_ arguments: [String]) throws -> RunResult {
        try run(["docker-compose", "-f", composeFile.path] + arguments, environment: dockerEnvironment)
    }

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

    /// Container id per compose service of this project (running or not).
    func containerIDs() throws -> [String: String] {
        let listed = try run(["docker", "ps", "-a", "--no-trunc", "--filter", "label=com.docker.compose.project=\(Self.projectName)",
                              "--format", "{{.Label \"com.docker.compose.service\"}} {{.ID}}"], environment: dockerEnvironment)
        guard listed.status == 0 else { throw Failure("docker ps: \(listed.output)") }
        var ids: [String: String] = [:]
        for line in listed.stdout.split(separator: "\n") {
            let parts = line.split(separator: " ")
            if parts.count == 2 { ids[String(parts[0])] = String(parts[1]) }
        }
        return ids
    }

    func caddyContainer() throws -> String {
        guard let id = try containerIDs()["caddy"] else { throw Failure("no caddy container") }
        return id
    }

    /// The caddy container's state and the end of its log, for a failure message.
    func caddyDiagnostics() -> String {
        let state = (try? run(["docker", "ps", "-a", "--filter", "label=com.docker.compose.project=\(Self.projectName)"],
                              environment: dockerEnvironment))?.output ?? ""
        let logs = (try? run(["docker", "logs", "--tail", "25", (try? caddyContainer()) ?? "none"], environment: dockerEnvironment))?.output ?? ""
        return "containers:\n\(state)\ncaddy's log:\n\(logs)"
    }

    /// Caddy's running config, as its admin API returns it.
    func caddyConfig() -> Answer { curl("http://127.0.0.1:\(adminPort)/config/") }

    /// How many times Caddy's admin API was asked to load a config (its own request log).
    func caddyLoads() throws -> Int {
        let logs = try run(["docker", "logs", try caddyContainer()], environment: dockerEnvironment)
        return logs.output.components(separatedBy: "\"uri\":\"/load\"").count - 1
    }

    /// Each service's depends_on as PyYAML reads the compose file (merge keys applied).
    func dependsOn() throws -> [String: [String]] {
        let script = """
        import json, sys, yaml
        data = yaml.safe_load(open(sys.argv[1]))
        print(json.dumps({n: list((s or {}).get("depends_on") or []) for n, s in data["services"].items()}))
        """
        let parsed = try run(["python3", "-c", script, composeFile.path])
        guard parsed.status == 0 else { throw Failure("PyYAML: \(parsed.output)") }
        return try JSONDecoder().decode([String: [String]].self, from: Data(parsed.stdout.utf8))
    }

    func tearDown() {
        _ = try? run(["/bin/bash", HassTestEnvironment.controlScript.path, "stop", haConfigDir.path, String(hassPort)])
        _ = try? compose(["down", "-t", "1"])
        try? FileManager.default.removeItem(at: root)
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
