import Diagnostics
import Certificates
import Caddyfile
import Adapters
import Compose
import DesiredState
import FoundationEssentials
import Planner
import StatusPage
import StatusReport

/// One reconcile, as its steps: sync the source, observe the world once, plan once, apply that plan, and
/// record the result (certificates, status report, page, notifications) in one place. Nothing here throws:
/// every stop is a value the CLI prints and the report describes, so a failure never skips the report.
public enum ReconcileCycle {
    public enum Mode: Sendable {
        /// Plan; with compose settings, the engine's state is read too (drift), and its absence is a warning;
        /// with a way to Caddy, the plan names the way an apply would take (and Caddy's version).
        case plan(compose: ComposeSettings?, caddy: CaddyWay?)
        /// Apply; nil runtime is `--no-runtime` (files only).
        case apply(RuntimeSettings?)

        var isApply: Bool {
            if case .apply = self { return true }
            return false
        }
    }

    public struct Options: Sendable {
        public var mode: Mode
        /// Render the status report into the state dir (every apply; plans made by the daemon).
        public var report: Bool
        /// Also commit it to the status branch (remote repos only).
        public var publish: Bool
        public var policy: PublishPolicy
        /// `apply --ha-stopped`: the user stopped Home Assistant, so `.storage/http` may be written without a
        /// way for reconcile to stop it (`--no-runtime`, `--ha-restart none`).
        public var homeAssistantStopped = false
        /// What started this reconcile, for the status page's history.
        public var trigger: HistoryEntry.Trigger

        public init(mode: Mode, report: Bool, publish: Bool, policy: PublishPolicy = PublishPolicy(),
                    trigger: HistoryEntry.Trigger = .manual) {
            self.mode = mode
            self.report = report
            self.publish = publish
            self.policy = policy
            self.trigger = trigger
        }

        /// What the observation asks of the world beyond the files.
        var reach: Observer.Reach {
            switch mode {
            case .plan(let compose, let caddy): return Observer.Reach(compose: compose, caddy: caddy)
            case .apply(let runtime?): return Observer.Reach(compose: runtime.compose, caddy: runtime.caddy, readsHomeAssistantToken: true)
            case .apply(nil): return Observer.Reach(compose: nil, caddy: nil)
            }
        }
    }

    public struct Result: Sendable {
        public var plan: Plan?
        /// What the plan was made from: the files as read (the Caddyfile parsed), the engine, the way to Caddy.
        public var observation: Observation?
        public var applied: ApplyOutcome?
        /// What stopped the reconcile (sync, observation, plan, apply).
        public var error: ReconcileError?
        /// Worth telling: a force-push followed, a host key recorded.
        public var notes: [String] = []
        public var report: StatusReport?
        /// The owner's status page after this reconcile (with the report).
        public var page: StatusPageModel?
        public var publication: StatusPublication?
        /// Reporting failed (the reconcile itself may have succeeded).
        public var reportError: ReconcileError?
        /// What the `notify:` targets were sent, after the report (applies only).
        public var notifications = NotifyStep.Outcome()
        /// Each live host's certificate, read after the apply (or for a plan's live hosts).
        public var certificates: CertificateReport?
    }

    /// - `planner`: how the one plan of this reconcile is made (tests count the calls).
    /// - `engineObserver`: how the engine is read for the observation.
    public static func run(_ settings: ReconcileSettings, options: Options,
                           now: @Sendable () -> Int64 = { Int64(Date().timeIntervalSince1970) },
                           planner: (PlanInputs) throws(ReconcileError) -> Plan = Observer.plan,
                           engineObserver: any EngineObserving = LiveEngineObserver()) -> Result {
        var result = Result()
        var source = SyncedSource(local: settings)
        var desiredFile = GatewayLayout.sharedFile
        var desired: DesiredState?
        let stage: CycleFacts.Stage
        do throws(ReconcileError) {
            try SourceSync.sync(settings, into: &source)
            let observation: Observation
            do {
                observation = try Observer.observe(settings, source: source, reach: options.reach, engineObserver: engineObserver)
            } catch {
                (desiredFile, desired) = (error.desiredFile, error.desired)
                throw error.error
            }
            (desiredFile, desired, result.observation) = (observation.desiredFile, observation.desired.desired, observation)
            let plan = try planner(observation.inputs)
            result.plan = plan
            stage = apply(plan, observation: observation, settings: settings, options: options)
        } catch {
            stage = .stopped(error)
        }
        result.notes = source.notes
        record(stage, source: source, desiredFile: desiredFile, desired: desired, settings: settings, options: options, now: now(),
               into: &result)
        return result
    }

