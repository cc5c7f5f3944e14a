/// The plan as a program: what an apply does, in order, each step with its inverse. Derived from the
/// plan's targets and nothing else, so it is part of the one plan value (`Plan.program`).
///
/// The order: every check first (nothing changes if one fails), every backup, then Home Assistant
/// stopped if it rewrites its file from memory (its file read again and backed up once stopped), every
/// write, the ledger, each target activated (Home Assistant's own trial configured last), the probes,
/// and the trial promoted. Rolling back runs the inverses of what ran, last first. An activation that
/// reads a file from disk (Compose, a Home Assistant restart) is undone by restoring that file and
/// activating again: the restore is written into its inverse, so the order comes out right whichever
/// step failed.
public enum ApplyProgram {
    public static func build(_ plan: Plan) -> [ApplyStep] {
        var steps: [ApplyStep] = []
        // Home Assistant's own trial writes its file itself: no check, backup or write of ours for it.
        let writes = plan.targets.filter { $0.writesFile && !$0.goesThroughHomeAssistantTrial }
        // What the apply needs of the world beyond the files, checked before anything else.
        if let route = plan.caddy, route.way != CaddyRoute.Way.none, plan.target(.caddyfile)?.writesFile == true {
            steps.append(ApplyStep(.checkCaddyReached))
        }
        for target in plan.targets where target.kind == .homeAssistant && target.writesFile {
            if target.goesThroughHomeAssistantTrial {
                steps.append(ApplyStep(.checkHomeAssistantTrial(path: target.path)))
            } else if target.restart?.mode == .stopWriteStart {
                steps.append(ApplyStep(.checkHomeAssistantCanStop(path: target.path)))
            }
        }
        for target in writes where target.currentContent != nil {
            steps.append(ApplyStep(.checkWritable(path: target.path)))
        }
        for target in writes {
            guard let content = target.newContent else { continue }
            switch target.kind {
            case .caddyfile: steps.append(ApplyStep(.validateCaddy(content: content)))
            case .compose: steps.append(ApplyStep(.validateCompose(content: content)))
            case .homeAssistant: break // the planner re-plans its own output before returning it
            }
        }
        let homeAssistant = plan.target(.homeAssistant).flatMap { $0.changes.isEmpty ? nil : $0 }
        let stopped = homeAssistant.flatMap { target in
            target.writesFile && target.restart?.mode == .stopWriteStart ? target.restart?.services.first.map { (target, $0) } : nil
        }
        for target in writes where target.path != stopped?.0.path {
            if let current = target.currentContent { steps.append(ApplyStep(.backUp(path: target.path, content: current))) }
        }
        if let (target, service) = stopped {
            // Read again once stopped, and back up what is there then: the bytes this apply replaces.
            steps.append(ApplyStep(.stopHomeAssistant(service: service), inverse: [.startHomeAssistant(service: service)]))
            steps += afterStop(target)
        }
        for target in writes {
            steps.append(ApplyStep(write(target), inverse: [restore(target)]))
        }
        if plan.ledger != plan.previousLedger || !writes.isEmpty {
            steps.append(ApplyStep(.saveLedger(plan.ledger), inverse: [.saveLedger(plan.previousLedger)]))
        }
        // Compose before Home Assistant: when `up` recreates Home Assistant's container (Compose v1, for its new
        // depends_on), its restart afterwards only waits; restarting it first and then recreating it would
        // leave it down while the hosts are probed.
        let activationOrder: [TargetKind] = [.caddyfile, .compose, .homeAssistant]
        for target in activationOrder.flatMap({ kind in plan.targets.filter { $0.kind == kind } }) where !target.changes.isEmpty {
            switch target.kind {
            case .caddyfile:
                guard target.writesFile, let content = target.newContent else { continue }
                // A Caddy that refused the new config still runs the old one: only a load that took is undone.
                let undo: [ApplyAction] = target.currentContent.map { [.loadCaddy(content: $0)] } ?? []
                steps.append(ApplyStep(.loadCaddy(content: content), inverse: undo))
            case .compose:
                guard !target.restarts.isEmpty else { continue }
                let services = target.restarts
                let undo: [ApplyAction] = target.writesFile ? [restore(target), .composeUp(services: services)] : []
                steps.append(ApplyStep(.composeUp(services: services), inverse: undo, undoWhenItFails: true))
            case .homeAssistant:
                guard let restart = target.restart, let service = restart.services.first else { continue }
                switch restart.mode {
                case .homeAssistantTrial:
                    // Configured last, so the probes that decide the promote see every other target's new state.
                    guard target.writesFile, let content = target.newContent else { continue }
                    steps.append(ApplyStep(.configureHomeAssistantTrial(path: target.path, storage: content),
                                           inverse: [.leaveHomeAssistantTrialUnpromoted(path: target.path)], undoWhenItFails: true))
                case .stopWriteStart:
                    guard stopped?.0.path == target.path else { continue } // started only where it was stopped
                    steps.append(ApplyStep(.startHomeAssistant(service: service), inverse: [.stopHomeAssistant(service: service)],
                                           undoWhenItFails: true))
                case .restart, .composeUp:
                    let undo: [ApplyAction] = target.writesFile ? [restore(target), .restartHomeAssistant(service: service)] : []
                    steps.append(ApplyStep(.restartHomeAssistant(service: service), inverse: undo, undoWhenItFails: true))
                }
            }
        }
        if !plan.desired.hosts.isEmpty { steps.append(ApplyStep(.probe(hosts: plan.desired.hosts))) }
        // Promoted only once the probes passed: the last step, so nothing after it can fail and need it undone.
        for target in plan.targets where target.goesThroughHomeAssistantTrial && target.writesFile && !target.changes.isEmpty {
            steps.append(ApplyStep(.promoteHomeAssistantTrial(path: target.path)))
        }
        return steps
    }

