import Adapters
import Certificates
import DesiredState
import Diagnostics
import Planner
import StatusPage
import StatusReport

/// A reconcile's typed facts → the status page's history entry and model. The page module knows nothing of
/// plans; this is the one place that translates (as `StatusMapping` is for the status report).
public enum StatusPageMapping {
    /// The history line for this reconcile.
    public static func entry(_ facts: CycleFacts, report: StatusReport, trigger: HistoryEntry.Trigger) -> HistoryEntry {
        var entry = HistoryEntry(at: facts.now.description, trigger: trigger, commit: facts.desiredCommit?.id,
                                 commitSubject: facts.desiredCommit?.subject, signer: nil, outcome: report.outcome.rawValue,
                                 reason: nil, retryable: nil, changes: [])
        entry.steps = facts.applySteps
        switch facts.stage {
        case .stopped(let error):
            (entry.reason, entry.retryable) = (reason(error), error.isRetryable)
        case .planned(let plan):
            entry.signer = plan.desired.signedBy
            entry.changes = lines(plan)
        case .applied(let plan, let outcome):
            entry.signer = plan.desired.signedBy
            entry.changes = lines(plan)
            entry.probes = probes(outcome, plan: plan, at: facts.now.description)
        case .applyFailed(let plan, let error, _):
            entry.signer = plan.desired.signedBy
            entry.changes = lines(plan)
            (entry.reason, entry.retryable) = (reason(error), error.isRetryable)
        }
        return entry
    }

    /// The page after this reconcile: `history` is newest first and already holds this reconcile's entry;
    /// `previousServices` are the last page's, which stay what is live when this reconcile stopped early.
    public static func model(_ facts: CycleFacts, report: StatusReport, history: [HistoryEntry],
                             previousServices: [ServiceEntry]) -> StatusPageModel {
        let plan: Plan?
        switch facts.stage {
        case .stopped: plan = nil
        case .planned(let p), .applied(let p, _), .applyFailed(let p, _, _): plan = p
        }
        var services: [ServiceEntry] = []
        if case .stopped(let error) = facts.stage {
            // Nothing was planned or touched: the services are as the last page showed them, except those
            // the gateway's policy refused in this commit.
            services = previousServices.map { entry in
                var kept = entry
                kept.probe = lastProbe(entry.name, history) ?? entry.probe
                return kept
            }
            if error.reason == .refusedByPolicy, case .invalidInput(let list, _) = error {
                markRefused(Set(list.diagnostics.compactMap(\.subject)), in: &services, desired: facts.desired, history: history)
            }
        }
        for service in services.isEmpty ? (facts.desired?.services ?? []) : [] {
            services.append(entry(service, state: state(of: service, plan: plan, stage: facts.stage, report: report), history: history))
        }
        if let certificates = facts.certificates { mark(&services, certificates, desired: facts.desired, now: facts.now.secondsSince1970) }
        return StatusPageModel(gateway: facts.gateway, domain: facts.desired?.domain ?? report.domain,
                               refreshedAt: facts.now.description, services: services, history: history,
                               pending: pending(facts.stage, commit: facts.desiredCommit?.id))
    }

    /// Each service's certificate, found by its host.
    static func mark(_ services: inout [ServiceEntry], _ report: CertificateReport, desired: DesiredState?, now: Int64) {
        let hostOf = Dictionary((desired?.services ?? []).map { ($0.name, $0.fqdn) }, uniquingKeysWith: { first, _ in first })
        let byHost = Dictionary(report.hosts.map { ($0.host, $0) }, uniquingKeysWith: { first, _ in first })
        for index in services.indices {
            guard let host = hostOf[services[index].name], let certificate = byHost[host] else { continue }
            let time = { (seconds: Int64) in StatusTime(secondsSince1970: seconds).description }
            services[index].certificate = CertificateEntry(
                state: certificate.state, validUntil: certificate.stored.map { time($0.facts.notAfter) },
                daysLeft: certificate.stored.map { Int(($0.facts.notAfter - now) / 86_400) },
                evidence: certificate.evidence.first?.text(time: time))
        }
    }

