import Adapters
import Diagnostics
import Compose
import Foundation
import Planner

/// One apply as a transaction: plan → validate → back up → write → activate → probe, and on any
/// failure after the first write: restore, reactivate, probe again, and report both.
/// `runtime == nil` is `--no-runtime`: files only, and the outcome lists what the user must do.
public struct ApplyEngine {
    public let settings: ReconcileSettings
    public let runtime: RuntimeSettings?

    public init(settings: ReconcileSettings, runtime: RuntimeSettings?) {
        self.settings = settings
        self.runtime = runtime
    }

    /// Observes, plans and applies.
    public func run() throws(ReconcileError) -> ApplyOutcome {
        let inputs = try Observer.observe(settings)
        return try apply(inputs: inputs, filesOnly: try Observer.plan(inputs))
    }

    /// Applies from what a caller already observed and planned from the files. Throws only before the
    /// first write (nothing changed); later failures come back as a rolled-back outcome.
    public func apply(inputs: PlanInputs, filesOnly: Plan) throws(ReconcileError) -> ApplyOutcome {
        var inputs = inputs
        // Fast path: no file would change and the proxy runs. Checking that costs one request to the
        // engine's socket, no process: a timer tick on a converged gateway stays cheap.
        if !filesOnly.hasChanges, proxyIsRunning() {
            try LedgerStore.save(filesOnly.ledger, stateDir: settings.paths.stateDir)
            return ApplyOutcome(plan: filesOnly, result: .converged)
        }
        var compose: ComposeRuntime?
        if let composeSettings = runtime?.compose {
            let observed = ComposeObservation.observe(composeSettings, composeFile: settings.paths.composeFile)
            // An apply needs the engine: without it, nothing is started and nothing is written.
            if let problem = observed.problem { throw .world(problem) }
            compose = observed.runtime
            inputs.composeRuntime = observed.state
        }
        // The way to Caddy, found once: the plan names it, the activation and its rollback use it.
        let caddy = self.runtime.map { CaddyReach.find($0.caddy, paths: settings.paths, compose: $0.compose) } ?? .unused
        inputs.caddy = caddy.route
        let plan = try Observer.plan(inputs)
        guard plan.hasChanges else {
            try LedgerStore.save(plan.ledger, stateDir: settings.paths.stateDir)
            return ApplyOutcome(plan: plan, result: .converged)
        }
        let runtime = self.runtime ?? RuntimeSettings(caddy: .none, compose: nil, homeAssistant: .none, probes: nil)
        let homeAssistantService = plan.targets.first { $0.kind == .homeAssistant }?.restarts.first ?? "homeassistant"
        let activation = Activation(runtime: runtime, caddy: caddy, compose: compose,
                                    homeAssistant: runtime.homeAssistant.control(service: homeAssistantService,
                                                                                composeFile: settings.paths.composeFile,
                                                                                detected: compose?.client.commandPrefix))
        try validate(plan, activation)
        return execute(plan, previousLedger: inputs.ledger, activation: activation)
    }

    /// True when no compose runtime is configured, or the engine's API says the proxy's container runs.
    /// Unknown (engine API not reachable over a socket) counts as false: the full path finds out.
    private func proxyIsRunning() -> Bool {
        guard let compose = runtime?.compose else { return true }
        let project = compose.settings.projectName ?? DockerEngine.projectName(forComposeFile: settings.paths.composeFile)
        let environment = ProcessInfo.processInfo.environment.merging(compose.settings.environment) { $1 }
        guard let engine = DockerEngine.fromEnvironment(environment), let containers = try? engine.containers(project: project) else {
            return false
        }
        return containers.contains { $0.service == ComposePlanner.defaultProxyService && $0.running }
    }

    /// Everything is checked before the first write: Caddy and Compose read the new files.
    private func validate(_ plan: Plan, _ activation: Activation) throws(ReconcileError) {
        for target in plan.targets where target.writesFile && target.currentContent != nil {
            do { try LivePathGuard.checkWritable(target.path) } catch { throw .invalidInput(DiagnosticList([error])) }
        }
        for target in plan.targets where target.writesFile {
            guard let content = target.newContent else { continue }
            switch target.kind {
            case .caddyfile: try activation.validateCaddyfile(content)
            case .compose: try activation.validateCompose(content)
            case .homeAssistant: break // the planner re-plans its own output before returning it
            }
        }
    }

    private func execute(_ plan: Plan, previousLedger: Ledger, activation: Activation) -> ApplyOutcome {
        var outcome = ApplyOutcome(plan: plan, result: .applied)
        var files = FileTransaction(plan: plan, stateDir: settings.paths.stateDir)
        let homeAssistant = plan.targets.first { $0.kind == .homeAssistant && $0.writesFile }
        var stoppedHomeAssistant = false
        do throws(ReconcileError) {
            try backUp(&files, &outcome)
            if let homeAssistant, homeAssistant.stopBeforeWrite, let step = try activation.stopHomeAssistant() {
                stoppedHomeAssistant = true
                outcome.steps.append(step)
            }
            for target in files.targets {
                do { try files.write(target) } catch { throw ReconcileError.world(error.description) }
                outcome.written.append(target.path)
                outcome.steps.append("wrote \(target.path)")
            }
            try LedgerStore.save(plan.ledger, stateDir: settings.paths.stateDir)
            Failpoint.hit("after-ledger")
            try activate(plan, activation, stoppedHomeAssistant: stoppedHomeAssistant, &outcome)
            outcome.probes = probe(plan.desired.hosts)
            if let failed = outcome.probes.first(where: { !$0.passed }) {
                throw ReconcileError.world("probe of \(failed.host) failed after \(failed.attempts) attempt(s): \(failed.detail)")
            }
        } catch {
            outcome.failure = error.description
            if files.written.isEmpty {
                // Nothing was written: put back only what we stopped.
                if stoppedHomeAssistant { _ = try? activation.startHomeAssistant(wasStopped: true) }
                outcome.result = .rolledBack
                return outcome
            }
            rollBack(files, previousLedger: previousLedger, activation: activation, stoppedHomeAssistant: stoppedHomeAssistant, &outcome)
        }
        return outcome
    }

