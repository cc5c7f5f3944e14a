import Compose

/// The runtime half of a compose plan: what the engine has now, and exactly what an apply will bring up.
public struct ComposeRuntimePlan: Sendable {
    /// The engine before the apply.
    public let state: ComposeRuntimeState
    /// Config hashes of the file as it will be (the edited bytes, or the file on disk when unchanged).
    public let hashesAfter: [String: String]
    /// The services for `up(services:)`, proxy first; empty when the project is converged.
    public let bringUp: [String]
    /// Those of `bringUp` whose running container `up` replaces (a restart of that service).
    public let recreates: [String]
    /// Human lines about the engine differing from the file on disk ("caddy is not running", …).
    public let drift: [String]
}

extension ComposeRuntime {
    /// Everything an apply needs to know from the engine, before anything is written: the edited file is
    /// validated (`config -q` on a copy beside the real file), the containers are read, and the hashes
    /// Compose computes for the edited file say which running containers `up` would recreate.
    /// Fails, touching nothing, when Compose rejects the file, the engine is down or a binary is missing.
    public func prepare(_ edit: ComposeEdit, exposed: [String], proxyService: String = ComposePlanner.defaultProxyService) throws(ComposeRuntimeError) -> ComposeRuntimePlan {
        if let bytes = edit.newBytes { try validate(fileBytes: bytes) }
        let state = try state()
        let hashesAfter = try edit.newBytes.map { (bytes) throws(ComposeRuntimeError) in try definitionHashes(fileBytes: bytes) }
            ?? state.definitionHashes
        let bringUp = state.servicesToBringUp(for: edit, exposed: exposed, proxyService: proxyService, hashesAfter: hashesAfter)
        let recreates = bringUp.filter { state.isRunning($0) && state.isStale($0, hashes: hashesAfter) }
        return ComposeRuntimePlan(state: state, hashesAfter: hashesAfter, bringUp: bringUp, recreates: recreates,
                                  drift: state.drift(for: exposed, proxyService: proxyService))
    }
}
