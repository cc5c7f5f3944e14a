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
    /// Why the engine was not read. A plan says so; an apply refuses to start, for the problem's reason.
    public var problem: EngineProblem?

    public init(engine: (any ComposeEngine)?, state: ComposeRuntimeState?, problem: EngineProblem?) {
        self.engine = engine
        self.state = state
        self.problem = problem
    }
}

/// Why the engine's state could not be read, typed so that plan and apply give it the same reason.
public enum EngineProblem: Error, Sendable, CustomStringConvertible {
    /// The engine's socket did not answer.
    case engineDown(DockerEngineError)
    /// Compose could not be found or run, or refused the project.
    case compose(ComposeRuntimeError)

    public var description: String {
        switch self {
        case .engineDown(let error): return error.description
        case .compose(let error): return error.description
        }
    }

    /// As an apply reports it: an engine that did not answer is retried; Compose refusing the file waits for a fix.
    public var reconcileError: ReconcileError {
        switch self {
        case .engineDown(let error): return .failed(.engineUnreachable, error.description)
        case .compose(let error): return ApplyFailure.compose(error).reconcileError
        }
    }
}

/// Reads the engine for an observation. `LiveEngineObserver` asks the real engine; tests hand in a double.
public protocol EngineObserving: Sendable {
    func observe(_ settings: ComposeSettings, composeFile: String) -> EngineObservation
}

public struct LiveEngineObserver: EngineObserving {
    public init() {}

    public func observe(_ settings: ComposeSettings, composeFile: String) -> EngineObservation {
        let environment = ProcessInfo.processInfo.environment.merging(settings.settings.environment) { $1 }
        // One socket connect tells a stopped engine apart without starting Compose (a Python process for v1).
        if let engine = DockerEngine.fromEnvironment(environment) {
            do {
                _ = try engine.containers(project: settings.settings.projectName ?? DockerEngine.projectName(forComposeFile: composeFile))
            } catch {
                return EngineObservation(engine: nil, state: nil, problem: .engineDown(error))
            }
        }
        do {
            let runtime = try ComposeRuntime.detect(file: composeFile, choice: settings.choice, settings: settings.settings)
            return EngineObservation(engine: runtime, state: try runtime.state(), problem: nil)
        } catch {
            return EngineObservation(engine: nil, state: nil, problem: .compose(error))
        }
    }
}
