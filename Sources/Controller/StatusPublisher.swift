import Adapters
import FoundationEssentials
import Glibc
import StatusReport

/// How hard to try when other gateways push to the status branch at the same time.
public struct PublishPolicy: Sendable {
    public var maxAttempts: Int
    /// Full-jitter exponential backoff: attempt n waits a random time up to min(maxDelay, baseDelay * 2^(n-1)).
    public var baseDelay: Double
    public var maxDelay: Double
    /// Tests only: runs just before each push with the attempt number, to let another "gateway" win a race.
    var beforePush: (@Sendable (Int) -> Void)?

    public init(maxAttempts: Int = 20, baseDelay: Double = 0.05, maxDelay: Double = 2) {
        self.maxAttempts = maxAttempts
        self.baseDelay = baseDelay
        self.maxDelay = maxDelay
    }

    func delay(afterAttempt attempt: Int) -> Double {
        let ceiling = min(maxDelay, baseDelay * pow(2, Double(attempt - 1)))
        return Double.random(in: 0...ceiling)
    }
}

/// What publishing did.
public struct StatusPublication: Sendable {
    /// The commit pushed, or nil when the published report already said the same (apart from the time).
    public var commit: String?
    public var attempts: Int
    public var retries: Int { attempts - 1 }
}

/// Commits a gateway's report to `status/<gateway>/` on the status branch and pushes it. The branch only ever
/// moves forward by one commit per change, each on top of the tip it was fetched from: no merges. When a
/// push is refused because another gateway got there first, the report is laid again on the new tip.
public enum StatusPublisher {
    static func localFolder(_ stateDir: String) -> String { stateDir + "/status" }

    /// `<state-dir>/status/status.{md,json}`, rewritten every run: what `reconcile status` prints, with the
    /// time of the last check (the branch keeps the time of the last change).
    public static func saveLocal(_ report: StatusReport, stateDir: String) throws(ReconcileError) {
        let files = StatusFiles(report)
        let folder = localFolder(stateDir)
        do {
            try Directories.create(folder, within: stateDir)
            try AtomicFileWriter.write(files.markdown, to: folder + "/" + StatusFiles.markdownName, newFileMode: 0o644)
            try AtomicFileWriter.write(files.json, to: folder + "/" + StatusFiles.jsonName, newFileMode: 0o644)
        } catch {
            throw .failed(.statusNotPublished, error.description)
        }
    }

    public static func loadLocal(stateDir: String) -> StatusReport? {
        guard let bytes = LiveFileReader.readStateFile(localFolder(stateDir) + "/" + StatusFiles.jsonName) else { return nil }
        return try? StatusJSON.decode(bytes)
    }

