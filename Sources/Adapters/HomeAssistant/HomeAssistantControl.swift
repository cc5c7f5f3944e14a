import FoundationEssentials

/// How reconcile stops, starts and restarts Home Assistant, and knows it is back. Home Assistant
/// reads its http: settings only at start, so a trust change takes effect only through this.
/// The commands are settings (argv, no shell): on the gateway Compose, in tests a script, elsewhere
/// systemctl. Each must return only once the old process is gone or the new one runs, so that a
/// readiness probe cannot be answered by the instance being replaced.
public struct HomeAssistantControl: Sendable, Hashable {
    public var stopCommand: [String]
    public var startCommand: [String]
    public var restartCommand: [String]
    /// Bound for each command (Compose waits for the container's stop timeout, then kills it).
    public var commandTimeout: Duration
    public var readiness: HomeAssistantReadiness
    /// The commands' environment; nil inherits reconcile's.
    public var environment: [String: String]?

    public init(stop: [String], start: [String], restart: [String], commandTimeout: Duration = .seconds(120),
                readiness: HomeAssistantReadiness = HomeAssistantReadiness(), environment: [String: String]? = nil) {
        self.stopCommand = stop
        self.startCommand = start
        self.restartCommand = restart
        self.commandTimeout = commandTimeout
        self.readiness = readiness
        self.environment = environment
    }

    /// The gateway's default: Home Assistant is a service of the compose file.
    public static func compose(file: String, service: String = "homeassistant", compose: [String] = ["docker-compose"],
                               readiness: HomeAssistantReadiness = HomeAssistantReadiness()) -> HomeAssistantControl {
        let base = compose + ["-f", file]
        return HomeAssistantControl(stop: base + ["stop", service], start: base + ["start", service],
                                    restart: base + ["restart", service], readiness: readiness)
    }

    /// Stops Home Assistant (before writing `.storage/http`, which it rewrites from memory).
    public func stop() throws(HomeAssistantControlError) {
        try run(stopCommand, context: "stopping Home Assistant")
    }

    /// Starts Home Assistant and waits until it answers.
    @discardableResult
    public func start() throws(HomeAssistantControlError) -> HomeAssistantReadiness.Answer {
        try run(startCommand, context: "starting Home Assistant")
        return try readiness.wait(after: startCommand, context: "waiting for Home Assistant after starting it")
    }

    /// Restarts Home Assistant (to load changed http: settings) and waits until it answers.
    @discardableResult
    public func restart() throws(HomeAssistantControlError) -> HomeAssistantReadiness.Answer {
        try run(restartCommand, context: "restarting Home Assistant")
        return try readiness.wait(after: restartCommand, context: "waiting for Home Assistant after restarting it")
    }

    /// Waits until Home Assistant answers, running nothing.
    @discardableResult
    public func waitUntilReady() throws(HomeAssistantControlError) -> HomeAssistantReadiness.Answer {
        try readiness.wait(context: "waiting for Home Assistant")
    }

    /// Keeps the end of each stream: enough for a traceback, bounded for a chatty command.
    static let keptOutput = 64 << 10

    private func run(_ command: [String], context: String) throws(HomeAssistantControlError) {
        let output: SubprocessOutput
        do {
            output = try Subprocess.run(command, environment: environment ?? ProcessInfo.processInfo.environment,
                                        timeout: commandTimeout, kept: Self.keptOutput)
        } catch {
            throw HomeAssistantControlError(error, context: context)
        }
        if let signal = output.signal {
            throw HomeAssistantControlError(kind: .commandFailed, command: command, stderr: output.stderr + "\n(ended by signal \(signal))",
                                            context: context)
        }
        guard output.status == 0 else {
            throw HomeAssistantControlError(kind: .commandFailed, command: command, exitStatus: output.status,
                                            stderr: output.stderr, context: context)
        }
    }
}
