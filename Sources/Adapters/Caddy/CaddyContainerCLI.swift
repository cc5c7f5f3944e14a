import EssentialsExtras
import FoundationEssentials

/// Caddy's own CLI run inside the Caddy container through the engine (`docker exec -i`): validation
/// (`caddy adapt --validate`) by the very Caddy that serves, and loading (`caddy reload`), which asks
/// that Caddy's admin API from inside its own network namespace, where it listens by default.
/// The config goes on stdin, never as a path: after an atomic rename on the host, a single-file bind
/// mount still shows the container the old inode until the container is restarted or recreated.
public struct CaddyContainerCLI: Sendable {
    /// The container's id (what `docker exec` is given).
    public let container: String
    /// Its name, for messages (`mapio-caddy-1`).
    public let name: String
    /// The compose service it belongs to.
    public let service: String
    /// Where the live Caddyfile is inside the container: relative `import`s resolve from its folder.
    public let configPath: String
    /// The live Caddyfile on the host: Caddy's positions in stdin are shown as positions in it.
    public let liveCaddyfile: String
    let docker: String
    let environment: [String: String]
    public var timeout: Duration
    /// Remembers `caddy version` per container id: a container's Caddy changes only with a new container.
    public var facts: EngineFacts
    /// Each `docker exec … caddy` (version, adapt --validate, reload): a reload waits for Caddy's own load.
    public static let defaultTimeout: Duration = .seconds(60)

    public init(container: String, name: String, service: String, configPath: String, liveCaddyfile: String,
                docker: String, environment: [String: String], timeout: Duration = CaddyContainerCLI.defaultTimeout,
                facts: EngineFacts = EngineFacts(directory: nil)) {
        self.facts = facts
        self.container = container
        self.name = name
        self.service = service
        self.configPath = configPath
        self.liveCaddyfile = liveCaddyfile
        self.docker = docker
        self.environment = environment
        self.timeout = timeout
    }

    /// `caddy version` in the container: its first word (`v2.11.7`).
    public func version() throws(CaddyError) -> String {
        if let known = facts.lookup(\.caddyVersions, container)?["version"] { return known }
        let output = try exec(["caddy", "version"], input: nil, doing: "asking its version")
        guard output.status == 0, let word = output.stdout.split(whereSeparator: \.isWhitespace).first else {
            throw .unreachable("`caddy version` in container \(name) failed (status \(output.status)): \(CaddyCLIMessage.text(output.stderr + output.stdout, config: liveCaddyfile))")
        }
        // The official build says `v2.11.7 h1:…`, Debian's package `2.6.2`: always the `v` form.
        let version = word.first?.isNumber == true ? "v" + word : String(word)
        facts.remember(\.caddyVersions, container, ["version": version])
        return version
    }

    /// Adapts and provisions the Caddyfile without running it: what Caddy would refuse at load, short of
    /// listening on its sockets, is refused here before any file is written.
    public func validate(caddyfile: [UInt8]) throws(CaddyError) {
        let output = try withStdinConfig { (config) throws(CaddyError) in
            try exec(["caddy", "adapt", "--config", config, "--adapter", "caddyfile", "--validate"], input: caddyfile,
                     doing: "validating the new Caddyfile")
        }
        guard output.status == 0 else { throw classify(output, doing: "validating the new Caddyfile") }
    }

    /// Loads the Caddyfile into the running Caddy; if it refuses, the old config keeps serving.
    public func reload(caddyfile: [UInt8]) throws(CaddyError) {
        let output = try withStdinConfig { (config) throws(CaddyError) in
            try exec(["caddy", "reload", "--config", config, "--adapter", "caddyfile"], input: caddyfile,
                     doing: "loading the new Caddyfile")
        }
        guard output.status == 0 else { throw classify(output, doing: "loading the new Caddyfile") }
    }

    /// Caddy's log (what the container wrote to stdout and stderr) for the last `seconds`, its last
    /// `lines` lines: where certmagic says it could not get a certificate.
    public func logs(lastSeconds seconds: Int, lines: Int = 5_000) throws(CaddyError) -> String {
        let argv = [docker, "logs", "--since", "\(seconds)s", "--tail", String(lines), container]
        let output: SubprocessOutput
        do {
            output = try Subprocess.run(argv, environment: environment, input: nil, timeout: timeout)
        } catch {
            throw .unreachable("`docker logs \(name)` did not finish: \(error.reason)")
        }
        guard output.status == 0 else {
            throw .unreachable("`docker logs \(name)` failed (status \(output.status)): \(output.stderr.prefix(300))")
        }
        return output.stdout + output.stderr
    }

