/// What Home Assistant will do with what it finds, for the plan: one line to read at a glance, and the whole
/// explanation for `--verbose`, `--json` and the status report.
public enum HomeAssistantNote: Sendable, Hashable {
    /// YAML mode: the first start of 2026.8+ moves http: into `.storage/http` (its data.stable or data.pending).
    case migratesAtFirstStart(storagePath: String)
    /// Storage mode: `.storage/http` has no pending config.
    case noPendingConfig(storagePath: String)
    /// Storage mode: a clean pending config, run as a trial at the next start.
    case pendingTrial(storagePath: String)
    /// Storage mode: a pending config that failed (`not_promoted`, `apply_failed`), never applied again.
    case pendingFailed(storagePath: String, error: String)

    static let storageRelease = HomeAssistantVersions.storageMode

    init(_ status: PendingStatus, storagePath: String) {
        switch status {
        case .none: self = .noPendingConfig(storagePath: storagePath)
        case .trial: self = .pendingTrial(storagePath: storagePath)
        case .failed(let error): self = .pendingFailed(storagePath: storagePath, error: error)
        }
    }

    /// One line.
    public var line: String {
        switch self {
        case .migratesAtFirstStart:
            return "Home Assistant \(Self.storageRelease)+ moves http: into .storage/http at its first start: run reconcile after it"
        case .noPendingConfig:
            return "no pending config: Home Assistant starts on data.stable, which reconcile writes"
        case .pendingTrial:
            return "a pending config runs as a trial at the next start: reconcile writes into it and into data.stable"
        case .pendingFailed(_, let error):
            return "a pending config failed (\(error)): left as it is; reconcile writes data.stable"
        }
    }

    /// The whole of it.
    public var explanation: String {
        switch self {
        case .migratesAtFirstStart(let path):
            return "at its first start on \(Self.storageRelease) or later, Home Assistant moves http: into \(path) once: the snapshot becomes data.stable; when the YAML differs from it only by lost network masks, data.stable is repaired, otherwise the YAML (with reconcile's use_x_forwarded_for and trusted_proxies) becomes data.pending, a trial reverted after 5 minutes unless promoted. Releases up to 2026.7.1 wrote the snapshot without masks (core#182040): run reconcile after that start; it writes data.stable and repairs its own entries whose mask was lost"
        case .noPendingConfig(let path):
            return "\(path) has no pending config (data.pending is null): Home Assistant starts on data.stable, which reconcile writes"
        case .pendingTrial(let path):
            return "\(path) holds a pending config with no error: at its next start Home Assistant runs it as a trial and, unless it is promoted within 5 minutes, reverts to data.stable and marks it not_promoted for good; reconcile writes its two settings into data.stable and into that trial, so Caddy is trusted either way"
        case .pendingFailed(let path, let error):
            return "\(path) holds a pending config that failed (error: \(error)): Home Assistant never applies it again and starts on data.stable; reconcile leaves it as it is and writes data.stable"
        }
    }
}
