import Adapters
import DesiredState
import Foundation
import Planner
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

        public init(mode: Mode, report: Bool, publish: Bool, policy: PublishPolicy = PublishPolicy()) {
            self.mode = mode
            self.report = report
            self.publish = publish
            self.policy = policy
        }
    }

    public struct Result: Sendable {
        public var plan: Plan?
        public var applied: ApplyOutcome?
        /// What stopped the reconcile (fetch, history, desired state, apply).
        public var error: ReconcileError?
        /// Worth telling: a force-push followed, a host key recorded.
        public var notes: [String] = []
        public var report: StatusReport?
        public var publication: StatusPublication?
        /// Reporting failed (the reconcile itself may have succeeded).
        public var reportError: ReconcileError?
    }

    public static func run(_ settings: ReconcileSettings, options: Options,
                           now: @Sendable () -> Int64 = { Int64(Date().timeIntervalSince1970) }) -> Result {
        var settings = settings
        var result = Result()
        let stateDir = settings.paths.stateDir
        var branch = settings.remote?.branch
        var desiredCommit: GitCommitInfo?
        var desired: DesiredState?

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
            var inputs = try Observer.observe(settings)
            inputs.webhookRoute = settings.webhookRoute
            desired = inputs.desired
            if case .plan(let compose?) = options.mode {
                let observed = ComposeObservation.observe(compose, composeFile: settings.paths.composeFile)
                inputs.composeRuntime = observed.state
                inputs.composeRuntimeProblem = observed.problem
            }
            if case .plan(let compose) = options.mode, let caddy = options.caddy {
                inputs.caddy = CaddyReach.find(caddy, paths: settings.paths, compose: compose).route
            }
            let plan = try Observer.plan(inputs)
            result.plan = plan
            if desiredCommit == nil, let id = plan.desired.commit {
                desiredCommit = GitCommitInfo(id: id, subject: plan.desired.commitSubject ?? "")
            }
            stage = apply(plan, inputs: inputs, settings: settings, options: options, branch: branch, result: &result)
        } catch {
            result.error = error
            stage = .stopped(error)
        }

        guard options.report else { return result }
        let applied = AppliedCommitStore.load(stateDir: stateDir)
        let facts = CycleFacts(
            gateway: settings.gateway,
            source: StatusSource(repository: settings.remote?.url.description ?? settings.repo, branch: branch, file: settings.desiredFile),
            desiredCommit: desiredCommit.map { StatusCommit(id: $0.id, subject: $0.subject) },
            lastApplied: applied.map { StatusCommit(id: $0.id, subject: $0.subject) },
            desired: desired, stage: stage, notes: result.notes,
            previous: StatusPublisher.loadLocal(stateDir: stateDir), now: StatusTime(secondsSince1970: now()))
        let report = StatusMapping.report(facts)
        result.report = report
        do {
            try StatusPublisher.saveLocal(report, stateDir: stateDir)
            if options.publish, let remote = settings.remote {
                result.publication = try StatusPublisher.publish(report, to: remote, statusBranch: settings.statusBranch,
                                                                 stateDir: stateDir, policy: options.policy)
            }
        } catch {
            result.reportError = error
        }
        return result
    }

    /// Applies the plan (apply mode) and, when it took, remembers the commit it came from.
    static func apply(_ plan: Plan, inputs: PlanInputs, settings: ReconcileSettings, options: Options, branch: String?,
                      result: inout Result) -> CycleFacts.Stage {
        guard case .apply(let runtime) = options.mode else { return .planned(plan) }
        do throws(ReconcileError) {
            let outcome = try ApplyEngine(settings: settings, runtime: runtime).apply(inputs: inputs, filesOnly: plan)
            result.applied = outcome
            result.plan = outcome.plan
            guard outcome.succeeded else {
                let error = ReconcileError.world(outcome.failure ?? "the apply failed")
                result.error = error
                return .applyFailed(outcome.plan, error)
            }
            if let id = plan.desired.commit, !plan.desired.uncommitted {
                let record = AppliedCommit(id: id, subject: plan.desired.commitSubject ?? "",
                                           source: settings.remote?.url.description ?? settings.repo, branch: branch)
                if AppliedCommitStore.load(stateDir: settings.paths.stateDir) != record {
                    do { try AppliedCommitStore.save(record, stateDir: settings.paths.stateDir) } catch { throw .world(error.description) }
                }
            }
            return .applied(outcome.plan, outcome)
        } catch {
            result.error = error
            return .applyFailed(plan, error)
        }
    }
}
