import Compose
import FoundationEssentials

/// The engine side of Compose support, through the Compose CLI: validate an edited file before it is
/// written, read the project's containers and config hashes, bring up exactly the services that need it.
/// Every command runs with a timeout from `Settings`; every failure is a `ComposeRuntimeError` that names
/// the command and carries its stderr.
public struct ComposeRuntime: Sendable {
    public struct Settings: Sendable, Hashable {
        /// Limit for every command that only reads or checks (version, config, ps, inspect).
        public var queryTimeout: Duration
        /// Limit for `up`, which may stop and recreate containers (each stop waits up to its grace period).
        public var upTimeout: Duration
        /// `-p NAME`; nil lets Compose derive it from the file's directory, as `docker-compose -f FILE` does.
        public var projectName: String?
        /// Added to (and overriding) this process's environment for every command, e.g. `DOCKER_HOST`.
        public var environment: [String: String]
        /// Where answers are remembered between runs (`EngineFacts`): the state dir; nil asks every time.
        public var factsDirectory: String?

        public init(queryTimeout: Duration = .seconds(60), upTimeout: Duration = .seconds(300),
                    projectName: String? = nil, environment: [String: String] = [:], factsDirectory: String? = nil) {
            self.queryTimeout = queryTimeout
            self.upTimeout = upTimeout
            self.projectName = projectName
            self.environment = environment
            self.factsDirectory = factsDirectory
        }
    }

    public let client: ComposeClient
    /// Absolute path of the compose file.
    public let file: String
    public let settings: Settings
    let environment: [String: String]

    /// Finds the client (see `ComposeClientChoice`) for the compose file at `file`.
    public static func detect(file: String, choice: ComposeClientChoice = .automatic, settings: Settings = Settings()) throws(ComposeRuntimeError) -> ComposeRuntime {
        let path = URL(fileURLWithPath: file).standardizedFileURL.path
        let environment = ProcessInfo.processInfo.environment.merging(settings.environment) { $1 }
        let detector = ComposeClientDetector(environment: environment, timeout: settings.queryTimeout,
                                             facts: EngineFacts(directory: settings.factsDirectory))
        let client = try detector.detect(choice, creator: ComposeEngineReading.creator(file: path, settings: settings, environment: environment))
        return ComposeRuntime(client: client, file: path, settings: settings, environment: environment)
    }

    init(client: ComposeClient, file: String, settings: Settings, environment: [String: String]) {
        self.client = client
        self.file = file
        self.settings = settings
        self.environment = environment
    }

    /// `config -q` on a copy of `fileBytes` beside the real file. Needs no engine; writes nothing that stays.
    public func validate(fileBytes: [UInt8]) throws(ComposeRuntimeError) {
        try ComposeTemporaryCopy.with(fileBytes, beside: file) { (copy) throws(ComposeRuntimeError) in
            _ = try compose(["config", "-q"], file: copy, purpose: .validate,
                            context: "validating the edited \(file) before writing it")
        }
    }

    /// The config hash Compose computes for each service: of `fileBytes` (through a copy beside the real
    /// file) or, when nil, of the file on disk. v1 asks the engine for image ids, so this needs the engine.
    public func definitionHashes(fileBytes: [UInt8]? = nil) throws(ComposeRuntimeError) -> [String: String] {
        guard let fileBytes else { return try hashes(of: file, context: "computing config hashes of \(file)") }
        return try ComposeTemporaryCopy.with(fileBytes, beside: file) { (copy) throws(ComposeRuntimeError) in
            try hashes(of: copy, context: "computing config hashes of the edited \(file)")
        }
    }

    /// The project's containers (one-off `run` containers left out) and the hashes of the file on disk:
    /// the containers from the engine's socket when it is one (else `ps` and `docker inspect`), the hashes
    /// from `EngineFacts` when nothing Compose reads for them changed.
    public func state() throws(ComposeRuntimeError) -> ComposeRuntimeState {
        let reading = ComposeEngineReading(runtime: self)
        let containers = try reading.containers()
        return ComposeRuntimeState(containers: containers, definitionHashes: try reading.definitionHashes(),
                                   client: ComposeClientVersion(major: client.kind == .v1 ? 1 : 2, version: client.version,
                                                                chosen: client.chosen))
    }

    /// `up -d --no-deps SERVICE…`: creates, starts or recreates exactly these services, nothing else.
    /// Does nothing for an empty list (a bare `up -d` would start every service).
    public func up(services: [String]) throws(ComposeRuntimeError) {
        guard !services.isEmpty else { return }
        _ = try compose(["up", "-d", "--no-deps"] + services, file: file, purpose: .up,
                        context: "bringing up \(services.joined(separator: ", "))", timeout: settings.upTimeout)
    }

    // MARK: - Running commands

    func hashes(of path: String, context: String) throws(ComposeRuntimeError) -> [String: String] {
        let output = try compose(["config", "--hash=*"], file: path, purpose: .query, context: context)
        var result: [String: String] = [:]
        for line in output.stdout.split(whereSeparator: \.isNewline) {
            let parts = line.split(separator: " ", omittingEmptySubsequences: true)
            if parts.count == 2 { result[String(parts[0])] = String(parts[1]) }
        }
        return result
    }

    @discardableResult
    func compose(_ arguments: [String], file: String, purpose: ComposeFailureClassifier.Purpose, context: String,
                 timeout: Duration? = nil) throws(ComposeRuntimeError) -> SubprocessOutput {
        let command = client.command(file: file, project: settings.projectName, arguments)
        return try run(command, purpose: purpose, context: context, timeout: timeout, copy: file == self.file ? nil : file)
    }

    /// Runs a command; a failure is classified, and mentions of a temporary copy are shown as the real file.
    func run(_ command: [String], purpose: ComposeFailureClassifier.Purpose, context: String,
             timeout: Duration? = nil, copy: String? = nil) throws(ComposeRuntimeError) -> SubprocessOutput {
        var output: SubprocessOutput
        do {
            output = try Subprocess.run(command, environment: environment, timeout: timeout ?? settings.queryTimeout)
        } catch {
            throw ComposeRuntimeError(error, context: context)
        }
        guard output.status != 0 else { return output }
        if let copy {
            output.stderr = output.stderr.replacing(copy, with: "\(file) (edited copy)")
            output.stdout = output.stdout.replacing(copy, with: "\(file) (edited copy)")
        }
        throw ComposeFailureClassifier.error(output, command: command, purpose: purpose, context: context)
    }
}
