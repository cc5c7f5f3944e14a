import Adapters
import Compose
import Diagnostics
import FoundationEssentials

/// The engine's side of the one observation: which Compose, the project's containers and config hashes,
/// or why they could not be read. Read once, before the plan; the apply uses the same `engine`.
public struct EngineObservation: Sendable {
    /// The Compose that read the state, and that an apply brings services up with.
    public var engine: (any ComposeEngine)?
    public var state: ComposeRuntimeState?
    /// Why the engine was not read (engine down, no Compose). A plan says so; an apply refuses to start.
    public var problem: String?

    public init(engine: (any ComposeEngine)?, state: ComposeRuntimeState?, problem: String?) {
        self.engine = engine
        self.state = state
        self.problem = problem
    }
}

/// Reads the engine for an observation. `LiveEngineObserver` asks the real engine; tests hand in a double.
public protocol EngineObserving: Sendable {
    func observe(_ settings: ComposeSettings, composeFile: String) -> EngineObservation
}

public struct LiveEngineObserver: EngineObserving {
    public init() {}

    public func observe(_ settings: ComposeSettings, composeFile: String) -> EngineObservation {
        // A compose file our own parser refuses goes to no Compose client (v2 spins for minutes on some hostile
        // files, out of reach of our timeout): the plan reports it with its position.
        if let bytes = try? LiveFileReader.read(composeFile) {
            do {
                try ComposeBindMounts.check(composeBytes: bytes, composeFile: composeFile)
            } catch {
                return EngineObservation(engine: nil, state: nil, problem: "the compose file was not given to Compose (\(error.message))")
            }
        }
        let environment = ProcessInfo.processInfo.environment.merging(settings.settings.environment) { $1 }
        // One socket connect tells a stopped engine apart without starting Compose (a Python process for v1).
        if let engine = DockerEngine.fromEnvironment(environment) {
            do {
                _ = try engine.containers(project: settings.settings.projectName ?? DockerEngine.projectName(forComposeFile: composeFile))
            } catch {
                return EngineObservation(engine: nil, state: nil, problem: error.description)
            }
        }
        do {
            let runtime = try ComposeRuntime.detect(file: composeFile, choice: settings.choice, settings: settings.settings)
            return EngineObservation(engine: runtime, state: try runtime.state(), problem: nil)
        } catch {
            return EngineObservation(engine: nil, state: nil, problem: error.description)
        }
    }
}
