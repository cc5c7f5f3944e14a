import Compose
import Diagnostics
import EssentialsExtras
import FoundationEssentials

/// Finds the container whose Caddy serves the live Caddyfile: the compose service that bind-mounts that
/// file (or its folder), then that service's running container, by the labels Compose (v1 and v2) puts
/// on it. Nothing is asked of the user: the OS's own compose file is enough.
public struct CaddyContainerLocator: Sendable {
    public var caddyfile: String
    public var composeFile: String
    /// `-p NAME` given to Compose; nil: the file's `name:`, else the folder's name, as Compose derives it.
    public var projectName: String?
    /// The environment for the Docker CLI (e.g. `DOCKER_HOST`).
    public var environment: [String: String]
    public var timeout: Duration
    /// Where the Caddy container's version is remembered (the state dir); nil asks it every time.
    public var facts: EngineFacts
    /// Each `docker ps` looking for Caddy's container.
    public static let defaultTimeout: Duration = .seconds(30)

    public init(caddyfile: String, composeFile: String, projectName: String? = nil,
                environment: [String: String] = ProcessInfo.processInfo.environment, timeout: Duration = CaddyContainerLocator.defaultTimeout,
                facts: EngineFacts = EngineFacts(directory: nil)) {
        self.facts = facts
        self.caddyfile = caddyfile
        self.composeFile = composeFile
        self.projectName = projectName
        self.environment = environment
        self.timeout = timeout
    }

    public func locate() throws(CaddyError) -> CaddyContainerCLI {
        let read: [UInt8]?
        do {
            read = try LiveFileReader.read(composeFile)
        } catch {
            throw .unreachable("the compose file could not be read to find Caddy's container: \(error.description)")
        }
        guard let bytes = read else {
            throw .unreachable("no compose file at \(composeFile) to find Caddy's container in; \(Self.advice)")
        }
        let matches: [ComposeMountMatch]
        do {
            matches = try ComposeBindMounts.services(mounting: caddyfile, composeBytes: bytes, composeFile: composeFile,
                                                     home: environment["HOME"])
        } catch {
            throw .unreachable("the compose file could not be read to find Caddy's container: \(error.description)")
        }
        guard !matches.isEmpty else {
            throw .unreachable("no service of \(composeFile) bind-mounts the Caddyfile \(caddyfile), so Caddy's container is unknown; \(Self.advice)")
        }
        guard let docker = Subprocess.resolve("docker", environment: environment) else {
            throw .unreachable("the Docker CLI (`docker`) is not on the PATH (\(environment["PATH"] ?? "")): it runs Caddy's CLI in its container")
        }
        let project = DockerEngine.projectName(given: projectName, environment: environment, composeBytes: bytes, composeFile: composeFile)
        var stopped: [String] = []
        for match in matches {
            if let found = try running(match, project: project, docker: docker) {
                return CaddyContainerCLI(container: found.id, name: found.name, service: match.service, configPath: match.containerPath,
                                         liveCaddyfile: caddyfile, docker: docker, environment: environment, facts: facts)
            }
            stopped.append(match.service)
        }
        let services = stopped.joined(separator: ", ")
        throw .unreachable("the compose service that mounts the Caddyfile (\(services), project \(project)) has no running container; "
            + "start it: docker compose -f \(composeFile) up -d \(stopped[0])")
    }

    /// The service's running container (id, name), found by its compose labels or its `container_name`.
    private func running(_ match: ComposeMountMatch, project: String, docker: String) throws(CaddyError) -> (id: String, name: String)? {
        if let engine = DockerEngine.fromEnvironment(environment) {
            var filters = ["status": ["running"]]
            if let name = match.containerName {
                filters["name"] = ["^/?\(name)$"]
            } else {
                filters["label"] = ["com.docker.compose.project=\(project)", "com.docker.compose.service=\(match.service)"]
            }
            do {
                return try engine.containers(filters: filters).first.map { (id: $0.id, name: $0.name) }
            } catch {
                throw .unreachable("the Docker engine did not list containers while looking for Caddy's container: \(error.message)")
            }
        }
        var command = [docker, "ps", "--no-trunc", "--filter", "status=running", "--format", "{{.ID}} {{.Names}}"]
        if let name = match.containerName {
            command += ["--filter", "name=^/?\(name)$"]
        } else {
            command += ["--filter", "label=com.docker.compose.project=\(project)",
                        "--filter", "label=com.docker.compose.service=\(match.service)"]
        }
        let output: SubprocessOutput
        do {
            output = try Subprocess.run(command, environment: environment, timeout: timeout)
        } catch {
            throw .unreachable("`docker ps` did not finish while looking for Caddy's container: \(error.reason)")
        }
        guard output.status == 0 else {
            throw .unreachable("the Docker engine did not list containers while looking for Caddy's container: "
                + (CaddyCLIMessage.engineProblem(output.stderr) ?? output.stderr.trimmingWhitespaceAndNewlines()))
        }
        guard let line = output.stdout.split(whereSeparator: \.isNewline).first else { return nil }
        let words = line.split(separator: " ", maxSplits: 1).map(String.init)
        return (words[0], words.count > 1 ? words[1] : words[0])
    }

    static let advice = "say how to reach Caddy instead: --caddy admin-api --caddy-admin HOST:PORT (an admin API the host can reach), or --caddy none (reload it yourself)"
}
