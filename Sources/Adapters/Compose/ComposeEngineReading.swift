import Compose
import FoundationEssentials
#if canImport(Glibc)
import Glibc
#endif

/// Reads a compose project for the observation with as few processes as stay correct: the containers
/// (and which Compose made them) from the engine's socket, one request each; Compose's config hashes,
/// which only Compose can compute, from `EngineFacts` when nothing Compose reads for them changed.
/// With an engine that is not a Unix socket (`DOCKER_HOST=tcp://…`), the CLI way: `ps`, `docker inspect`.
struct ComposeEngineReading {
    let runtime: ComposeRuntime

    /// Words that make Compose read other files than the compose file and its folder's `.env`: with them,
    /// the hashes are always asked of Compose (their content is not part of the key).
    static let otherFiles = ["env_file", "extends", "include", "label_file"]

    func containers() throws(ComposeRuntimeError) -> [ComposeContainer] {
        guard let engine = DockerEngine.fromEnvironment(runtime.environment) else {
            let ids = try runtime.compose(["ps", "-a", "-q"], file: runtime.file, purpose: .query, context: "listing the project's containers")
                .stdout.split(whereSeparator: \.isNewline).map(String.init)
            return try ComposeContainerInspection(runtime: runtime).inspect(ids)
        }
        let project = Self.projectName(file: runtime.file, settings: runtime.settings, environment: runtime.environment)
        do {
            return try engine.containers(project: project)
        } catch {
            throw ComposeRuntimeError(kind: .engineDown, command: [], exitStatus: nil, stderr: error.message,
                                      context: "listing the containers of compose project \(project)")
        }
    }

    /// Compose's hashes of the file on disk: remembered under a key made of everything Compose reads to compute
    /// them (the client, the file's bytes, the other files in its folder, the environment, and every image's id,
    /// which v1 hashes in). A container made from another definition still differs from them, so a stale
    /// container is seen whether or not Compose was asked this time.
    func definitionHashes() throws(ComposeRuntimeError) -> [String: String] {
        let facts = EngineFacts(directory: runtime.settings.factsDirectory)
        guard let key = hashesKey() else { return try runtime.definitionHashes() }
        if let known = facts.lookup(\.configHashes, key) { return known }
        let hashes = try runtime.definitionHashes()
        facts.remember(\.configHashes, key, hashes)
        return hashes
    }

    func hashesKey() -> String? {
        guard runtime.settings.factsDirectory != nil, let engine = DockerEngine.fromEnvironment(runtime.environment),
              let bytes = try? LiveFileReader.read(runtime.file),
              !Self.otherFiles.contains(where: { String(decoding: bytes, as: UTF8.self).contains($0) }),
              let images = try? engine.imageIdentities() else { return nil }
        let folder = URL(fileURLWithPath: runtime.file).deletingLastPathComponent().path
        let files = ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []).sorted()
            .map { folder + "/" + $0 }
            .filter { path in
                var info = stat()
                return path != runtime.file && stat(path, &info) == 0 && (info.st_mode & S_IFMT) != S_IFDIR
            }
        let environment = runtime.environment.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }
        var parts: [String] = ["config-hash", runtime.client.kind.rawValue, runtime.client.executable, runtime.client.version,
                               runtime.file, runtime.settings.projectName ?? "", EngineFacts.digest(bytes)]
        parts += files.map(EngineFacts.identity)
        parts += ["environment"] + environment
        parts += ["images"] + images
        return EngineFacts.key(parts)
    }

    /// The Compose major that created the project's containers, if any: `automatic` runs that one.
    static func creator(file: String, settings: ComposeRuntime.Settings, environment: [String: String]) -> ComposeClientKind? {
        let project = projectName(file: file, settings: settings, environment: environment)
        let labels: [String]
        if let engine = DockerEngine.fromEnvironment(environment) {
            guard let containers = try? engine.containers(project: project) else { return nil }
            labels = containers.compactMap(\.composeVersion)
        } else {
            guard let docker = Subprocess.resolve("docker", environment: environment),
                  let output = try? Subprocess.run([docker, "ps", "-a", "--filter", "label=com.docker.compose.project=\(project)",
                                                    "--format", "{{.Label \"com.docker.compose.version\"}}"],
                                                   environment: environment, timeout: settings.queryTimeout),
                  output.status == 0 else { return nil }
            labels = output.stdout.split(whereSeparator: \.isNewline).map(String.init)
        }
        let containers = labels.map { ComposeContainer(id: "", name: "", service: "", running: false, status: "", configHash: nil, composeVersion: $0) }
        return ComposeRuntimeState(containers: containers, definitionHashes: [:]).creators.first.map { $0.major == 1 ? .v1 : .v2 }
    }

    static func projectName(file: String, settings: ComposeRuntime.Settings, environment: [String: String]) -> String {
        DockerEngine.projectName(given: settings.projectName, environment: environment,
                                 composeBytes: try? LiveFileReader.read(file), composeFile: file)
    }
}
