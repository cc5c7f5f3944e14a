import Diagnostics
import Certificates
import DesiredState
import FoundationEssentials
import Planner
import StatusReport

/// What a reconcile knew when it stopped, for its status report.
public struct CycleFacts: Sendable {
    public enum Stage: Sendable {
        /// Stopped before a plan existed (fetch, history check, desired state unreadable).
        case stopped(ReconcileError)
        /// Planned only (the daemon's plans, `plan --publish-status`).
        case planned(Plan)
        case applied(Plan, ApplyOutcome)
        /// The apply refused before its first change (nil outcome), or failed after it and rolled back.
        case applyFailed(Plan, ReconcileError, ApplyOutcome?)
    }

    public var gateway: String
    public var source: StatusSource?
    public var desiredCommit: StatusCommit?
    public var lastApplied: StatusCommit?
    public var desired: DesiredState?
    public var stage: Stage
    public var notes: [String]
    /// The previous report: when a run stops early, its services and targets still describe what is live.
    public var previous: StatusReport?
    public var now: StatusTime
    /// Each live host's certificate, when this run could read them.
    public var certificates: CertificateReport?

    public init(gateway: String, source: StatusSource?, desiredCommit: StatusCommit?, lastApplied: StatusCommit?,
                desired: DesiredState?, stage: Stage, notes: [String], certificates: CertificateReport? = nil,
                previous: StatusReport?, now: StatusTime) {
        self.gateway = gateway
        self.source = source
        self.desiredCommit = desiredCommit
        self.lastApplied = lastApplied
        self.desired = desired
        self.stage = stage
        self.notes = notes
        self.previous = previous
        self.now = now
        self.certificates = certificates
    }
}

extension CycleFacts {
    /// `exposure.yaml:6:3`: where the desired state declares the service `name`.
    public func declaration(_ name: String?) -> String? {
        guard let name, let file = source?.file else { return nil }
        return desired?.declaration(of: name, file: file)
    }

    /// What this run's apply did, one line a step with why; nil when it did nothing (no apply, converged,
    /// refused before its first change).
    public var applySteps: [String]? {
        let outcome: ApplyOutcome?
        switch stage {
        case .applied(_, let applied): outcome = applied
        case .applyFailed(_, _, let applied): outcome = applied
        case .stopped, .planned: outcome = nil
        }
        guard let journal = outcome?.journal, !journal.isEmpty else { return nil }
        return journal.map { $0.text(declaredAt: declaration) }
    }
}

/// Plan and apply outcome → `StatusReport`. The report module knows nothing of plans; this is the one place
/// that translates.
public enum StatusMapping {
    public static func report(_ facts: CycleFacts) -> StatusReport {
        var report = StatusReport(gateway: facts.gateway, source: facts.source, desired: facts.desiredCommit,
                                  lastApplied: facts.lastApplied, outcome: .inSync, domain: facts.desired?.domain,
                                  warnings: facts.notes, checkedAt: facts.now)
        report.certificates = facts.certificates.map(certificates) ?? facts.previous?.certificates
        report.lastApplySteps = facts.applySteps ?? facts.previous?.lastApplySteps
        switch facts.stage {
        case .stopped(let error):
            report.outcome = .failed
            report.error = error.description
            report.reason = error.reason.rawValue
            report.retryable = error.isRetryable
            // Nothing was touched: what was live stays live, as the last report described it.
            if let previous = facts.previous {
                report.domain = report.domain ?? previous.domain
                report.services = previous.services.filter(\.published).map { service in
                    var kept = service
                    if kept.state != .failed { kept.state = .exposed }
                    kept.reason = "unchanged: this run stopped before planning"
                    return kept
                }
                report.targets = previous.targets.map { target in
                    var kept = target
                    kept.state = target.state == .unmanaged ? .unmanaged : .unchanged
                    kept.changes = 0
                    return kept
                }
            }
        case .planned(let plan):
            fill(&report, plan: plan, desired: facts.desired, phase: .planned)
            report.outcome = plan.hasChanges ? .pending : .inSync
        case .applied(let plan, let result):
            fill(&report, plan: plan, desired: facts.desired, phase: .applied(written: Set(result.written)))
            report.outcome = plan.hasChanges ? .applied : .inSync
        case .applyFailed(let plan, let error, _):
            fill(&report, plan: plan, desired: facts.desired, phase: .failed(error.description))
            report.outcome = .failed
            report.error = error.description
            report.reason = error.reason.rawValue
            report.retryable = error.isRetryable
        }
        return report
    }

