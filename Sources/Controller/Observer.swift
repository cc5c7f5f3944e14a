import Adapters
import Certificates
import DesiredState
import Diagnostics
import FoundationEssentials
import HomeAssistant
import Planner

/// Step 1: read the desired state and the live files into `PlanInputs`. All reading happens here.
public enum Observer {
    /// The desired state as the commit declares it, before the gateway's policy has its say: a refused
    /// commit's services are still shown (as refused) on the status page.
    public struct DesiredObservation: Sendable {
        public var desired: DesiredState
        var summary: DesiredSummary
    }

    /// Step 1a: which commit, whether the gateway may use it (signatures), and its desired state.
    public static func observeDesired(_ settings: ReconcileSettings) throws(ReconcileError) -> DesiredObservation {
        let label = settings.desiredLabel ?? settings.desiredPath
        let commit: GitCommitInfo?
        let uncommitted: Bool
        if let synced = settings.syncedCommit {
            // Our own working clone, just checked out at this commit.
            (commit, uncommitted) = (synced, false)
        } else {
            // A plain folder is fine too: then the plan names no commit.
            let repository = GitRepository.openIfAny(path: settings.repo)
            commit = (try? repository?.headCommit()) ?? nil
            uncommitted = commit != nil && ((try? repository?.hasUncommittedChanges(at: settings.desiredPath)) ?? false)
        }
        // First of all: is this commit one the gateway may use at all?
        let signature = try SignatureGate.verify(settings.signatures, repo: settings.repo, source: settings.remote?.url.description ?? settings.repo,
                                     commit: commit, uncommitted: uncommitted, desiredFile: label)
        let desiredBytes = try readDesired(settings, label: label)
        guard let bytes = desiredBytes else {
            let hint = settings.remote == nil
                ? "--repo should point at a checkout of the exposure repo, holding \(settings.desiredFile)"
                : "the repository should hold \(GatewayLayout.sharedFile), or \(GatewayLayout.gatewayFile(settings.gateway)) for this gateway"
            throw .invalidInput(DiagnosticList([Diagnostic(
                file: label, position: nil, message: "the desired-state file does not exist", hint: hint)]))
        }
        let desired: DesiredState
        do {
            desired = try DesiredStateParser.parse(bytes, file: label)
        } catch {
            throw .invalidInput(error)
        }
        var summary = DesiredSummary(file: label, domain: desired.domain, services: desired.services.map(\.name),
                                     commit: commit?.id, commitSubject: commit?.subject, uncommitted: uncommitted)
        summary.signedBy = signature.map { "\($0.kind.rawValue): \($0.signer)" }
        return DesiredObservation(desired: desired, summary: summary)
    }

    /// The desired-state file's bytes, read only from the repository itself: a symbolic link (to a file
    /// outside the clone, a pipe) is refused without reading it, since its target is not what the commit
    /// holds. A pipe, a device or a file over the bound is the desired state's fault: terminal.
    static func readDesired(_ settings: ReconcileSettings, label: String) throws(ReconcileError) -> [UInt8]? {
        if let link = RepositoryFiles.firstLink(in: settings.repo, to: settings.desiredFile) {
            let message = link.path == settings.desiredFile
                ? "is a symbolic link (to \(link.target)); reconcile reads the desired state only from a file the commit holds"
                : "is reached through \(link.path), a symbolic link (to \(link.target)); reconcile reads the desired state only from files the commit holds"
            throw .invalidInput(DiagnosticList([Diagnostic(file: label, position: nil, message: message,
                                                           hint: "commit the file itself in place of the link")]), reason: .invalidDesiredState)
        }
        do {
            return try LiveFileReader.read(settings.desiredPath, followLinks: false)
        } catch {
            guard error.kind == .notRegularFile || error.kind == .tooLarge else { throw .failed(.unreadableLiveFile, error.description) }
            throw .invalidInput(DiagnosticList([Diagnostic(file: label, position: nil, message: error.reason, hint: error.advice)]),
                                reason: .invalidDesiredState)
        }
    }

    /// The live Caddyfile being read and parsed beside the desired state; `value` waits for it.
    public typealias CaddyfileReading = Concurrent<Result<ParsedCaddyfile, ReconcileError>>

    /// Step 1a, beside the desired state: the live Caddyfile, read and parsed on a thread of its own (the two
    /// parses are the largest parts of a plan). Reading is all it does: a refused commit changes nothing.
    public static func readCaddyfile(_ settings: ReconcileSettings) -> CaddyfileReading {
        Concurrent {
            do throws(ReconcileError) {
                let path = try livePath(settings.paths.caddyfile, settings)
                let file: LiveFile
                do throws(FileError) { file = try live(path) } catch { throw .failed(.unreadableLiveFile, error.description) }
                return .success(ParsedCaddyfile(file))
            } catch {
                return .failure(error)
            }
        }
    }

