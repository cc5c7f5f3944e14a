import Adapters
import Planner

/// Runs a plan's program (`Plan.program`) against an `ApplyWorld`: each step in order; on a failure,
/// the inverses of what ran, last first, then a probe of the hosts that were live before. Knows nothing
/// of Caddy, Compose or Home Assistant beyond the protocols, so doubles exercise every path.
public struct ApplyInterpreter {
    public let world: ApplyWorld

    public init(world: ApplyWorld) { self.world = world }

    /// Throws only when a check fails before anything changed (the plan is wrong, or the world refuses it);
    /// every later failure is a rolled-back outcome.
    public func run(_ plan: Plan) throws(ApplyFailure) -> ApplyOutcome {
        var outcome = ApplyOutcome(plan: plan, result: .applied)
        var ran: [ApplyStep] = []
        var program = plan.program
        var next = 0
        while next < program.count {
            let step = program[next]
            next += 1
            do {
                if let again = try perform(step.action, &outcome, undoing: false),
                   case .rereadBeforeWrite(let path, _) = step.action, case .stopHomeAssistant(let service)? = ran.last?.action {
                    // The file changed before the stop: what is left to run is the new plan's.
                    outcome.plan = again
                    program = ApplyProgram.continuation(of: again, afterRereadOf: path, service: service)
                    next = 0
                }
                ran.append(step)
                Failpoint.hit(ApplyInterpreter.failpoint(after: step.action))
            } catch {
                if step.action.isCheck && ran.allSatisfy(\.action.isCheck) { throw error }
                outcome.failure = error.description
                outcome.failedStep = step.action
                outcome.error = error
                // A configure that failed may or may not have started the trial (a refused token did not;
                // one that never came back on the trial may have): say so rather than claim either.
                let configured = ran.contains { if case .configureHomeAssistantTrial = $0.action { return true } else { return false } }
                let configureFailed: Bool
                if case .configureHomeAssistantTrial = step.action { configureFailed = true } else { configureFailed = false }
                if step.undoWhenItFails { ran.append(step) }
                if configured {
                    outcome.failure! += "; Home Assistant's trial was not promoted: it goes back to its data.stable by itself within 5 minutes"
                } else if configureFailed {
                    outcome.failure! += "; Home Assistant's trial was not promoted: if it started, it goes back to its data.stable by itself within 5 minutes"
                }
                rollBack(ran, &outcome)
                return outcome
            }
        }
        return outcome
    }

    /// The failpoint names the crash tests arm (see `Failpoint`).
    static func failpoint(after action: ApplyAction) -> String {
        switch action {
        case .backUp: return "after-backup"
        case .write(_, let target, _, _): return "after-write:\(target.rawValue)"
        case .saveLedger: return "after-ledger"
        case .loadCaddy: return "after-activate:caddyfile"
        default: return "after-\(action.name)"
        }
    }

    /// Returns a plan only for a re-read that found the file changed: the plan made again from it.
    @discardableResult
    private func perform(_ action: ApplyAction, _ outcome: inout ApplyOutcome, undoing: Bool) throws(ApplyFailure) -> Plan? {
        let prefix = undoing ? "rollback: " : ""
        func done(_ line: String) { outcome.steps.append(prefix + line) }
        func leftToUser(_ task: String) { if !undoing { outcome.manual.append(task) } }
        outcome.events.append(ApplyEvent(action: action, undoing: undoing))
        switch action {
        case .checkWritable(let path):
            do { try world.files.checkWritable(path) } catch { throw .notWritable(error) }
        case .validateCaddy(let content):
            do { try world.caddy?.validate(content) } catch { throw .caddy(error) }
        case .validateCompose(let content):
            do { try world.compose?.validate(fileBytes: content) } catch { throw .compose(error) }
        case .backUp(let path, let content):
            let backup: String
            do { backup = try world.files.backUp(content, of: path) } catch { throw .file(error) }
            outcome.backups.append(backup)
            done("backup \(backup)")
        case .write(let path, _, let old, let new):
            // Only over the bytes the plan read: an edit made since (during a slow validation) is kept.
            do {
                if let new {
                    try world.files.write(new, to: path, expecting: ExpectedContent(old))
                } else {
                    try world.files.remove(path, expecting: ExpectedContent(old))
                }
            } catch {
                throw .file(error)
            }
            if undoing {
                outcome.restored.append(path)
            } else {
                outcome.written.append(path)
                done("wrote \(path)")
            }
        case .saveLedger(let ledger):
            do { try world.ledger.save(ledger) } catch { throw .ledger(error) }
        case .loadCaddy(let content):
            guard let caddy = world.caddy else { leftToUser("reload Caddy to serve the new Caddyfile"); return nil }
            do { try caddy.load(content) } catch { throw .caddy(error) }
            if !undoing { outcome.caddyLoaded = true }
            done(undoing ? "Caddy loaded the previous Caddyfile through \(caddy.description)"
                         : "Caddy loaded the new Caddyfile through \(caddy.description)")
        case .composeUp(let services):
            guard let compose = world.compose else {
                leftToUser("bring up \(services.joined(separator: ", ")) (docker-compose up -d --no-deps …)")
                return nil
            }
            do { try compose.up(services: services) } catch { throw .compose(error) }
            done("up -d --no-deps \(services.joined(separator: " "))")
        case .stopHomeAssistant:
            guard let control = world.homeAssistant else { return nil }
            do { try control.stopHomeAssistant() } catch { throw .homeAssistant(error) }
            done("stopped Home Assistant")
        case .startHomeAssistant(let service):
            guard let control = world.homeAssistant else {
                leftToUser("restart \(service) for its new http settings to take effect")
                return nil
            }
            do { try control.startHomeAssistant() } catch { throw .homeAssistant(error) }
            done("started Home Assistant")
        case .restartHomeAssistant(let service):
            guard let control = world.homeAssistant else {
                leftToUser("restart \(service) for its new http settings to take effect")
                return nil
            }
            do { try control.restartHomeAssistant() } catch { throw .homeAssistant(error) }
            done("restarted Home Assistant")
        case .probe(let hosts):
            guard let prober = world.prober else { return nil }
            outcome.probes = hosts.map { prober.probe(host: $0.host, isHomeAssistant: $0.isHomeAssistant, maintenance: $0.maintenance) }
            if let failed = outcome.probes.first(where: { !$0.passed }) { throw .probe(failed) }
        case .rereadBeforeWrite(let path, let expected):
            let again = try rereadBeforeWrite(path, expected: expected, plan: outcome.plan)
            done(again == nil ? "read \(path) again once Home Assistant stopped: unchanged"
                              : "read \(path) again once Home Assistant stopped: it changed since the plan, so it was planned again from what is there now")
            return again
        case .configureHomeAssistantTrial(let path, let storage):
            guard let trial = world.homeAssistantTrial else {
                throw .homeAssistantTrial(HomeAssistantWebSocketError(endpoint: path, reason: "no access token: this apply cannot run Home Assistant's own trial"))
            }
            do { try trial.configureTrial(storage: storage) } catch { throw .homeAssistantTrial(error) }
            done("Home Assistant's own trial: configured \(path)'s data.stable; Home Assistant runs it as a trial")
        case .leaveHomeAssistantTrialUnpromoted(let path):
            done("Home Assistant's trial of \(path) is not promoted: Home Assistant goes back to its data.stable by itself within 5 minutes")
        case .promoteHomeAssistantTrial(let path):
            guard let trial = world.homeAssistantTrial else {
                throw .homeAssistantTrial(HomeAssistantWebSocketError(endpoint: path, reason: "no access token: this apply cannot promote Home Assistant's trial"))
            }
            do { try trial.promoteTrial() } catch { throw .homeAssistantTrial(error) }
            done("Home Assistant's own trial: probed, promoted \(path)'s data.stable")
        }
        return nil
    }