    public static func publish(_ report: StatusReport, to source: RemoteSource, statusBranch: String, stateDir: String,
                               policy: PublishPolicy = PublishPolicy()) throws(ReconcileError) -> StatusPublication {
        let repository = try GitSource.openClone(stateDir: stateDir)
        let folder = StatusFiles.folder(gateway: report.gateway)
        let branchRef = "refs/heads/\(statusBranch)"
        var lastRefusal: (tip: GitOID?, reasons: [GitPushRejection])?
        for attempt in 1...max(1, policy.maxAttempts) {
            do {
                let remote = try GitRemote(repository: repository, url: source.url, credentials: source.credentials, deadline: source.deadline)
                let tip = try fetchTip(statusBranch, remote: remote, repository: repository)
                if let refusal = lastRefusal, refusal.tip == tip {
                    // Refused although nobody moved the branch: not a race (a hook, permissions). Retrying won't help.
                    throw ReconcileError.failed(.statusNotPublished, "the push to \(statusBranch) on \(source.url) was refused: "
                                               + refusal.reasons.map(\.message).joined(separator: "; "))
                }
                if let tip, StatusComparison.isUnchanged(report, publishedMarkdown: try repository.readFile(folder + "/" + StatusFiles.markdownName, at: tip),
                                                         publishedJSON: try repository.readFile(folder + "/" + StatusFiles.jsonName, at: tip)) {
                    return StatusPublication(commit: nil, attempts: attempt)
                }
                let files = StatusFiles(report)
                guard let commit = try repository.commitFiles(
                    [folder + "/" + StatusFiles.markdownName: files.markdown, folder + "/" + StatusFiles.jsonName: files.json],
                    onto: tip, message: message(report),
                    signature: GitSignature(name: "reconcile on \(report.gateway)", email: "reconcile@\(report.gateway)")) else {
                    return StatusPublication(commit: nil, attempts: attempt)
                }
                try repository.setReference(branchRef, to: commit, message: "reconcile: status of \(report.gateway)")
                policy.beforePush?(attempt)
                let refused = try remote.push(["\(branchRef):\(branchRef)"])
                if refused.isEmpty {
                    try repository.setReference(GitSource.trackingRef(statusBranch), to: commit, message: "reconcile: pushed status")
                    return StatusPublication(commit: commit.hex, attempts: attempt)
                }
                lastRefusal = (tip, refused)
            } catch let error as GitError {
                throw .failed(error.isTimeout ? .gitTimeout : .statusNotPublished,
                              "cannot publish the status to \(statusBranch) on \(source.url): \(error.message)")
            } catch let error as ReconcileError {
                throw error
            } catch {
                throw .failed(.statusNotPublished, "cannot publish the status: \(error)")
            }
            if attempt < policy.maxAttempts {
                usleep(UInt32(policy.delay(afterAttempt: attempt) * 1_000_000))
            }
        }
        throw .failed(.statusNotPublished, "the status branch \(statusBranch) kept moving: gave up after \(policy.maxAttempts) attempts ("
                     + (lastRefusal?.reasons.map(\.description).joined(separator: "; ") ?? "") + "); the next run retries")
    }

    /// Every gateway's report on the status branch (`reconcile status --all`).
    public static func fleet(from source: RemoteSource, statusBranch: String, stateDir: String) throws(ReconcileError) -> [StatusReport] {
        let repository = try GitSource.openClone(stateDir: stateDir)
        do {
            let remote = try GitRemote(repository: repository, url: source.url, credentials: source.credentials, deadline: source.deadline)
            guard let tip = try fetchTip(statusBranch, remote: remote, repository: repository) else { return [] }
            var reports: [StatusReport] = []
            for gateway in try repository.folders(in: "status", at: tip).sorted() {
                guard let bytes = try repository.readFile("status/\(gateway)/\(StatusFiles.jsonName)", at: tip),
                      var report = try? StatusJSON.decode(bytes) else { continue }
                // A report speaks for the folder it is in, whatever gateway it claims to be.
                report.gateway = gateway
                reports.append(report)
            }
            return reports
        } catch {
            throw .failed(error.isTimeout ? .gitTimeout : .statusNotPublished, "cannot read \(statusBranch) from \(source.url): \(error.message)")
        }
    }

    /// The status branch's tip on the remote, fetched into our clone; nil when the branch does not exist yet.
    static func fetchTip(_ branch: String, remote: GitRemote, repository: GitRepository) throws(GitError) -> GitOID? {
        try remote.connect()
        defer { remote.disconnect() }
        guard let tip = try remote.heads()["refs/heads/\(branch)"] else { return nil }
        let tracking = GitSource.trackingRef(branch)
        if try repository.resolve(reference: tracking) != tip || !repository.contains(tip) {
            try remote.fetch(["+refs/heads/\(branch):\(tracking)"])
        }
        return tip
    }

    static func message(_ report: StatusReport) -> String {
        var subject = "\(report.gateway): \(report.outcome.title)"
        if let desired = report.desired { subject += " at \(desired.short) \"\(desired.subject)\"" }
        var body = ""
        if let error = report.error { body = "\n\n" + error }
        return subject + body + "\n"
    }
}