    /// Step 1b: the gateway's policy on that desired state, then the live files (the Caddyfile as
    /// `readCaddyfile` read it).
    public static func observe(_ settings: ReconcileSettings, desired observation: DesiredObservation,
                               caddyfile reading: CaddyfileReading) throws(ReconcileError) -> PlanInputs {
        let (desired, summary) = (observation.desired, observation.summary)
        let composePath = try livePath(settings.paths.composeFile, settings)
        let composeFile: LiveFile
        do throws(FileError) { composeFile = try live(composePath) } catch { throw .failed(.unreadableLiveFile, error.description) }
        // Before anything is planned or written: the gateway's own rules, which no commit can lift. Their
        // names are matched against the live compose file too, which the commit does not choose.
        try PolicyGate.enforce(settings.policy, on: desired, composeFile: composeFile)
        let ledger = try LedgerStore.load(stateDir: settings.paths.stateDir)
        let haDir = settings.paths.homeAssistantDir
        let configuration = try livePath(haDir + "/configuration.yaml", settings), storage = try livePath(haDir + "/.storage/http", settings)
        let caddyfile = try reading.value.get()
        do {
            let homeAssistant = HomeAssistantInput(configurationYAML: try LiveFileReader.read(configuration), configurationPath: configuration,
                                                   storageHTTP: try LiveFileReader.read(storage), storagePath: storage)
            var inputs = PlanInputs(desired: desired, summary: summary,
                                    caddyfile: caddyfile.file,
                                    homeAssistant: homeAssistant,
                                    composeFile: composeFile,
                                    ledger: ledger)
            inputs.parsedCaddyfile = caddyfile
            inputs.homeAssistantOptions = HomeAssistantPlanOptions(repairUserMasks: settings.homeAssistantRepairsLostMasks,
                                                                   ownTrial: settings.homeAssistantTokenFile != nil)
            inputs.adopt = settings.adopt
            // Caddy's storage for every desired host: the plan shows those already live.
            var certificates = CertificateObserver.Inputs(hosts: desired.services.map(\.fqdn), dataDirectory: settings.paths.caddyDataDir)
            certificates.exposedSince = ExposureTimesStore.load(stateDir: settings.paths.stateDir)
            inputs.certificates = CertificateObserver.observe(certificates, now: Int64(Date().timeIntervalSince1970))
            inputs.certificates?.mountedElsewhere = CertificateObserver.dataMountElsewhere(composeFile, service: inputs.proxyService, paths: settings.paths)
            return inputs
        } catch {
            throw .failed(.unreadableLiveFile, error.description)
        }
    }

    /// A live file's path, checked: a symbolic link is refused unless the settings allow it.
    static func livePath(_ path: String, _ settings: ReconcileSettings) throws(ReconcileError) -> String {
        do {
            if let root = settings.paths.root { try LivePathGuard.checkInside(path, root: root) }
            return try LivePathGuard.resolve(path, allowSymlink: settings.paths.allowSymlinkedLivePaths)
        } catch {
            throw .invalidInput(DiagnosticList([error]), reason: .invalidLiveFile)
        }
    }

    static func live(_ path: String) throws(FileError) -> LiveFile {
        LiveFile(path: path, bytes: try LiveFileReader.read(path))
    }

    /// The whole observation: the files, then the engine when Compose is configured. An apply needs the
    /// engine (nothing is written without it); a plan says why it covers the files only.
    public static func observe(_ settings: ReconcileSettings, desired: DesiredObservation? = nil,
                               caddyfile: CaddyfileReading? = nil, compose: ComposeSettings?,
                               engineRequired: Bool, engineObserver: any EngineObserving) throws(ReconcileError) -> (PlanInputs, (any ComposeEngine)?) {
        let reading = caddyfile ?? readCaddyfile(settings)
        let observation: DesiredObservation
        if let desired { observation = desired } else { observation = try observeDesired(settings) }
        var inputs = try observe(settings, desired: observation, caddyfile: reading)
        inputs.webhookRoute = settings.webhookRoute
        guard let compose else { return (inputs, nil) }
        let observed = engineObserver.observe(compose, composeFile: settings.paths.composeFile)
        if engineRequired, let problem = observed.problem { throw .failed(.engineUnreachable, problem) }
        if engineRequired, let state = observed.state, let refusal = ComposeMajorCheck.refusal(state) {
            throw .failed(.composeMajorMismatch, refusal)
        }
        inputs.composeRuntime = observed.state
        inputs.composeRuntimeProblem = observed.problem
        return (inputs, observed.engine)
    }

    /// Plans what was observed; a plan that cannot be made is always the input's fault.
    public static func plan(_ inputs: PlanInputs) throws(ReconcileError) -> Plan {
        do {
            return try Planner.plan(inputs)
        } catch {
            // The desired state's own problems, or a live file's (a Caddyfile Caddy would not parse, …).
            let aboutDesired = error.diagnostics.allSatisfy { $0.file == inputs.summary.file }
            throw .invalidInput(error, reason: aboutDesired ? .invalidDesiredState : .invalidLiveFile)
        }
    }
}
