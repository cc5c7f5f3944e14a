extension SettingsFile {
    /// These settings (the command line's) laid over `file`'s: each one said here wins, each one not
    /// said here is the file's (for `serve:`, key by key). The only place where one source of settings
    /// wins over another; the defaults come after, in `ResolvedSettings`.
    public func over(_ file: SettingsFile) -> SettingsFile {
        Self.table.over(self, file)
    }
}

extension ServeFileSettings {
    /// `reconcile serve`'s options laid over the file's `serve:` mapping (see `SettingsFile.over`).
    public func over(_ file: ServeFileSettings) -> ServeFileSettings {
        Self.table.over(self, file)
    }
}
