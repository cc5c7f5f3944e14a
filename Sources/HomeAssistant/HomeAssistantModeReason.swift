/// Why Home Assistant reads its http settings from the file it does: one line for the plan, the whole
/// reasoning for `--verbose`, `--json` and the status report.
public enum HomeAssistantModeReason: Sendable, Hashable {
    /// No `.storage/http`: a version before 2026.8, or one that has not migrated yet.
    case noStorageFile(storagePath: String, configurationPath: String)
    /// `yaml_migration_done: true`: 2026.8+ reads data.stable.
    case migrated(storagePath: String, version: String, configurationPath: String)
    /// A flat version-1 snapshot written before 2026.8 (no data.stable).
    case versionOneSnapshot(storagePath: String, configurationPath: String)
    /// `.storage/http` exists but has not migrated yet.
    case notMigrated(storagePath: String, configurationPath: String)
    /// Unreadable, on a plan with nothing to do.
    case unreadable(storagePath: String, problem: String)

    static let storageRelease = HomeAssistantVersions.storageMode

    /// One line.
    public var line: String {
        switch self {
        case .noStorageFile: return "YAML mode: no .storage/http, so http: is read from configuration.yaml"
        case .migrated(_, let version, _): return "storage mode: .storage/http (version \(version)) has migrated, so it holds the http settings"
        case .versionOneSnapshot: return "YAML mode: .storage/http is a snapshot from before \(Self.storageRelease); http: is read from configuration.yaml"
        case .notMigrated: return "YAML mode: .storage/http has not migrated yet; http: is read from configuration.yaml"
        case .unreadable: return "YAML mode: .storage/http could not be read; nothing to do"
        }
    }

    /// The whole reasoning, with the paths.
    public var explanation: String {
        switch self {
        case .noStorageFile(let storage, let configuration):
            return "\(storage) does not exist, so Home Assistant reads http: from \(configuration) (a version before \(Self.storageRelease), or one that has not migrated yet)"
        case .migrated(let storage, let version, let configuration):
            return "\(storage) (version \(version)) has yaml_migration_done: true, so Home Assistant (\(Self.storageRelease) or later) reads the http settings from its data.stable and ignores http: in \(configuration)"
        case .versionOneSnapshot(let storage, let configuration):
            return "\(storage) is a version-1 snapshot written by a Home Assistant before \(Self.storageRelease) (no data.stable), so it reads http: from \(configuration)"
        case .notMigrated(let storage, let configuration):
            return "\(storage) exists but yaml_migration_done is not true, so Home Assistant still reads http: from \(configuration)"
        case .unreadable(let storage, let problem):
            return "\(storage) could not be read (\(problem)); nothing to do, so it does not matter"
        }
    }
}
