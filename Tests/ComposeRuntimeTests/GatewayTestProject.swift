import Compose
import Foundation
import TestSupport
import XCTest
#if canImport(ComposeRuntime)
@testable import ComposeRuntime
#else
@testable import Adapters
#endif

/// A compose project shaped like the gateway's, on a gateway tree (`ComposeGateway`) under a project name
/// of its own: `caddy` on a user bridge network with `host.docker.internal:host-gateway`, publishing on
/// loopback; host-network services (busybox), one of them an HTTP server Caddy proxies to.
final class GatewayTestProject {
    let project: ComposeGateway
    var directory: URL { project.tree.composeDir }
    var composePath: String { project.tree.composeFile.path }
    let caddyPort: Int
    var upstreamPort: Int { project.upstreams["jellyfin"]! }
    let runtime: ComposeRuntime
    let originalBytes: [UInt8]

    var engine: DockerTestEngine { project.engine }

    /// The user's starting point, torn down when `test` ends: everything up except the proxy.
    convenience init(for test: XCTestCase, client: ComposeClientChoice = .v1()) throws {
        try self.init(client: client)
        test.addTeardownBlock { [self] in tearDown() }
        try runtime.up(services: ["zigbee2mqtt", "homeassistant", "jellyfin"])
    }

    init(client: ComposeClientChoice = .v1()) throws {
        let name = "rcgw" + UUID().uuidString.prefix(8).lowercased()
        project = try ComposeGateway(prefix: name, projectName: name, upstreams: ["jellyfin"])
        caddyPort = try freeLoopbackPort()
        let caddyfile = "{\n\tadmin off\n\tauto_https off\n}\n:8080 {\n\treverse_proxy host.docker.internal:\(project.upstreams["jellyfin"]!)\n}\n"
        try project.tree.write(caddyfile, to: project.tree.caddyfile)
        originalBytes = Array(Self.compose(project, caddyPort: caddyPort).utf8)
        try Data(originalBytes).write(to: project.tree.composeFile)
        runtime = try ComposeRuntime.detect(file: project.tree.composeFile.path, choice: client,
                                            settings: .init(projectName: name, environment: project.dockerEnvironment))
    }

    static func compose(_ project: ComposeGateway, caddyPort: Int) -> String {
        let caddy = project.caddyService(ports: ["127.0.0.1:\(caddyPort):8080"],
                                         caddyfileMount: "\(project.tree.caddyfile.path):/etc/caddy/Caddyfile:ro")
        return ComposeGateway.fastStopHeader + """
            services:
            \(caddy)
              homeassistant:
                <<: *fast-stop
                image: \(project.engine.upstreamImage)
                network_mode: host
                command: ["busybox", "sleep", "3600"]
                depends_on:
                  # the radio bridge first
                  - zigbee2mqtt

              zigbee2mqtt:
                <<: *fast-stop
                image: \(project.engine.upstreamImage)
                network_mode: host
                command: ["busybox", "sleep", "3600"]

            \(project.upstreamService("jellyfin", stop: "<<: *fast-stop", ownPage: false))
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
        project.tree.directory.remove()
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
    return try dependsOnAsPyYAMLReads(path)
}
