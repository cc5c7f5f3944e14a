import Diagnostics

/// Which file holds the http settings: `.storage/http` once Home Assistant says it migrated
/// (`yaml_migration_done: true`), configuration.yaml otherwise. The reason goes into the plan.
struct ModeDetection {
    let mode: HomeAssistantMode
    let reason: HomeAssistantModeReason
    /// Parsed when the file exists.
    let storage: StorageHTTPFile?
    let warnings: [String]
    /// What Home Assistant will do with what it finds, for the plan.
    var notes: [HomeAssistantNote] = []

    init(_ input: HomeAssistantInput) throws(Diagnostic) {
        guard let bytes = input.storageHTTP else {
            mode = .yaml
            reason = .noStorageFile(storagePath: input.storagePath, configurationPath: input.configurationPath)
            storage = nil
            warnings = []
            notes = [.migratesAtFirstStart(storagePath: input.storagePath)]
            return
        }
        let file = try StorageHTTPFile(bytes: bytes, file: input.storagePath)
        // Home Assistant tests the flag for truth: "yes" would count as migrated there, and not here.
        if let done = file.data?["yaml_migration_done"], done.bool == nil, !done.isNull {
            throw file.problem(done, "\"yaml_migration_done\" is not true or false, so which file Home Assistant reads is unclear")
        }
        storage = file
        if file.migrationDone {
            mode = .storage
            let version = "\(file.root["version"]?.integer ?? 0).\(file.minorVersion ?? 0)"
            reason = .migrated(storagePath: input.storagePath, version: version, configurationPath: input.configurationPath)
            warnings = []
        } else if file.stable == nil {
            // Versions before 2026.8 keep a flat version-1 snapshot here: the migration's starting point.
            mode = .yaml
            reason = .versionOneSnapshot(storagePath: input.storagePath, configurationPath: input.configurationPath)
            warnings = []
            notes = [.migratesAtFirstStart(storagePath: input.storagePath)]
        } else {
            mode = .yaml
            reason = .notMigrated(storagePath: input.storagePath, configurationPath: input.configurationPath)
            warnings = ["Home Assistant has not migrated http: into \(input.storagePath) yet; it will at its next start, and may put the values in data.pending, which reverts after about 5 minutes unless promoted. Run reconcile again after that start: it then writes data.stable."]
        }
    }

    /// For a plan with nothing to do: the mode if it can be told, never an error.
    static func bestEffort(_ input: HomeAssistantInput) -> (HomeAssistantMode, HomeAssistantModeReason) {
        do {
            let detected = try ModeDetection(input)
            return (detected.mode, detected.reason)
        } catch {
            return (.yaml, .unreadable(storagePath: input.storagePath, problem: error.message))
        }
    }
}