    /// Right after Home Assistant stopped: read its file again, then back up what is there.
    static func afterStop(_ target: TargetPlan) -> [ApplyStep] {
        var steps = [ApplyStep(.rereadBeforeWrite(path: target.path, expected: target.currentContent))]
        if let current = target.currentContent { steps.append(ApplyStep(.backUp(path: target.path, content: current))) }
        return steps
    }

    /// What is left to run of `plan` (made again from `path` as read once Home Assistant `service` stopped):
    /// the steps after its own re-read of `path`. The checks and backups before the stop ran already, for
    /// the same bytes (only `path` differs). When `plan` no longer writes `path` (the file holds what we
    /// wanted already), Home Assistant is started again and the rest runs.
    public static func continuation(of plan: Plan, afterRereadOf path: String, service: String) -> [ApplyStep] {
        let program = plan.program
        if let reread = program.firstIndex(where: { step in
            if case .rereadBeforeWrite(let read, _) = step.action { return read == path }
            return false
        }) {
            return Array(program[(reread + 1)...])
        }
        let rest = program.drop { step in
            if case .backUp = step.action { return true }
            return step.action.isCheck
        }
        return [ApplyStep(.startHomeAssistant(service: service), inverse: [.stopHomeAssistant(service: service)], undoWhenItFails: true)] + rest
    }

    static func write(_ target: TargetPlan) -> ApplyAction {
        .write(path: target.path, target: target.kind, old: target.currentContent, new: target.newContent)
    }

    /// The old bytes back; a file that did not exist is removed again.
    static func restore(_ target: TargetPlan) -> ApplyAction {
        .write(path: target.path, target: target.kind, old: target.newContent, new: target.currentContent)
    }
}

extension Plan {
    /// What `apply` runs for this plan, in order (see `ApplyProgram`).
    public var program: [ApplyStep] { hasChanges ? ApplyProgram.build(self) : [] }
}
