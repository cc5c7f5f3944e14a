import Compose
import Foundation
import TestSupport
import XCTest
#if canImport(ComposeRuntime)
@testable import ComposeRuntime
#else
@testable import Adapters
#endif

/// A compose project shaped like the gateway's, in a fresh directory (whose name is the project name):
/// `caddy` on a user bridge network with `host.docker.internal:host-gateway`, publishing on loopback;
/// host-network upstreams (busybox), one of them an HTTP server Caddy proxies to.
final class GatewayTestProject {
    let directory: URL
    let composePath: String
    let caddyPort: Int
    let upstreamPort: Int
    let runtime: ComposeRuntime
    let originalBytes: [UInt8]

    init(engine: DockerTestEngine, client: ComposeClientChoice = .v1()) throws {
        let name = "rcgw" + UUID().uuidString.prefix(8).lowercased()
        directory = URL(fileURLWithPath: "/tmp").appendingPathComponent(name)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        composePath = directory.appendingPathComponent("docker-compose.yml").path
        caddyPort = try freeLoopbackPort()
        upstreamPort = try freeLoopbackPort()
        let caddyfile = "{\n\tadmin off\n\tauto_https off\n}\n:8080 {\n\treverse_proxy host.docker.internal:\(upstreamPort)\n}\n"
        try Data(caddyfile.utf8).write(to: directory.appendingPathComponent("Caddyfile"))
        originalBytes = Array(Self.compose(engine: engine, caddyPort: caddyPort, upstreamPort: upstreamPort).utf8)
        try Data(originalBytes).write(to: URL(fileURLWithPath: composePath))
        runtime = try ComposeRuntime.detect(file: composePath, choice: client,
                                            settings: .init(environment: ["DOCKER_HOST": engine.dockerHost]))
    }

    static func compose(engine: DockerTestEngine, caddyPort: Int, upstreamPort: Int) -> String {
        """
        version: "3.7"

        # busybox as PID 1 ignores SIGTERM: stop it at once instead of after 10 s
        x-fast-stop: &fast-stop
          stop_signal: SIGKILL

        services:
          caddy:
            image: \(engine.caddyImage)
            command: ["caddy", "run", "--config", "/etc/caddy/Caddyfile", "--adapter", "caddyfile"]
            ports:
              - "127.0.0.1:\(caddyPort):8080"
            networks:
              - caddy
            extra_hosts:
              - host.docker.internal:host-gateway
            volumes:
              - ./Caddyfile:/etc/caddy/Caddyfile:ro

          homeassistant:
            <<: *fast-stop
            image: \(engine.upstreamImage)
            network_mode: host
            command: ["busybox", "sleep", "3600"]
            depends_on:
              # the radio bridge first
              - zigbee2mqtt

          zigbee2mqtt:
            <<: *fast-stop
            image: \(engine.upstreamImage)
            network_mode: host
            command: ["busybox", "sleep", "3600"]

          jellyfin:
            <<: *fast-stop
            image: \(engine.upstreamImage)
            network_mode: host
            command: ["busybox", "httpd", "-f", "-p", "\(upstreamPort)", "-h", "/www"]

        networks:
          caddy:

        """
    }

    var bytesOnDisk: [UInt8] { (try? Array(Data(contentsOf: URL(fileURLWithPath: composePath)))) ?? [] }

    var directoryListing: [String] { ((try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []).sorted() }

    /// Stand-in for the lead's file adapter: write beside, then rename (never half-written).
    func write(_ bytes: [UInt8]) throws {
        let temporary = composePath + ".new"
        try Data(bytes).write(to: URL(fileURLWithPath: temporary))
        guard rename(temporary, composePath) == 0 else { throw CocoaError(.fileWriteUnknown) }
    }

    /// Container id per service (running or not).
    func containerIDs() throws -> [String: String] {
        Dictionary(try runtime.state().containers.map { ($0.service, $0.id) }, uniquingKeysWith: { a, _ in a })
    }

    /// The whole apply as the reconciler does it: plan (pure), prepare (validate + engine), write, up.
    @discardableResult
    func apply(exposed: [String], ledger: ComposeLedger) throws -> (edit: ComposeEdit, plan: ComposeRuntimePlan) {
        let edit = try ComposePlanner.plan(bytesOnDisk, file: composePath, exposed: exposed, proxyService: "caddy", ledger: ledger)
        let plan = try runtime.prepare(edit, exposed: exposed)
        if let bytes = edit.newBytes { try write(bytes) }
        try runtime.up(services: plan.bringUp)
        return (edit, plan)
    }

    func tearDown() {
        _ = try? runtime.compose(["down", "-t", "1"], file: composePath, purpose: .query, context: "test teardown")
        try? FileManager.default.removeItem(at: directory)
    }
}

/// GET / on 127.0.0.1:port over HTTP/1.0; retries until `within` passes (Caddy takes a moment to start).
func httpGet(port: Int, within: Duration = .seconds(10)) -> String? {
    let deadline = ContinuousClock.now + within
    while ContinuousClock.now < deadline {
        if let reply = httpGetOnce(port: port), reply.hasPrefix("HTTP/1.") { return reply }
        usleep(200_000)
    }
    return nil
}

private func httpGetOnce(port: Int) -> String? {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    defer { close(fd) }
    var timeout = timeval(tv_sec: 2, tv_usec: 0)
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    address.sin_port = UInt16(port).bigEndian
    let connected = withUnsafePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0 }
    }
    guard connected else { return nil }
    let request = Array("GET / HTTP/1.0\r\nHost: localhost\r\n\r\n".utf8)
    guard send(fd, request, request.count, 0) == request.count else { return nil }
    var reply: [UInt8] = []
    var buffer = [UInt8](repeating: 0, count: 4096)
    while true {
        let count = recv(fd, &buffer, buffer.count, 0)
        if count <= 0 { break }
        reply += buffer[0..<count]
    }
    return String(decoding: reply, as: UTF8.self)
}

/// PyYAML's reading of each service's depends_on (merge keys applied), and `docker-compose config -q`.
func externalDependsOn(_ path: String, engine: DockerTestEngine) throws -> [String: [String]] {
    let config = DockerTestEngine.shell(["docker-compose", "-f", path, "config", "-q"], dockerHost: engine.dockerHost)
    XCTAssertEqual(config.status, 0, "docker-compose config -q: \(config.output)")
    let python = FileManager.default.isExecutableFile(atPath: "/usr/bin/python3") ? "/usr/bin/python3" : "python3"
    let script = """
    import json, sys, yaml
    data = yaml.safe_load(open(sys.argv[1]))
    print(json.dumps({n: list((s or {}).get("depends_on") or []) for n, s in data["services"].items()}))
    """
    let parsed = DockerTestEngine.shell([python, "-c", script, path], dockerHost: nil)
    XCTAssertEqual(parsed.status, 0, parsed.output)
    return try JSONDecoder().decode([String: [String]].self, from: Data(parsed.output.utf8))
}
