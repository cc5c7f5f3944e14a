import Adapters
import Compose
import Planner

/// Turning written files into running config: Caddy loads the new Caddyfile, Compose brings up what
/// the plan named, Home Assistant restarts when its settings changed. Used forward, and again with the
/// old content on rollback.
struct Activation {
    let runtime: RuntimeSettings
    /// The way to Caddy the plan names; the rollback uses the same.
    let caddy: CaddyReach
    let compose: ComposeRuntime?
    /// Stops, starts and restarts Home Assistant; nil when that is left to the user.
    let homeAssistant: HomeAssistantControl?

    /// Caddy validates the new Caddyfile without loading it: a config Caddy rejects is wrong input.
    func validateCaddyfile(_ content: [UInt8]) throws(ReconcileError) {
        guard let connection = try caddyConnection() else { return }
        do {
            try connection.validate(caddyfile: content)
        } catch {
            throw Activation.classify(error)
        }
    }

    /// Nil for `none`; no way found is a failure of the world (Caddy down, engine down), before any write.
    private func caddyConnection() throws(ReconcileError) -> CaddyConnection? {
        if caddy.route.way == CaddyRoute.Way.none { return nil }
        guard let connection = caddy.connection else { throw .world(caddy.route.problem ?? "Caddy could not be reached") }
        return connection
    }

    func validateCompose(_ content: [UInt8]) throws(ReconcileError) {
        guard let compose else { return }
        do {
            try compose.validate(fileBytes: content)
        } catch {
            throw error.kind == .fileRejected ? .invalidInput(.init([.init(file: compose.file, position: nil, message: error.description)]))
                                              : .world(error.description)
        }
    }

    func loadCaddy(_ content: [UInt8]) throws(ReconcileError) -> String? {
        guard let connection = try caddyConnection() else { return nil }
        do {
            try connection.load(caddyfile: content)
        } catch {
            throw Activation.classify(error)
        }
        return "Caddy loaded the Caddyfile through \(connection.description)"
    }

    func bringUp(_ services: [String]) throws(ReconcileError) -> String? {
        guard let compose, !services.isEmpty else { return nil }
        do {
            try compose.up(services: services)
        } catch {
            throw .world(error.description)
        }
        return "up -d --no-deps \(services.joined(separator: " "))"
    }

    func stopHomeAssistant() throws(ReconcileError) -> String? {
        guard let control = homeAssistant else { return nil }
        do {
            try control.stop()
        } catch {
            throw .world(error.description)
        }
        return "stopped Home Assistant"
    }

    /// Starts it when it was stopped for the write, restarts it otherwise; waits until it answers.
    func startHomeAssistant(wasStopped: Bool) throws(ReconcileError) -> String? {
        guard let control = homeAssistant else { return nil }
        do {
            _ = wasStopped ? try control.start() : try control.restart()
        } catch {
            throw .world(error.description)
        }
        return wasStopped ? "started Home Assistant" : "restarted Home Assistant"
    }

    static func classify(_ error: CaddyError) -> ReconcileError {
        switch error {
        case .rejected: return .invalidInput(.init([.init(file: "Caddyfile", position: nil, message: error.description)]))
        case .unreachable(let message): return .world(message)
        }
    }
}
