import Foundation
import GatewayHarness
import TestSupportCore

/// A gateway tree brought up as a compose project on the test engine (by default `mapio`, the compose
/// file's folder, as on the gateway), with host-network upstream stand-ins (busybox httpd, each serving
/// "<name> upstream"). The layer under the end-to-end gateways (`Gateway`, `StockGateway`) and the compose
/// runtime's `GatewayTestProject`: each writes its own compose file and Caddyfile into `tree`.
public final class ComposeGateway {
    public static let projectName = "mapio"
    public let projectName: String

    public let engine: DockerTestEngine
    /// The tree at the folder itself, under /tmp: a short path the engine bind-mounts.
    public let tree: GatewayTree
    /// Upstream stand-ins: service name -> port on the host.
    public let upstreams: [String: Int]
    public var dockerEnvironment: [String: String] { ["DOCKER_HOST": engine.dockerHost] }

    public struct Failure: Error, CustomStringConvertible {
        public var description: String
        public init(_ description: String) { self.description = description }
    }

    public init(prefix: String, projectName: String = ComposeGateway.projectName, upstreams names: [String]) throws {
        self.projectName = projectName
        engine = try DockerTestEngine.require()
        tree = try GatewayTree(prefix: prefix, placement: .atFolder)
        var upstreams: [String: Int] = [:]
        for name in names {
            upstreams[name] = try freeLoopbackPort()
            try tree.write("\(name) upstream\n", to: tree.composeDir.appendingPathComponent("www-\(name)/index.html"))
        }
        self.upstreams = upstreams
    }

    /// One stand-in's compose service; `stop` is how it stops at once (busybox as PID 1 ignores SIGTERM).
    /// With `ownPage` it serves "<name> upstream", else the image's own page ("upstream ok").
    public func upstreamService(_ name: String, stop: String = "stop_signal: SIGKILL", ownPage: Bool = true) -> String {
        let page = ownPage ? "    volumes:\n      - \(tree.composeDir.path)/www-\(name):/www:ro\n" : ""
        return "  \(name):\n    \(stop)\n    image: \(engine.upstreamImage)\n    network_mode: host\n"
            + "    command: [\"busybox\", \"httpd\", \"-f\", \"-p\", \"\(upstreams[name]!)\", \"-h\", \"/www\"]\n" + page
    }

    /// The start of a compose file whose stand-ins merge `*fast-stop`.
    public static let fastStopHeader = """
        version: "3.7"

        # busybox as PID 1 ignores SIGTERM: stop it at once instead of after 10 s
        x-fast-stop: &fast-stop
          stop_signal: SIGKILL


        """

    /// Debian's caddy (the test image) as the gateway runs Caddy: on the `caddy` bridge network, reaching
    /// the host as `host.docker.internal`, its Caddyfile bind-mounted as a single file.
    public func caddyService(ports: [String], caddyfileMount: String) -> String {
        let published = ports.map { "      - \"\($0)\"\n" }.joined()
        return """
          caddy:
            image: \(engine.caddyImage)
            command: ["caddy", "run", "--config", "/etc/caddy/Caddyfile", "--adapter", "caddyfile"]
            ports:
        \(published)    volumes:
              - \(caddyfileMount)
            networks:
              - caddy
            extra_hosts:
              - host.docker.internal:host-gateway

        """
    }

    /// The Compose client's command line for this project's file.
    public func compose(_ client: [String], _ arguments: [String]) throws -> RunResult {
        try run(client + ["-f", tree.composeFile.path] + arguments, environment: dockerEnvironment)
    }

    /// Brings the project up with `client`, after clearing what a killed run left under the same name
    /// (with `clearing`, every client that may have made it); waits for the stand-ins.
    public func up(_ client: [String], clearing: [[String]]) throws {
        for other in clearing { _ = try? compose(other, ["down", "-t", "1"]) }
        let up = try compose(client, ["up", "-d"])
        guard up.status == 0 else { throw Failure("\(client.joined(separator: " ")) up: \(up.output)") }
    }

    public func waitForUpstreams() throws {
        for (name, port) in upstreams {
            guard eventually(within: .seconds(30), { curl("http://127.0.0.1:\(port)/").status == 200 }) else {
                throw Failure("the \(name) stand-in did not answer on \(port)")
            }
        }
    }

    /// Container id per compose service of this project (running or not).
    public func containerIDs() throws -> [String: String] {
        let listed = try run(["docker", "ps", "-a", "--no-trunc", "--filter", "label=com.docker.compose.project=\(projectName)",
                              "--format", "{{.Label \"com.docker.compose.service\"}} {{.ID}}"], environment: dockerEnvironment)
        guard listed.status == 0 else { throw Failure("docker ps: \(listed.output)") }
        var ids: [String: String] = [:]
        for line in listed.stdout.split(separator: "\n") {
            let parts = line.split(separator: " ")
            if parts.count == 2 { ids[String(parts[0])] = String(parts[1]) }
        }
        return ids
    }

    /// The end of a service's log (all of it without `tail`).
    public func logs(_ service: String, tail: Int? = nil) -> String {
        let id = (try? containerIDs())?[service] ?? "none"
        return (try? run(["docker", "logs"] + (tail.map { ["--tail", String($0)] } ?? []) + [id], environment: dockerEnvironment))?.output ?? ""
    }

    /// The containers' state and the end of caddy's log, for a failure message.
    public func caddyDiagnostics() -> String {
        let state = (try? run(["docker", "ps", "-a", "--filter", "label=com.docker.compose.project=\(projectName)"],
                              environment: dockerEnvironment))?.output ?? ""
        return "containers:\n\(state)\ncaddy's log:\n\(logs("caddy", tail: 25))"
    }

    /// Each service's depends_on as PyYAML reads the compose file.
    public func dependsOn() throws -> [String: [String]] { try dependsOnAsPyYAMLReads(tree.composeFile.path) }
}

/// Each service's depends_on as PyYAML reads a compose file (merge keys applied): a reader not ours.
public func dependsOnAsPyYAMLReads(_ path: String) throws -> [String: [String]] {
    let script = """
    import json, sys, yaml
    data = yaml.safe_load(open(sys.argv[1]))
    print(json.dumps({n: list((s or {}).get("depends_on") or []) for n, s in data["services"].items()}))
    """
    let parsed = try run(["python3", "-c", script, path])
    guard parsed.status == 0 else { throw ComposeGateway.Failure("PyYAML: \(parsed.output)") }
    return try JSONDecoder().decode([String: [String]].self, from: Data(parsed.stdout.utf8))
}