    /// Reads `path` again (Home Assistant just stopped). Unchanged: nil. Changed: the plan made again from
    /// what is there now, which must differ from `plan` in that file only (every other file was checked
    /// and backed up for the bytes `plan` writes).
    private func rereadBeforeWrite(_ path: String, expected: [UInt8]?, plan: Plan) throws(ApplyFailure) -> Plan? {
        let now: [UInt8]?
        do { now = try world.files.read(path)?.bytes } catch { throw .file(error) }
        guard now != expected else { return nil }
        guard let planAgain = world.planAgain else {
            throw .changedBeforeStop(path: path, why: .failed(.rolledBack, "this apply has no observation to plan again from"))
        }
        let again: Plan
        do { again = try planAgain.plan(storageHTTP: now) } catch { throw .changedBeforeStop(path: path, why: error) }
        let others = { (plan: Plan) in plan.targets.filter { $0.path != path }.map { [$0.path: $0.newContent] } }
        guard others(again) == others(plan) else {
            throw .changedBeforeStop(path: path, why: .failed(.rolledBack, "the new plan would change other files too; the next apply plans everything again"))
        }
        return again
    }

    /// The inverses of what ran, last first; then the hosts that were live before must answer again.
    private func rollBack(_ ran: [ApplyStep], _ outcome: inout ApplyOutcome) {
        var problems: [String] = []
        for step in ran.reversed() {
            for inverse in step.inverse {
                do {
                    try perform(inverse, &outcome, undoing: true)
                } catch {
                    if case .file = error {
                        problems.append("\(error.description) (its backup is in \(world.files.backupLocation))")
                    } else {
                        problems.append(error.description)
                    }
                }
            }
        }
        let restored = Set(outcome.restored)
        if !restored.isEmpty {
            outcome.steps.append("rollback: restored \(outcome.written.filter(restored.contains).joined(separator: ", "))")
        }
        if problems.isEmpty, !outcome.written.isEmpty, let prober = world.prober {
            // The hosts that were live before this apply must answer again; new ones were never live.
            let added = Set(outcome.plan.target(.caddyfile)?.changes.filter { $0.kind == .add }.compactMap(\.service) ?? [])
            outcome.rollbackProbes = outcome.plan.desired.hosts.filter { !added.contains($0.service) }.map { host in
                ApplyInterpreter.probeAfterRollback(host, prober)
            }
            problems += outcome.rollbackProbes.filter { !$0.passed }.map { "after the rollback, \($0.host) still fails: \($0.detail)" }
        }
        if problems.isEmpty {
            outcome.result = .rolledBack
        } else {
            outcome.rollbackFailure = problems.joined(separator: "; ")
            outcome.result = .rollbackFailed
        }
    }

    /// The old config may or may not have had a host in maintenance: its page or a live route both pass.
    static func probeAfterRollback(_ host: ExposedHost, _ prober: any HostProbing) -> ProbeResult {
        guard host.maintenance else { return prober.probe(host: host.host, isHomeAssistant: host.isHomeAssistant, maintenance: false) }
        var result = prober.probe(host: host.host, isHomeAssistant: host.isHomeAssistant, maintenance: false)
        if !result.passed && result.status == 503 {
            result.passed = true
            result.detail = "answered 503: its maintenance page"
        }
        return result
    }
}

/// One action as the interpreter ran it (forward, or undoing), in order: what tests and logs read.
public struct ApplyEvent: Sendable, Hashable {
    public var action: ApplyAction
    public var undoing: Bool
}
