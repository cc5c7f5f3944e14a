import Adapters
import Certificates
import DesiredState
import Diagnostics
import Notifications
import Planner
import StatusReport

/// A reconcile's typed result → `CycleSummary`, the one place that translates for the notification rules
/// (as `StatusMapping` does for the report). Plans are not news: only applies give a summary.
enum NotificationMapping {
    static func summary(_ facts: CycleFacts, author: String?) -> CycleSummary? {
        let outcome: CycleSummary.Outcome
        switch facts.stage {
        case .planned:
            return nil
        case .stopped(let error):
            outcome = refuses(error) ? .refused(failure(error)) : .failed(failure(error))
        case .applied(let plan, _):
            outcome = .succeeded(hosts: hosts(facts), becamePublic: Set(plan.targets.flatMap(\.changes).filter(\.becomesPublic).compactMap(\.host)))
        case .applyFailed(let plan, let error, let applied):
            if applied == nil, refuses(error) {
                outcome = .refused(failure(error))
            } else {
                outcome = .applyFailed(ApplyFailureFacts(
                    failure: failure(error), step: applied?.failedStep.map { [$0.name, $0.object].compactMap { $0 }.joined(separator: " ") },
                    restored: applied?.restored ?? [], rollbackFailed: applied?.result == .rollbackFailed,
                    rollbackFailure: applied?.rollbackFailure, changes: changes(plan, facts: facts),
                    steps: facts.applySteps ?? []))
            }
        }
        let commit = facts.desiredCommit.map { CommitRef(id: $0.id, subject: $0.subject, author: author) }
        return CycleSummary(gateway: facts.gateway, commit: commit, desiredFile: facts.source?.file, outcome: outcome,
                            certificates: (facts.certificates?.hosts ?? []).compactMap { alert($0, now: facts.now.secondsSince1970) })
    }

    /// A certificate worth telling: failing, expired, or past the middle of its renewal window (Caddy renews
    /// from its start: one not renewed halfway through means the renewals fail). The window scales with the
    /// lifetime: 15 days of a 90-day certificate, 2 hours of Caddy's own 12-hour ones.
    static func alert(_ certificate: HostCertificate, now: Int64) -> CertificateAlert? {
        let why = certificate.evidence.first.map { $0.text(time: { StatusTime(secondsSince1970: $0).description }) }
        switch certificate.state {
        case .failing: return CertificateAlert(host: certificate.host, problem: .failing(why ?? "failing"))
        case .expired: return CertificateAlert(host: certificate.host, problem: .failing("expired" + (why.map { ": \($0)" } ?? "")))
        case .valid, .renewing:
            guard let stored = certificate.stored else { return nil }
            let window = stored.facts.notAfter - stored.renewalStart
            guard window > 0, now >= stored.renewalStart + window / 2 else { return nil }
            return CertificateAlert(host: certificate.host, problem: .expiresSoon(daysLeft: certificate.daysLeft ?? 0))
        case .notIssued, .unknown: return nil
        }
    }

    /// The commit itself is refused (wrong, against the policy, unsigned): nothing was touched.
    static func refuses(_ error: ReconcileError) -> Bool {
        let refusals: [FailureReason] = [.invalidDesiredState, .refusedByPolicy, .refusedSignature, .historyRewritten]
        return refusals.contains(error.reason)
    }

    static func failure(_ error: ReconcileError) -> FailureFacts {
        var diagnostics: [Diagnostic] = []
        if case .invalidInput(let list, _) = error { diagnostics = list.diagnostics }
        return FailureFacts(reason: error.reason.rawValue, retryable: error.isRetryable, message: error.description, diagnostics: diagnostics)
    }

    static func hosts(_ facts: CycleFacts) -> [HostAccess] {
        (facts.desired?.services ?? []).map { service in
            HostAccess(host: service.fqdn, service: service.name, access: service.exposure.access.description,
                       logins: service.exposure.basicAuth.count, declaredAt: facts.declaration(service.name))
        }
    }


    static func changes(_ plan: Plan, facts: CycleFacts) -> [ChangeFacts] {
        plan.targets.flatMap { target in
            target.changes.map { change in
                ChangeFacts(summary: "\(change.kind.symbol) \(change.summary)",
                            region: change.lines.map { "\(target.path.split(separator: "/").last.map(String.init) ?? target.path):\($0)" },
                            restarts: change.restarts, declaredAt: facts.declaration(change.service))
            }
        }
    }
}