    /// `--config -` (Caddy 2.7 and later read stdin so, and resolve relative imports from the working
    /// directory, which is the Caddyfile's folder); older Caddy refuses `-`, so then `/dev/stdin`.
    private func withStdinConfig(_ body: (String) throws(CaddyError) -> SubprocessOutput) throws(CaddyError) -> SubprocessOutput {
        let output = try body("-")
        guard output.status != 0, (output.stderr + output.stdout).contains("open -: no such file") else { return output }
        return try body("/dev/stdin")
    }

    private func exec(_ command: [String], input: [UInt8]?, doing: String) throws(CaddyError) -> SubprocessOutput {
        var argv = [docker, "exec"]
        if input != nil { argv.append("-i") }
        argv += ["-w", CaddyCLIMessage.folder(of: configPath), container] + command
        let output: SubprocessOutput
        do {
            output = try Subprocess.run(argv, environment: environment, input: input, timeout: timeout)
        } catch {
            throw .unreachable("`docker exec \(name) \(command.prefix(2).joined(separator: " "))` (\(doing)) did not finish: \(error.reason)")
        }
        if output.status != 0, let problem = CaddyCLIMessage.engineProblem(output.stderr) {
            throw .unreachable("the Caddy container \(name) could not be reached through the engine while \(doing): \(problem)")
        }
        return output
    }

    /// Caddy's words decide: it could not reach its own admin API (the way is closed), or it refused the config.
    private func classify(_ output: SubprocessOutput, doing: String) -> CaddyError {
        let text = output.stderr + output.stdout
        let message = CaddyCLIMessage.text(text, config: liveCaddyfile)
        if CaddyCLIMessage.adminUnreachableMarkers.contains(where: text.contains) {
            return .unreachable("Caddy in container \(name) could not reach its own admin API while \(doing) (\(message)); "
                + "`caddy reload` needs it on inside the container: remove `admin off` from the Caddyfile's global options")
        }
        return .rejected("\(message) (Caddy \(doing.hasPrefix("loading") ? "reload" : "adapt --validate") in container \(name))")
    }
}

/// Reading what Caddy's CLI and the Docker CLI print.
enum CaddyCLIMessage {
    /// `caddy reload` reaches the admin API over loopback inside the container.
    static let adminUnreachableMarkers = ["performing request", "connect: connection refused", "admin endpoint disabled"]

    static let engineMarkers = ["Cannot connect to the Docker daemon", "Error response from daemon", "No such container",
                                "is not running", "error during connect", "OCI runtime exec failed"]

    /// The Docker CLI's own complaint (engine down, container gone or stopped), if that is what failed.
    static func engineProblem(_ stderr: String) -> String? {
        let lines = stderr.split(whereSeparator: \.isNewline).map(String.init)
        guard let line = lines.first(where: { line in engineMarkers.contains(where: line.contains) }) else { return nil }
        return line.trimmingWhitespace()
    }

    /// Caddy's error lines, without its info logs: 2.6 prints `Error: …`, 2.11 a JSON log line with
    /// `"level":"error"`. Positions in stdin (`/dev/stdin:3`, `-:3`) are shown as the live file's.
    static func text(_ output: String, config: String) -> String {
        var messages: [String] = []
        for line in output.split(whereSeparator: \.isNewline) {
            var message: String?
            if line.hasPrefix("{"), let object = JSONValue.parse(line.utf8)?.object {
                if let level = object["level"]?.string, ["error", "fatal", "panic"].contains(level) {
                    message = [object["msg"]?.string, object["error"]?.string].compactMap { $0 }.joined(separator: ": ")
                }
            } else if line.hasPrefix("Error: ") {
                message = String(line.dropFirst("Error: ".count))
            }
            if let message, !message.isEmpty, !messages.contains(message) { messages.append(message) }
        }
        if messages.isEmpty {
            messages = output.split(whereSeparator: \.isNewline).suffix(3).map(String.init)
        }
        // Line feeds as scalars (a "\r\n" is one Character, which `replacing` would not see as "\n").
        let joined = messages.joined(separator: "; ").unicodeScalars.map { $0 == "\n" ? " " : $0 }
        let text = String(String.UnicodeScalarView(joined)).replacing("/dev/stdin:", with: config + ":")
        // `-:2: …` or `…, at -:2`: stdin's name, where a word begins.
        return text.replacing(#/(^|[\s(,;])-:(\d+)/#) { match in "\(match.1)\(config):\(match.2)" }
    }

    static func folder(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/"), slash != path.startIndex else { return "/" }
        return String(path[..<slash])
    }
}
