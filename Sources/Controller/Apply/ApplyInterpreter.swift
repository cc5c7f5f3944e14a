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
                outcome.failedStep = step.action
                outcome.error = error
                // A configure that failed may or may not have started the trial (a refused token did not;
                // one that never came back on the trial may have): say so rather than claim either.
                if ran.contains(where: { if case .configureHomeAssistantTrial = $0.action { return true } else { return false } }) {
                    outcome.trial = .configured
                } else if case .configureHomeAssistantTrial = step.action {
                    outcome.trial = .mayHaveStarted
                }
                if step.undoWhenItFails { ran.append(step) }
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
        let causes = undoing ? [] : outcome.plan.causes(of: action)
        func done(_ event: JournalEntry.Event) { outcome.journal.append(JournalEntry(event, undoing: undoing, causes: causes)) }
        func leftToUser(_ task: JournalEntry.ManualTask) { if !undoing { done(.leftToUser(task)) } }
        switch action {
        case .checkCaddyReached:
            guard world.caddy != nil else { throw .caddy(.unreachable(outcome.plan.caddy?.problem ?? "Caddy could not be reached")) }
        case .checkHomeAssistantCanStop(let path):
            guard world.homeAssistant != nil || world.homeAssistantStoppedByUser else { throw .cannotStopHomeAssistant(path: path) }
        case .checkHomeAssistantTrial(let path):
            guard world.homeAssistantTrial != nil else { throw .cannotRunHomeAssistantTrial(path: path) }
        case .checkWritable(let path):
            do { try world.files.checkWritable(path) } catch { throw .notWritable(error) }
        case .validateCaddy(let content):
            do { try world.caddy?.validate(content) } catch { throw .caddy(error) }
        case .validateCompose(let content):
            do { try world.compose?.validate(fileBytes: content) } catch { throw .compose(error) }
        case .backUp(let path, let content):
            let backup: String
            do { backup = try world.files.backUp(content, of: path) } catch { throw .file(error) }
            done(.backedUp(path: path, backup: backup))
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
            done(undoing ? .restored(path: path) : new == nil ? .removed(path: path) : .wrote(path: path))
        case .saveLedger(let ledger):
            do { try world.ledger.save(ledger) } catch { throw .ledger(error) }
        case .loadCaddy(let content):
            guard let caddy = world.caddy else { leftToUser(.reloadCaddy); return nil }
            do { try caddy.load(content) } catch { throw .caddy(error) }
            done(.caddyLoaded(through: caddy.description))
        case .composeUp(let services):
            guard let compose = world.compose else { leftToUser(.bringUp(services: services)); return nil }
            do { try compose.up(services: services) } catch { throw .compose(error) }
            done(.composeUp(services: services))
        case .stopHomeAssistant(let service):
            guard let control = world.homeAssistant else { return nil }
            do { try control.stopHomeAssistant() } catch { throw .homeAssistant(error) }
            done(.homeAssistantStopped(service: service))
        case .startHomeAssistant(let service):
            guard let control = world.homeAssistant else { leftToUser(.restartHomeAssistant(service: service)); return nil }
            do { try control.startHomeAssistant() } catch { throw .homeAssistant(error) }
            done(.homeAssistantStarted(service: service))
        case .restartHomeAssistant(let service):
            guard let control = world.homeAssistant else { leftToUser(.restartHomeAssistant(service: service)); return nil }
            do { try control.restartHomeAssistant() } catch { throw .homeAssistant(error) }
            done(.homeAssistantRestarted(service: service))
        case .probe(let hosts):
            guard let prober = world.prober else { return nil }
            outcome.probes = hosts.map { prober.probe(host: $0.host, isHomeAssistant: $0.isHomeAssistant, maintenance: $0.maintenance) }
            if let failed = outcome.probes.first(where: { !$0.passed }) { throw .probe(failed) }
        case .rereadBeforeWrite(let path, let expected):
            let again = try rereadBeforeWrite(path, expected: expected, plan: outcome.plan)
            done(.reread(path: path, changed: again != nil))
            return again
        case .configureHomeAssistantTrial(let path, let storage):
            guard let trial = world.homeAssistantTrial else { throw .cannotRunHomeAssistantTrial(path: path) }
            do { try trial.configureTrial(storage: storage) } catch { throw .homeAssistantTrial(error) }
            done(.trialConfigured(path: path))
        case .leaveHomeAssistantTrialUnpromoted(let path):
            done(.trialLeftUnpromoted(path: path))
        case .promoteHomeAssistantTrial(let path):
            guard let trial = world.homeAssistantTrial else { throw .cannotRunHomeAssistantTrial(path: path) }
            do { try trial.promoteTrial() } catch { throw .homeAssistantTrial(error) }
            done(.trialPromoted(path: path))
        }
        return nil
    }

    /// Reads `path` again (Home Assistant just stopped). Unchanged: nil. Changed: the plan made again from
    /// what is there now, which must differ from `plan` in that file only (every other file was checked
    /// and backed up for the bytes `plan` writes).
    private func rereadBeforeWrite(_ path: String, expected: [UInt8]?, plan: Plan) throws(ApplyFailure) -> Plan? {
        let now: [UInt8]?
        do { now = try world.files.read(path) } catch { throw .file(error) }
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
        var problems: [ApplyOutcome.RollbackProblem] = []
        for step in ran.reversed() {
            for inverse in step.inverse {
                do {
                    try perform(inverse, &outcome, undoing: true)
                } catch {
                    if case .file = error {
                        problems.append(.step(error, backups: world.files.backupLocation))
                    } else {
                        problems.append(.step(error, backups: nil))
                    }
                }
            }
        }
        if problems.isEmpty, !outcome.written.isEmpty, let prober = world.prober {
            // The hosts that were live before this apply must answer again; new ones were never live.
            let added = Set(outcome.plan.target(.caddyfile)?.changes.filter { $0.kind == .add }.compactMap(\.service) ?? [])
            outcome.rollbackProbes = outcome.plan.desired.hosts.filter { !added.contains($0.service) }.map { host in
                ApplyInterpreter.probeAfterRollback(host, prober)
            }
            problems += outcome.rollbackProbes.filter { !$0.passed }.map { .stillFailing($0) }
        }
        outcome.rollbackProblems = problems
        outcome.result = problems.isEmpty ? .rolledBack : .rollbackFailed
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
