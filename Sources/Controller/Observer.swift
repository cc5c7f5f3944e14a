import Adapters
import Caddyfile
import Compose
import Certificates
import DesiredState
import Diagnostics
import FoundationEssentials
import HomeAssistant
import Planner

/// Step 2: reads the desired state, the live files, the engine and the way to Caddy into one
/// `Observation`. All reading of a reconcile happens here; the plan and the apply only use what it read.
public enum Observer {
    /// The desired state as the commit declares it, before the gateway's policy has its say: a refused
    /// commit's services are still shown (as refused) on the status page.
    public struct DesiredObservation: Sendable {
        public var desired: DesiredState
        var summary: DesiredSummary
    }

    /// What this reconcile asks of the world beyond the files.
    public struct Reach: Sendable {
        /// Read the engine with this Compose (nil: files only).
        public var compose: ComposeSettings?
        /// Find the way to Caddy (nil: not looked for).
        public var caddy: CaddyWay?
        /// Read Home Assistant's access token (an apply with a runtime).
        public var readsHomeAssistantToken = false

        public init(compose: ComposeSettings?, caddy: CaddyWay?, readsHomeAssistantToken: Bool = false) {
            self.compose = compose
            self.caddy = caddy
            self.readsHomeAssistantToken = readsHomeAssistantToken
        }
    }

    public static func observe(_ settings: ReconcileSettings, source: SyncedSource, reach: Reach,
                               engineObserver: any EngineObserving = LiveEngineObserver()) throws(ObservationStopped) -> Observation {
        // lstat: a link there is this gateway's file too (then refused as a link, not silently skipped).
        let desiredFile = GatewayLayout.desiredFile(repo: source.checkout, gateway: settings.gateway)
        // The live Caddyfile is read and parsed beside the desired state: the two parses are the largest parts of a plan.
        let caddyfile = readCaddyfile(settings)
        var desired: DesiredObservation?
        do throws(ReconcileError) {
            desired = try observeDesired(settings, source: source, file: desiredFile)
            var inputs = try observeFiles(settings, desired: desired!, caddyfile: caddyfile)
            inputs.webhookRoute = settings.webhookRoute
            let token = reach.readsHomeAssistantToken ? try homeAssistantToken(settings) : nil
            let engine: EngineObservation?
            if var compose = reach.compose {
                // What the engine answered before is remembered in the state dir (`EngineFacts`).
                compose.settings.factsDirectory = compose.settings.factsDirectory ?? settings.paths.stateDir
                // A compose file our own reading refuses goes to no Compose client (v2 spins for minutes on some
                // hostile files, out of reach of our timeout): refused here, the same way for a plan and an apply.
                try checkForCompose(inputs.composeFile)
                engine = engineObserver.observe(compose, composeFile: settings.paths.composeFile)
            } else {
                engine = nil
            }
            inputs.composeRuntime = engine?.state
            inputs.composeRuntimeProblem = engine?.problem?.description
            // The way to Caddy is part of the observation: the plan names it, the apply and its rollback use it.
            let caddy = reach.caddy.map { CaddyRoute.find($0, paths: settings.paths, compose: reach.compose) }
            inputs.caddy = caddy?.route
            inputs.caddyVersion = caddy?.route.version.flatMap(CaddyVersion.parse)
            return Observation(source: source, desiredFile: desiredFile, desired: desired!, inputs: inputs, engine: engine,
                               caddyConnection: caddy?.connection, homeAssistantToken: token)
        } catch {
            throw ObservationStopped(error: error, desiredFile: desiredFile, desired: desired?.desired)
        }
    }

    /// Which commit, whether the gateway may use it (signatures), and its desired state.
    static func observeDesired(_ settings: ReconcileSettings, source: SyncedSource, file: String) throws(ReconcileError) -> DesiredObservation {
        let label = source.label(of: file)
        let commit: GitCommitInfo?
        let uncommitted: Bool
        if let synced = source.commit {
            // Our own working clone, just checked out at this commit.
            (commit, uncommitted) = (synced, false)
        } else {
            // A plain folder is fine too: then the plan names no commit.
            let repository = GitRepository.openIfAny(path: source.checkout)
            commit = (try? repository?.headCommit()) ?? nil
            uncommitted = commit != nil && ((try? repository?.hasUncommittedChanges(at: source.path(of: file))) ?? false)
        }
        // First of all: is this commit one the gateway may use at all?
        let signature = try SignatureGate.verify(settings.signatures, repo: source.checkout, source: settings.remote?.url.description ?? settings.repo,
                                                 commit: commit, uncommitted: uncommitted, desiredFile: label)
        guard let bytes = try readDesired(source, file: file, label: label) else {
            let hint = settings.remote == nil
                ? "--repo should point at a checkout of the exposure repo, holding \(file)"
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
    static func readDesired(_ source: SyncedSource, file: String, label: String) throws(ReconcileError) -> [UInt8]? {
        if let link = RepositoryFiles.firstLink(in: source.checkout, to: file) {
            let message = link.path == file
                ? "is a symbolic link (to \(link.target)); reconcile reads the desired state only from a file the commit holds"
                : "is reached through \(link.path), a symbolic link (to \(link.target)); reconcile reads the desired state only from files the commit holds"
            throw .invalidInput(DiagnosticList([Diagnostic(file: label, position: nil, message: message,
                                                           hint: "commit the file itself in place of the link")]), reason: .invalidDesiredState)
        }
        do {
            return try LiveFileReader.read(source.path(of: file), followLinks: false)
        } catch {
            guard error.kind == .notRegularFile || error.kind == .tooLarge else { throw .failed(.unreadableLiveFile, error.description) }
            throw .invalidInput(DiagnosticList([Diagnostic(file: label, position: nil, message: error.reason, hint: error.advice)]),
                                reason: .invalidDesiredState)
        }
    }

    /// The live Caddyfile being read and parsed beside the desired state; `value` waits for it.
    typealias CaddyfileReading = Concurrent<Result<ParsedCaddyfile, ReconcileError>>

    /// The live Caddyfile, read and parsed on a thread of its own. Reading is all it does: a refused commit changes nothing.
    static func readCaddyfile(_ settings: ReconcileSettings) -> CaddyfileReading {
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

    /// The gateway's policy on that desired state, then the live files (the Caddyfile as `readCaddyfile` read it).
    static func observeFiles(_ settings: ReconcileSettings, desired observation: DesiredObservation,
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

    static func checkForCompose(_ file: LiveFile) throws(ReconcileError) {
        guard let bytes = file.bytes else { return }
        do {
            try ComposeBindMounts.check(composeBytes: bytes, composeFile: file.path)
        } catch {
            throw .invalidInput(DiagnosticList([error]), reason: .invalidLiveFile)
        }
    }

    /// `--ha-token-file`, read once for the apply: a token that cannot be used is the settings' fault.
    static func homeAssistantToken(_ settings: ReconcileSettings) throws(ReconcileError) -> String? {
        guard let file = settings.homeAssistantTokenFile else { return nil }
        do {
            return try HomeAssistantToken.read(file: file)
        } catch {
            throw .invalidInput(DiagnosticList([Diagnostic(file: file, position: nil, message: error.reason,
                                                           hint: "put a long-lived access token of a Home Assistant administrator on the file's first line")]), reason: .invalidSettings)
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
