import Compose
import EssentialsExtras
import FoundationEssentials

/// Which Compose to run: found automatically, or the one the user configured.
public enum ComposeClientChoice: Sendable, Hashable {
    /// v2 or v1, whichever is installed. With both, the one that created the project's containers (their
    /// `com.docker.compose.version` label), since v1 and v2 hash definitions differently and the other one
    /// would see every container as stale and recreate it. With no containers yet, v2. With only the other one
    /// installed, an apply refuses (`ComposeRuntimeState.foreignCreator`).
    case automatic
    /// `docker-compose` (v1), optionally at a given path.
    case v1(path: String? = nil)
    /// `docker compose` (v2), through the given `docker` binary or the one on PATH.
    case v2(dockerPath: String? = nil)
}

public enum ComposeClientKind: String, Codable, Sendable, Hashable {
    case v1, v2
}

/// A resolved Compose client: how to spell its commands.
public struct ComposeClient: Sendable, Hashable {
    public let kind: ComposeClientKind
    /// Absolute path of `docker-compose` (v1) or `docker` (v2).
    public let executable: String
    /// What `version --short` printed.
    public let version: String
    /// Named by the user (`.v1`, `.v2`) rather than found by `.automatic`.
    public var chosen = false

    /// How to run this client: `[docker-compose]` or `[docker, compose]`.
    public var commandPrefix: [String] { kind == .v2 ? [executable, "compose"] : [executable] }

    /// `[executable] (+ "compose") -f FILE (-p PROJECT) arguments…`
    func command(file: String, project: String?, _ arguments: [String]) -> [String] {
        var argv = [executable]
        if kind == .v2 { argv.append("compose") }
        argv += ["-f", file]
        if let project { argv += ["-p", project] }
        return argv + arguments
    }

    /// The v1 and v2 spellings of asking for the version, for detection.
    static func versionCommand(kind: ComposeClientKind, executable: String) -> [String] {
        kind == .v2 ? [executable, "compose", "version", "--short"] : [executable, "version", "--short"]
    }
}

/// Finds the client: each candidate must answer `version --short` within the query timeout. The answer is
/// remembered (`EngineFacts`) under the identity of the binaries that gave it, so a run on an unchanged
/// machine starts no process for it.
struct ComposeClientDetector {
    let environment: [String: String]
    let timeout: Duration
    var facts = EngineFacts(directory: nil)

    /// `creator`: the major that created the project's containers (their `com.docker.compose.version`), if any.
    /// Only the client `automatic` prefers is asked; the other one only when the preferred one is missing.
    func detect(_ choice: ComposeClientChoice, creator: @autoclosure () -> ComposeClientKind?) throws(ComposeRuntimeError) -> ComposeClient {
        switch choice {
        case .v1(let path):
            var client = try probe(.v1, name: path ?? "docker-compose")
            client.chosen = true
            return client
        case .v2(let path):
            var client = try probe(.v2, name: path ?? "docker")
            client.chosen = true
            return client
        case .automatic:
            // With both installed, the one that created the containers; with none yet, v2.
            let preferred = creator() ?? .v2
            let other: ComposeClientKind = preferred == .v2 ? .v1 : .v2
            let first = Result { () throws(ComposeRuntimeError) in try probe(preferred, name: Self.defaultName(preferred)) }
            if case .success(let client) = first { return client }
            let second = Result { () throws(ComposeRuntimeError) in try probe(other, name: Self.defaultName(other)) }
            switch (first, second) {
            case (_, .success(let client)):
                return client
            case (.failure(let error1), .failure(let error2)):
                let (v2, v1) = preferred == .v2 ? (error1, error2) : (error2, error1)
                throw ComposeRuntimeError(kind: .binaryMissing, command: v1.command, exitStatus: v1.exitStatus,
                                          stderr: "neither Compose v2 nor v1 answered:\n\(v2.description)\n\(v1.description)",
                                          context: "looking for `docker compose` (v2) and `docker-compose` (v1)")
            case (.success(let client), _):
                return client
            }
        }
    }

    static func defaultName(_ kind: ComposeClientKind) -> String { kind == .v2 ? "docker" : "docker-compose" }

    private func probe(_ kind: ComposeClientKind, name: String) throws(ComposeRuntimeError) -> ComposeClient {
        let spelled = ComposeClient.versionCommand(kind: kind, executable: name)
        guard let executable = Subprocess.resolve(name, environment: environment) else {
            throw ComposeRuntimeError(kind: .binaryMissing, command: spelled, exitStatus: nil,
                                      stderr: "\(name) not found on PATH (\(environment["PATH"] ?? ""))")
        }
        let key = EngineFacts.key([kind.rawValue] + binaries(kind, executable: executable).map(EngineFacts.identity))
        if let known = facts.lookup(\.composeVersions, key)?["version"] {
            return ComposeClient(kind: kind, executable: executable, version: known)
        }
        let command = ComposeClient.versionCommand(kind: kind, executable: executable)
        let output: SubprocessOutput
        do {
            output = try Subprocess.run(command, environment: environment, timeout: timeout)
        } catch {
            throw ComposeRuntimeError(error)
        }
        guard output.status == 0 else {
            // `docker` without the compose plugin says "unknown command" or "is not a docker command".
            throw ComposeRuntimeError(kind: .binaryMissing, command: command, exitStatus: output.status, stderr: output.stderr)
        }
        let version = output.stdout.trimmingWhitespaceAndNewlines()
        // Some systems install Compose v2 as `docker-compose` too (Debian's docker-compose 2.x package, the standalone
        // binary): it is not v1, and counting it as v1 would misname the client the plan and the refusal speak of.
        guard version.hasPrefix("1.") == (kind == .v1) else {
            throw ComposeRuntimeError(kind: .binaryMissing, command: command, exitStatus: output.status,
                                      stderr: "\(executable) is Compose \(version), not \(kind.rawValue)")
        }
        facts.remember(\.composeVersions, key, ["version": version])
        return ComposeClient(kind: kind, executable: executable, version: version)
    }

    /// The files whose replacement can change what `version` prints: v1's script (and the Python it names
    /// is a package dependency, updated with it), or the Docker CLI and every place it looks for the compose
    /// plugin and its config (which may name more plugin folders).
    private func binaries(_ kind: ComposeClientKind, executable: String) -> [String] {
        guard kind == .v2 else { return [executable] }
        let config = environment["DOCKER_CONFIG"].flatMap { $0.isEmpty ? nil : $0 } ?? ((environment["HOME"] ?? "") + "/.docker")
        let folders = [config + "/cli-plugins", "/usr/local/lib/docker/cli-plugins", "/usr/local/libexec/docker/cli-plugins",
                       "/usr/lib/docker/cli-plugins", "/usr/libexec/docker/cli-plugins"]
        return [executable, config + "/config.json"] + folders.map { $0 + "/docker-compose" }
    }
}