    static func entry(_ service: ServiceSpec, state: ServiceState, history: [HistoryEntry]) -> ServiceEntry {
        ServiceEntry(name: service.name, url: "https://\(service.fqdn)", audience: audience(service), state: state,
                     composeService: service.composeService, probe: lastProbe(service.name, history))
    }

    /// The services a policy refused: a live one keeps what is live (its address, its audience) and says
    /// it is refused; one the commit adds appears as refused. The commit's other new services wait.
    static func markRefused(_ refused: Set<String>, in services: inout [ServiceEntry], desired: DesiredState?, history: [HistoryEntry]) {
        for index in services.indices where refused.contains(services[index].name) {
            services[index].state = .refusedByPolicy
        }
        let live = Set(services.map(\.name))
        for service in desired?.services ?? [] where !live.contains(service.name) {
            services.append(entry(service, state: refused.contains(service.name) ? .refusedByPolicy : .pending, history: history))
        }
    }

    static func audience(_ service: ServiceSpec) -> Audience {
        let exposure = service.exposure
        let reach: Audience.Reach
        switch exposure.access {
        case .public: reach = .internet
        case .lan: reach = .lan
        case .networks(let list): reach = .networks(list)
        }
        return Audience(reach: reach, passwordUsers: exposure.basicAuth.count, ownLogin: service.hasOwnLogin)
    }

    static func state(of service: ServiceSpec, plan: Plan?, stage: CycleFacts.Stage, report: StatusReport) -> ServiceState {
        if service.exposure.maintenance { return .maintenance }
        let changes = plan?.targets.flatMap(\.changes).filter { change in
            change.service == service.name || (change.composeService != nil && change.composeService == service.composeService)
        } ?? []
        switch stage {
        case .stopped:
            // A policy refusal never gets here: `markRefused` has already listed the commit's services.
            return report.services.first { $0.name == service.name }?.state == .failed ? .failing : .exposed
        case .planned:
            return changes.isEmpty ? .exposed : .pending
        case .applied:
            return changes.contains { $0.kind == .restoreDrift } ? .driftRestored : .exposed
        case .applyFailed:
            return changes.isEmpty ? .exposed : .failing
        }
    }

    /// The newest probe of this service in the history (a converged gateway does not probe every tick).
    static func lastProbe(_ service: String, _ history: [HistoryEntry]) -> ProbeEntry? {
        for entry in history {
            if let probe = entry.probes.first(where: { $0.service == service }) { return probe }
        }
        return nil
    }

    static func probes(_ outcome: ApplyOutcome, plan: Plan, at time: String) -> [ProbeEntry] {
        outcome.probes.compactMap { result in
            guard let host = plan.desired.hosts.first(where: { $0.host == result.host }) else { return nil }
            return ProbeEntry(service: host.service, passed: result.passed, status: result.status, at: time)
        }
    }

    static func pending(_ stage: CycleFacts.Stage, commit: String?) -> PendingPlan? {
        switch stage {
        case .stopped(let error):
            guard case .invalidInput(let list, _) = error else { return nil }
            return PendingPlan(refused: true, commit: commit, changes: [], problems: list.diagnostics.map(problem))
        case .planned(let plan):
            return plan.hasChanges ? PendingPlan(refused: false, commit: commit, changes: lines(plan), problems: []) : nil
        case .applyFailed(let plan, let error, _):
            guard case .invalidInput(let list, _) = error else { return nil }
            return PendingPlan(refused: true, commit: commit, changes: lines(plan), problems: list.diagnostics.map(problem))
        case .applied:
            return nil
        }
    }

    static func problem(_ diagnostic: Diagnostic) -> PendingPlan.Problem {
        PendingPlan.Problem(file: diagnostic.file, line: diagnostic.position?.line, column: diagnostic.position?.column,
                            message: diagnostic.message, hint: diagnostic.hint)
    }

    /// One line a change, as the plan's text shows it.
    static func lines(_ plan: Plan) -> [String] {
        plan.targets.flatMap { target in
            target.changes.map { "\(target.kind.title): \($0.kind.symbol) \($0.subject): \($0.summary)" }
        }
    }

    /// The reason's machine name (`caddy_rejected`, `git_unreachable`, …).
    static func reason(_ error: ReconcileError) -> String { error.reason.rawValue }
}
