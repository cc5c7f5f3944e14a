/// What an apply asks of Compose: read an edited file without writing it, and bring up exactly the
/// services the plan names. Reading the engine's state belongs to the observation (`ComposeRuntime.state()`).
/// Implementations: `ComposeRuntime` (v1 `docker-compose` or v2 `docker compose`); tests use `InMemoryComposeDouble`.
public protocol ComposeEngine: Sendable {
    var description: String { get }
    /// `config -q` on the edited bytes; `.fileRejected` is the file's fault.
    func validate(fileBytes: [UInt8]) throws(ComposeRuntimeError)
    /// `up -d --no-deps SERVICES`.
    func up(services: [String]) throws(ComposeRuntimeError)
}

extension ComposeRuntime: ComposeEngine {
    public var description: String { "\(client.command(file: file, project: settings.projectName, []).joined(separator: " "))" }
}