    private func backUp(_ files: inout FileTransaction, _ outcome: inout ApplyOutcome) throws(ReconcileError) {
        do { try files.backUp() } catch { throw .world(error.description) }
        outcome.backups = files.backups
        outcome.steps += files.backups.map { "backup \($0)" }
    }

    private func activate(_ plan: Plan, _ activation: Activation, stoppedHomeAssistant: Bool,
                          _ outcome: inout ApplyOutcome) throws(ReconcileError) {
        // Compose before Home Assistant: when `up` recreates Home Assistant's container (Compose v1, for its new
        // depends_on), that is its restart, and only the wait for it remains; restarting it first and then
        // recreating it would leave it down while the hosts are probed.
        let order: [TargetKind] = [.caddyfile, .compose, .homeAssistant]
        let recreatedByCompose = Set(plan.targets.filter { $0.kind == .compose && !$0.changes.isEmpty && activation.compose != nil }.flatMap(\.restarts))
        for target in order.flatMap({ kind in plan.targets.filter { $0.kind == kind } }) where !target.changes.isEmpty {
            switch target.kind {
            case .caddyfile:
                guard target.writesFile, let content = target.newContent else { continue }
                if let step = try activation.loadCaddy(content) {
                    outcome.steps.append(step)
                    outcome.caddyLoaded = true
                    Failpoint.hit("after-activate:caddyfile")
                } else {
                    outcome.manual.append("reload Caddy to serve the new Caddyfile")
                }
            case .compose:
                if let step = try activation.bringUp(target.restarts) {
                    outcome.steps.append(step)
                } else if !target.restarts.isEmpty {
                    outcome.manual.append("bring up \(target.restarts.joined(separator: ", ")) (docker-compose up -d --no-deps …)")
                }
            case .homeAssistant:
                guard !target.restarts.isEmpty else { continue }
                let recreated = !recreatedByCompose.isDisjoint(with: target.restarts)
                if let step = try activation.startHomeAssistant(wasStopped: stoppedHomeAssistant || recreated) {
                    outcome.steps.append(step)
                } else {
                    outcome.manual.append("restart \(target.restarts.joined(separator: ", ")) for its new http settings to take effect")
                }
            }
        }
    }

    private func probe(_ hosts: [ExposedHost], afterRollback: Bool = false) -> [ProbeResult] {
        guard let settings = runtime?.probes else { return [] }
        let prober = Prober(settings: settings)
        return hosts.map { host in
            guard afterRollback, host.maintenance else {
                return prober.probe(host: host.host, isHomeAssistant: host.isHomeAssistant, maintenance: host.maintenance)
            }
            // The old config may or may not have had this host in maintenance: its page or a live route both pass.
            var result = prober.probe(host: host.host, isHomeAssistant: host.isHomeAssistant)
            if !result.passed && result.status == 503 {
                result.passed = true
                result.detail = "answered 503: its maintenance page"
            }
            return result
        }
    }

    /// Old files back, old config live, and a probe to show it answers again.
    private func rollBack(_ files: FileTransaction, previousLedger: Ledger, activation: Activation,
                          stoppedHomeAssistant: Bool, _ outcome: inout ApplyOutcome) {
        var problems = files.restore()
        do { try LedgerStore.save(previousLedger, stateDir: settings.paths.stateDir) } catch { problems.append(error.description) }
        for target in files.written {
            do {
                switch target.kind {
                case .caddyfile:
                    // A Caddy that refused the new config still runs the old one: reload only what it took.
                    if outcome.caddyLoaded, let old = target.currentContent, let step = try activation.loadCaddy(old) {
                        outcome.steps.append("rollback: " + step)
                    }
                case .compose:
                    if let step = try activation.bringUp(target.restarts) { outcome.steps.append("rollback: " + step) }
                case .homeAssistant:
                    if let step = try activation.startHomeAssistant(wasStopped: stoppedHomeAssistant) { outcome.steps.append("rollback: " + step) }
                }
            } catch {
                problems.append(error.description)
            }
        }
        outcome.steps.append("rollback: restored \(files.written.map(\.path).joined(separator: ", "))")
        if problems.isEmpty {
            // The hosts that were live before this apply must answer again; new ones were never live.
            let added = Set(outcome.plan.targets.filter { $0.kind == .caddyfile }.flatMap(\.changes).filter { $0.action == .add }.map(\.subject))
            outcome.rollbackProbes = probe(outcome.plan.desired.hosts.filter { !added.contains($0.service) }, afterRollback: true)
            problems += outcome.rollbackProbes.filter { !$0.passed }.map { "after the rollback, \($0.host) still fails: \($0.detail)" }
        }
        if problems.isEmpty {
            outcome.result = .rolledBack
        } else {
            outcome.rollbackFailure = problems.joined(separator: "; ")
            outcome.result = .rollbackFailed
        }
    }
}
