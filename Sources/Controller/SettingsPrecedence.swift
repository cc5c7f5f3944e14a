extension SettingsFile {
    /// These settings (the command line's) laid over `file`'s: each one said here wins, each one not
    /// said here is the file's. The only place where one source of settings wins over another; the
    /// defaults come after, in `ResolvedSettings`.
    public func over(_ file: SettingsFile) -> SettingsFile {
        var merged = self
        func keep<Value>(_ field: WritableKeyPath<SettingsFile, Value?>) {
            if merged[keyPath: field] == nil { merged[keyPath: field] = file[keyPath: field] }
        }
        keep(\.repo); keep(\.root); keep(\.caddyfile); keep(\.haConfig); keep(\.caddyData); keep(\.composeFile); keep(\.stateDir)
        keep(\.branch); keep(\.gateway); keep(\.statusBranch); keep(\.tokenFile); keep(\.tokenEnv); keep(\.sshKey); keep(\.knownHosts)
        keep(\.caddyAdmin); keep(\.caddy); keep(\.compose); keep(\.haURL); keep(\.probe); keep(\.probeAttempts); keep(\.probeTimeout)
        keep(\.policy); keep(\.allowedSigners); keep(\.gpgKeyring); keep(\.haCommands)
        keep(\.allowSymlinkedLivePaths); keep(\.haRepairLostMasks); keep(\.haTokenFile); keep(\.gitTimeout); keep(\.adopt); keep(\.notify)
        keep(\.allowForcePush); keep(\.acceptNewHostKey); keep(\.haRestart)
        if let fileServe = file.serve {
            merged.serve = (serve ?? ServeFileSettings()).over(fileServe)
        }
        return merged
    }
}

extension ServeFileSettings {
    /// `reconcile serve`'s options laid over the file's `serve:` mapping (see `SettingsFile.over`).
    public func over(_ file: ServeFileSettings) -> ServeFileSettings {
        var merged = self
        func keep<Value>(_ field: WritableKeyPath<ServeFileSettings, Value?>) {
            if merged[keyPath: field] == nil { merged[keyPath: field] = file[keyPath: field] }
        }
        keep(\.listen); keep(\.webhookPath); keep(\.webhookSecretFile); keep(\.webhookHost); keep(\.webhookUpstream)
        keep(\.interval); keep(\.jitter); keep(\.burstWindow); keep(\.maxBody); keep(\.logFormat); keep(\.statusPage)
        return merged
    }
}
