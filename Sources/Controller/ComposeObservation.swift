import Adapters
import Compose
import Foundation

/// Reading the compose project's live state, for plans (drift) and applies (what to bring up).
enum ComposeObservation {
    /// The runtime and its state. For a plan an unreachable engine is a warning, not a failure:
    /// `problem` says why the plan covers the files only.
    static func observe(_ settings: ComposeSettings, composeFile: String) -> (runtime: ComposeRuntime?, state: ComposeRuntimeState?, problem: String?) {
        // A compose file our own parser refuses goes to no Compose client: the plan reports it with its position.
        if let bytes = try? LiveFileReader.read(composeFile) {
            do {
                try ComposeBindMounts.check(composeBytes: bytes, composeFile: composeFile)
            } catch {
                return (nil, nil, "the compose file was not given to Compose (\(error.message))")
            }
        }
        let environment = ProcessInfo.processInfo.environment.merging(settings.settings.environment) { $1 }
        // One socket connect tells a stopped engine apart without starting Compose (a Python process for v1).
        if let engine = DockerEngine.fromEnvironment(environment) {
            do {
                _ = try engine.containers(project: settings.settings.projectName ?? DockerEngine.projectName(forComposeFile: composeFile))
            } catch {
                return (nil, nil, error.description)
            }
        }
        do {
            let runtime = try ComposeRuntime.detect(file: composeFile, choice: settings.choice, settings: settings.settings)
            return (runtime, try runtime.state(), nil)
        } catch {
            return (nil, nil, error.description)
        }
    }
}