    /// Applies the plan (apply mode) and, when it took, remembers the commit it came from.
    static func apply(_ plan: Plan, observation: Observation, settings: ReconcileSettings, options: Options) -> CycleFacts.Stage {
        guard case .apply(let runtime) = options.mode else { return .planned(plan) }
        do throws(ReconcileError) {
            let engine = ApplyEngine(settings: settings, runtime: runtime, homeAssistantStopped: options.homeAssistantStopped)
            let outcome = try engine.apply(plan, observation: observation)
            if let error = outcome.reconcileError { return .applyFailed(outcome.plan, error, outcome) }
            if let id = plan.desired.commit, !plan.desired.uncommitted {
                let record = AppliedCommit(id: id, subject: plan.desired.commitSubject ?? "",
                                           source: settings.remote?.url.description ?? settings.repo, branch: observation.source.branch)
                if AppliedCommitStore.load(stateDir: settings.paths.stateDir) != record {
                    do { try AppliedCommitStore.save(record, stateDir: settings.paths.stateDir) } catch { throw .failed(.stateDirFailed, error.description) }
                }
            }
            return .applied(outcome.plan, outcome)
        } catch {
            return .applyFailed(plan, error, nil)
        }
    }

    /// The one place that writes the result: the stage's error and outcome, the certificates, the status
    /// report (saved, published), the page's history, and last the notifications.
    static func record(_ stage: CycleFacts.Stage, source: SyncedSource, desiredFile: String, desired: DesiredState?,
                       settings: ReconcileSettings, options: Options, now: Int64, into result: inout Result) {
        switch stage {
        case .stopped(let error): result.error = error
        case .planned: break
        case .applied(_, let outcome): result.applied = outcome
        case .applyFailed(_, let error, let outcome): (result.error, result.applied) = (error, outcome)
        }
        let stateDir = settings.paths.stateDir
        result.certificates = CertificateStep.observe(stage, desired: desired, caddy: result.observation?.caddyConnection, settings: settings, now: now)
        guard options.report else { return }
        // The commit named even when the run stopped before planning (a refused force-push names the commit it refused).
        let commit = result.plan.flatMap { plan in plan.desired.commit.map { StatusCommit(id: $0, subject: plan.desired.commitSubject ?? "") } }
            ?? source.commit.map { StatusCommit(id: $0.id, subject: $0.subject) }
        let applied = AppliedCommitStore.load(stateDir: stateDir)
        let facts = CycleFacts(
            gateway: settings.gateway,
            source: StatusSource(repository: settings.remote?.url.description ?? settings.repo, branch: source.branch, file: desiredFile),
            desiredCommit: commit,
            lastApplied: applied.map { StatusCommit(id: $0.id, subject: $0.subject) },
            desired: desired, stage: stage, notes: result.notes, certificates: result.certificates,
            previous: StatusPublisher.loadLocal(stateDir: stateDir), now: StatusTime(secondsSince1970: now))
        let report = StatusMapping.report(facts)
        result.report = report
        do throws(ReconcileError) {
            try StatusPublisher.saveLocal(report, stateDir: stateDir)
            if options.publish, let remote = settings.remote {
                result.publication = try StatusPublisher.publish(report, to: remote, statusBranch: settings.statusBranch,
                                                                 stateDir: stateDir, policy: options.policy)
            }
        } catch {
            result.reportError = error
        }
        // The owner's status page, after the report: a failure here never keeps the report from being published.
        do throws(ReconcileError) {
            let entry = StatusPageMapping.entry(facts, report: report, trigger: options.trigger)
            let history: [HistoryEntry]
            do { history = try ReconcileHistoryStore.append(entry, stateDir: stateDir) } catch { throw ReconcileError.failed(.stateDirFailed, error.description) }
            let page = StatusPageMapping.model(facts, report: report, history: history,
                                               previousServices: ReconcileHistoryStore.loadServices(stateDir: stateDir))
            do { try ReconcileHistoryStore.saveServices(page.services, stateDir: stateDir) } catch { throw ReconcileError.failed(.stateDirFailed, error.description) }
            result.page = page
        } catch {
            result.reportError = result.reportError ?? error
        }
        // Last, so a slow or dead target never delays the report; it cannot fail the reconcile.
        if options.mode.isApply && !settings.notify.isEmpty {
            result.notifications = NotifyStep.run(settings.notify, facts: facts, author: source.commit?.author,
                                                  stateDir: stateDir, now: now)
        }
    }
}