    static func certificates(_ report: CertificateReport) -> [CertificateStatus] {
        report.hosts.map { host in
            CertificateStatus(host: host.host, state: host.state.rawValue, issuer: host.stored?.facts.issuer,
                              notAfter: host.stored.map { StatusTime(secondsSince1970: $0.facts.notAfter) },
                              evidence: host.evidence.map { $0.text { StatusTime(secondsSince1970: $0).description } })
        }
    }

    enum Phase {
        case planned
        case applied(written: Set<String>)
        case failed(String)
    }

    static func fill(_ report: inout StatusReport, plan: Plan, desired: DesiredState?, phase: Phase) {
        report.domain = plan.desired.domain
        report.targets = plan.targets.map { target(for: $0, phase: phase) }
        report.warnings += plan.targets.flatMap { target in target.warnings.map { "\(target.kind.title): \($0.description)" } }
        report.services = services(plan: plan, desired: desired, phase: phase)
    }

    static func target(for target: TargetPlan, phase: Phase) -> TargetStatus {
        let state: TargetStatus.State
        if target.changes.isEmpty {
            state = .unchanged
        } else {
            switch phase {
            case .planned: state = .pending
            case .applied: state = .changed
            case .failed: state = .failed
            }
        }
        return TargetStatus(name: target.kind.title, path: target.path, state: state, changes: target.changes.count, note: target.note)
    }

    /// One row per declared service, then one per service being removed. A service's changes are those
    /// the planner attributed to it: its site (`service`), its compose service (`composeService`), and the
    /// Home Assistant trust settings when it is the Home Assistant service (`service` again).
    static func services(plan: Plan, desired: DesiredState?, phase: Phase) -> [ServiceStatus] {
        let declared = desired?.services ?? []
        let changes = plan.targets.flatMap(\.changes)
        var rows: [ServiceStatus] = []
        for service in declared {
            let related = changes.filter { change in
                change.service == service.name || (change.composeService != nil && change.composeService == service.composeService)
            }
            rows.append(row(name: service.name, address: "https://\(service.fqdn)", upstream: service.upstream.description,
                            changes: related, phase: phase, removal: false))
        }
        let names = Set(declared.map(\.name))
        let removals = (plan.target(.caddyfile)?.changes ?? []).filter { change in
            change.kind == .remove && change.service.map { !names.contains($0) } ?? false
        }
        for change in removals {
            rows.append(row(name: change.service ?? change.subject, address: change.host.map { "https://" + $0 }, upstream: nil,
                            changes: [change], phase: phase, removal: true))
        }
        return rows
    }

    static func row(name: String, address: String?, upstream: String?, changes: [PlannedChange], phase: Phase,
                    removal: Bool) -> ServiceStatus {
        guard !changes.isEmpty else {
            return ServiceStatus(name: name, address: address, upstream: upstream, state: .exposed)
        }
        let isDrift = changes.contains { $0.kind == .restoreDrift }
        let what = changes.map { change in
            change.kind == .restoreDrift ? change.reason : "\(change.kind.symbol) \(change.summary)"
        }.joined(separator: "; ")
        let adds = changes.contains { $0.kind == .add }
        switch phase {
        case .planned:
            return ServiceStatus(name: name, address: address, upstream: upstream, state: isDrift ? .drifted : .pending,
                                 reason: (removal ? "to be removed: " : "") + what,
                                 published: removal || !changes.contains { $0.becomesPublic && $0.kind == .add })
        case .applied:
            return ServiceStatus(name: name, address: address, upstream: upstream, state: .changed,
                                 reason: (removal ? "removed: " : (isDrift ? "restored: " : "")) + what, published: !removal)
        case .failed(let error):
            let firstLine = error.split(whereSeparator: \.isNewline).first.map(String.init) ?? error
            return ServiceStatus(name: name, address: address, upstream: upstream, state: .failed,
                                 reason: "\(what): not applied (\(firstLine))", published: !adds)
        }
    }
}
