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

/// One reconcile from source to report: sync the remote (if any), observe, plan, apply (files), remember the
/// applied commit, render the status report, save it, publish it. Nothing here throws: every stop is a
/// value the CLI prints and the report describes, so a failure never skips the report.
public enum ReconcileCycle {
    public enum Mode: Sendable {
        /// Plan; with compose settings, the engine's state is read too (drift), and its absence is a warning.
        case plan(ComposeSettings?)
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
        /// Plan mode: how an apply would reach Caddy, looked up so the plan names the way (and the Caddy version).
        public var caddy: CaddyActivation?
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
    }

    public struct Result: Sendable {
        public var plan: Plan?
        /// What the plan was made from: the files as read (the Caddyfile parsed) and the engine's view.
        public var observation: PlanInputs?
        public var applied: ApplyOutcome?
        /// What stopped the reconcile (fetch, history, desired state, apply).
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
        var settings = settings
        var result = Result()
        let stateDir = settings.paths.stateDir
        var branch = settings.remote?.branch
        var desiredCommit: GitCommitInfo?
        var desired: DesiredState?
        var caddyReach: CaddyReach?

        let stage: CycleFacts.Stage
        do throws(ReconcileError) {
            if let remote = settings.remote {
                let head = try GitSource.fetch(remote, stateDir: stateDir, statusBranch: settings.statusBranch)
                (desiredCommit, branch) = (head.commit, head.branch)
                result.notes += head.notes
                if let note = try GitSource.checkHistory(head, applied: AppliedCommitStore.load(stateDir: stateDir),
                                                         source: remote, stateDir: stateDir) {
                    result.notes.append(note)
                }
                try GitSource.checkout(head, stateDir: stateDir)
                settings.repo = GitSource.clonePath(stateDir: stateDir)
                settings.syncedCommit = head.commit
                settings.desiredFile = GatewayLayout.desiredFile(repo: settings.repo, gateway: settings.gateway)
                settings.desiredLabel = settings.desiredFile
            } else {
                settings.desiredFile = GatewayLayout.desiredFile(repo: settings.repo, gateway: settings.gateway)
            }
            // Observe once (files and engine), plan once; the apply runs that plan and reads nothing again.
            let compose: ComposeSettings?
            switch options.mode {
            case .plan(let settings): compose = settings
            case .apply(let runtime): compose = runtime?.compose
            }
            let caddyfile = Observer.readCaddyfile(settings)
            let observedDesired = try Observer.observeDesired(settings)
            desired = observedDesired.desired
            var (inputs, engine) = try Observer.observe(settings, desired: observedDesired, caddyfile: caddyfile, compose: compose,
                                                        engineRequired: options.mode.isApply, engineObserver: engineObserver)
            // The way to Caddy is part of the observation: the plan names it, the apply and its rollback use it.
            let caddy: CaddyReach?
            switch options.mode {
            case .plan: caddy = options.caddy.map { CaddyReach.find($0, paths: settings.paths, compose: compose) }
            case .apply(let runtime): caddy = runtime.map { CaddyReach.find($0.caddy, paths: settings.paths, compose: $0.compose) } ?? .unused
            }
            caddyReach = caddy
            inputs.caddy = caddy?.route
            inputs.caddyVersion = caddy?.route.version.flatMap(CaddyVersion.parse)
            let plan = try planner(inputs)
            result.plan = plan
            result.observation = inputs
            if desiredCommit == nil, let id = plan.desired.commit {
                desiredCommit = GitCommitInfo(id: id, subject: plan.desired.commitSubject ?? "")
            }
            stage = apply(plan, engine: engine, caddy: caddy ?? .unused, inputs: inputs, settings: settings, options: options, branch: branch,
                          result: &result)
        } catch {
            result.error = error
            stage = .stopped(error)
        }

        result.certificates = CertificateStep.observe(stage, desired: desired, caddy: caddyReach, settings: settings, now: now())
        guard options.report else { return result }
        let applied = AppliedCommitStore.load(stateDir: stateDir)
        let facts = CycleFacts(
            gateway: settings.gateway,
            source: StatusSource(repository: settings.remote?.url.description ?? settings.repo, branch: branch, file: settings.desiredFile),
            desiredCommit: desiredCommit.map { StatusCommit(id: $0.id, subject: $0.subject) },
            lastApplied: applied.map { StatusCommit(id: $0.id, subject: $0.subject) },
            desired: desired, stage: stage, notes: result.notes, certificates: result.certificates,
            previous: StatusPublisher.loadLocal(stateDir: stateDir), now: StatusTime(secondsSince1970: now()))
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
            result.notifications = NotifyStep.run(settings.notify, facts: facts, applied: result.applied, author: desiredCommit?.author,
                                                  stateDir: stateDir, now: now())
        }
        return result
    }

    /// Applies the plan (apply mode) and, when it took, remembers the commit it came from.
    static func apply(_ plan: Plan, engine: (any ComposeEngine)?, caddy: CaddyReach, inputs: PlanInputs, settings: ReconcileSettings,
                      options: Options, branch: String?, result: inout Result) -> CycleFacts.Stage {
        guard case .apply(let runtime) = options.mode else { return .planned(plan) }
        do throws(ReconcileError) {
            let outcome = try ApplyEngine(settings: settings, runtime: runtime).apply(plan, engine: engine, caddy: caddy, inputs: inputs)
            result.applied = outcome
            guard outcome.succeeded else {
                let reason = outcome.result == .rollbackFailed ? .rollbackFailed : (outcome.error?.reconcileError.reason ?? .rolledBack)
                let error = ReconcileError.failed(reason, outcome.failure ?? "the apply failed")
                result.error = error
                return .applyFailed(outcome.plan, error)
            }
            if let id = plan.desired.commit, !plan.desired.uncommitted {
                let record = AppliedCommit(id: id, subject: plan.desired.commitSubject ?? "",
                                           source: settings.remote?.url.description ?? settings.repo, branch: branch)
                if AppliedCommitStore.load(stateDir: settings.paths.stateDir) != record {
                    do { try AppliedCommitStore.save(record, stateDir: settings.paths.stateDir) } catch { throw .failed(.stateDirFailed, error.description) }
                }
            }
            return .applied(outcome.plan, outcome)
        } catch {
            result.error = error
            return .applyFailed(plan, error)
        }
    }
}
